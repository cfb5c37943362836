package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.io.CalibrationTableDocument;
import dev.qcal.jobs.testing.Qcal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qcal histogram}: histograms from JSON to calibration JSON on stdout, no Spark. */
class HistogramCommandTest {
  @TempDir Path tmp;

  private static Qcal.Result runCapturing(ByteArrayOutputStream stdout, String... args) throws Exception {
    PrintStream previous = dev.qcal.jobs.cli.HistogramCommandAccess.swap(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    try {
      return Qcal.run(args);
    } finally {
      dev.qcal.jobs.cli.HistogramCommandAccess.swap(previous);
    }
  }

  @Test
  void printsTheTableOfTheHistograms() throws Exception {
    Path file = tmp.resolve("h.json");
    // Counts 1, 2, 3, 4 over [0, 4]: max is the data max, 4.
    Files.writeString(file, "{\"conv 1: out\": {\"counts\": [1, 2, 3, 4], \"edges\": [0, 1, 2, 3, 4]}}");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    Qcal.Result r = runCapturing(stdout, "histogram", "--input", file.toString(), "--methods", "max");
    assertEquals(0, r.code(), r::toString);
    CalibrationTableDocument doc = CalibrationJson.read(new ByteArrayInputStream(stdout.toByteArray()), "stdout");
    assertEquals(4.0, doc.tensor("conv 1: out").method("max").amax());
  }

  @Test
  void malformedFileOrBadMethodExitsTwoAndMissingFileThree() throws Exception {
    Path file = tmp.resolve("bad.json");
    Files.writeString(file, "{\"t\": {\"counts\": [1, 2], \"edges\": [0, 1]}}");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    Qcal.Result r = runCapturing(stdout, "histogram", "--input", file.toString());
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("'counts' has 2 values but 'edges' has 2 (need 3)"), r.err());
    assertTrue(r.err().contains("bad.json"), r.err());
    assertEquals(3, runCapturing(stdout, "histogram", "--input", tmp.resolve("none.json").toString()).code());
    assertEquals(2, runCapturing(stdout, "histogram", "--input", file.toString(), "--methods", "nope").code());
    assertEquals(0, stdout.size());
  }
}
