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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --formats}: every toolchain format from one run, and a bad key refused before any scan.
 */
@ExtendWith(SharedSpark.class)
class FormatsTest {
  @TempDir Path tmp;

  @Test
  void allFormatsAreWrittenNextToTheCanonicalTable() throws Exception {
    Path out = tmp.resolve("out");
    Qcal.Result r =
        Qcal.run(
            "calibrate",
            "--input",
            Qcal.SAMPLE.toString(),
            "--output",
            out.toString(),
            "--methods",
            "max",
            "--formats",
            "all",
            "--trt-version",
            "10.3.0");
    assertEquals(0, r.code(), r::toString);
    for (TableFormat f : TableFormat.values()) {
      boolean refusedForNames = r.err().contains("Cannot write " + f.key() + " ");
      assertTrue(
          Files.exists(out.resolve(f.fileName())) || refusedForNames, f.key() + ": " + r.err());
    }
    // The sample's names have spaces: ncnn's table cannot carry them and is refused by name.
    assertTrue(r.err().contains("Cannot write ncnn"), r.err());
    assertFalse(Files.exists(out.resolve(TableFormat.NCNN.fileName())));
    try (InputStream in = Files.newInputStream(out.resolve("calibration.cache"))) {
      assertEquals(
          "TRT-100300-MinMaxCalibration", TensorRtCache.readContents(in, "cache").header());
    }
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
  }

  /**
   * A format that leaves out thousands of tensors names the first 20 and counts the rest: at 20 000
   * tensors the warning used to name all 2 500 left out, one console line of 50 KB.
   */
  @Test
  void aWarningAboutManyTensorsNamesTwentyAndCountsTheRest() throws Exception {
    Path dump = tmp.resolve("dump");
    Qcal.Result g =
        Qcal.run("generate", "--output", dump.toString(), "--tensors", "200", "--values", "64");
    assertEquals(0, g.code(), g::toString);
    Qcal.Result r =
        Qcal.run(
            "calibrate",
            "--input",
            dump.toString(),
            "--output",
            tmp.resolve("out").toString(),
            "--methods",
            "max",
            "--no-report");
    assertEquals(0, r.code(), r::toString);
    String line =
        r.err()
            .lines()
            .filter(l -> l.startsWith("qcal: warning: calibration.cache leaves out 25 tensor(s)"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(r.err()));
    assertEquals(20, line.split("\\.all-zero'", -1).length - 1, line);
    assertTrue(line.endsWith("'layer00165.all-zero' and 5 more"), line);
  }

  /**
   * Issue 14, "no silently wrong file": a 3-bit run used to write a TensorRT INT8 cache with
   * amax/127 of a range chosen for 3 bits. Now every format that carries only signed symmetric
   * 8-bit scales is refused with a warning, exit 0, and the formats that carry the bit width are
   * written.
   */
  @Test
  void aThreeBitRunWritesNoEightBitOnlyFormat() throws Exception {
    Path out = tmp.resolve("bits3");
    Qcal.Result r =
        Qcal.run(
            "calibrate",
            "--input",
            Qcal.SAMPLE.toString(),
            "--output",
            out.toString(),
            "--bits",
            "3",
            "--methods",
            "entropy",
            "--formats",
            "all",
            "--no-report");
    assertEquals(0, r.code(), r::toString);
    String refused =
        "the format carries only signed symmetric 8-bit scales (amax/127), and this table was"
            + " calibrated for 3-bit symmetric";
    for (String f :
        List.of(
            "trt-cache (calibration.cache)",
            "trt-dynamic-range",
            "ort-flatbuffers",
            "ort-json",
            "ort-cache",
            "ncnn",
            "ppq-trt-json (",
            "ppq-trt-json:ppq")) {
      assertTrue(r.err().contains("qcal: warning: Cannot write " + f), f + ": " + r.err());
    }
    assertEquals(8, r.err().split(java.util.regex.Pattern.quote(refused), -1).length - 1, r.err());
    for (TableFormat f :
        List.of(
            TableFormat.TRT_CACHE,
            TableFormat.TRT_DYNAMIC_RANGE,
            TableFormat.ORT_FLATBUFFERS,
            TableFormat.ORT_JSON,
            TableFormat.ORT_CACHE,
            TableFormat.NCNN,
            TableFormat.PPQ_TRT_JSON,
            TableFormat.PPQ_TRT_JSON_PPQ)) {
      assertFalse(Files.exists(out.resolve(f.fileName())), f.key());
    }
    // The formats that carry 3 bits are written (ORT's overrides and AIMET 2.0.0 have no 3-bit
    // type and refuse it per tensor, as before).
    for (TableFormat f :
        List.of(
            TableFormat.QCAL_JSON, TableFormat.CSV, TableFormat.AIMET_0_6_1, TableFormat.AIMET_1)) {
      assertTrue(Files.exists(out.resolve(f.fileName())), f.key() + ": " + r.err());
    }
    assertTrue(Files.readString(out.resolve("calibration.json")).contains("\"bits\": 3"));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
  }

  @Test
  void anUnknownFormatIsAUsageError() {
    Path out = tmp.resolve("bad");
    Qcal.Result r =
        Qcal.run(
            "calibrate",
            "--input",
            Qcal.SAMPLE.toString(),
            "--output",
            out.toString(),
            "--formats",
            "onnx-magic");
    assertEquals(2, r.code(), r::toString);
    assertTrue(
        r.err().contains("Cannot use output format 'onnx-magic': known formats are"), r.err());
    assertFalse(Files.exists(out));
  }
}
