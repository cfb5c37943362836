package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.io.TableFormat;
import dev.qcal.core.io.TensorRtCache;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code --formats}: every toolchain format from one run, and a bad key refused before any scan. */
@ExtendWith(SharedSpark.class)
class FormatsTest {
  @TempDir Path tmp;

  @Test
  void allFormatsAreWrittenNextToTheCanonicalTable() throws Exception {
    Path out = tmp.resolve("out");
    Qcal.Result r =
        Qcal.run(
            "calibrate", "--input", Qcal.SAMPLE.toString(), "--output", out.toString(),
            "--methods", "max", "--formats", "all", "--trt-version", "10.3.0");
    assertEquals(0, r.code(), r::toString);
    for (TableFormat f : TableFormat.values()) {
      boolean refusedForNames = r.err().contains("Cannot write " + f.key() + " ");
      assertTrue(Files.exists(out.resolve(f.fileName())) || refusedForNames, f.key() + ": " + r.err());
    }
    // The sample's names have spaces: ncnn's table cannot carry them and is refused by name.
    assertTrue(r.err().contains("Cannot write ncnn"), r.err());
    assertFalse(Files.exists(out.resolve(TableFormat.NCNN.fileName())));
    try (InputStream in = Files.newInputStream(out.resolve("calibration.cache"))) {
      assertEquals("TRT-100300-MinMaxCalibration", TensorRtCache.readContents(in, "cache").header());
    }
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
  }

  @Test
  void anUnknownFormatIsAUsageError() {
    Path out = tmp.resolve("bad");
    Qcal.Result r =
        Qcal.run("calibrate", "--input", Qcal.SAMPLE.toString(), "--output", out.toString(), "--formats", "onnx-magic");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("Cannot use output format 'onnx-magic': known formats are"), r.err());
    assertFalse(Files.exists(out));
  }
}
