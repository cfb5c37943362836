package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  private static Qcal.Result runCapturing(ByteArrayOutputStream stdout, String... args)
      throws Exception {
    PrintStream previous =
        dev.qcal.jobs.cli.HistogramCommandAccess.swap(
            new PrintStream(stdout, true, StandardCharsets.UTF_8));
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
    Files.writeString(
        file, "{\"conv 1: out\": {\"counts\": [1, 2, 3, 4], \"edges\": [0, 1, 2, 3, 4]}}");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    Qcal.Result r =
        runCapturing(stdout, "histogram", "--input", file.toString(), "--methods", "max");
    assertEquals(0, r.code(), r::toString);
    CalibrationTableDocument doc =
        CalibrationJson.read(new ByteArrayInputStream(stdout.toByteArray()), "stdout");
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
    assertEquals(
        3,
        runCapturing(stdout, "histogram", "--input", tmp.resolve("none.json").toString()).code());
    assertEquals(
        2,
        runCapturing(stdout, "histogram", "--input", file.toString(), "--methods", "nope").code());
    assertEquals(0, stdout.size());
  }

  private Path vector(String file) throws Exception {
    Path out = tmp.resolve(file);
    try (java.io.InputStream in = getClass().getResourceAsStream("/vectors/" + file)) {
      Files.copy(in, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return out;
  }

  /**
   * Issue 14: a method needing another histogram domain than the file has ended in exit 1 with an
   * IllegalStateException stack trace; now exit 2 naming the domain the file has and what can run.
   */
  @Test
  void aMethodNeedingAnotherDomainExitsTwoWithWhatCanRun() throws Exception {
    Path file = tmp.resolve("abs.json");
    Files.writeString(file, "{\"conv1\": {\"counts\": [1, 2, 3, 4], \"edges\": [0, 1, 2, 3, 4]}}");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    for (String method : new String[] {"percentile:ort-affine", "entropy:ort", "wq:log"}) {
      Qcal.Result r =
          runCapturing(
              stdout, "histogram", "--input", file.toString(), "--methods", "max," + method);
      assertEquals(2, r.code(), r::toString);
      assertTrue(r.err().contains("Method " + method + " needs a"), r.err());
      assertTrue(
          r.err()
              .contains(
                  "histogram, but tensor 'conv1' in "
                      + file
                      + " has an absolute (|x|) histogram;"
                      + " methods that can run on it: max, entropy, "),
          r.err());
      assertFalse(
          r.err().contains("Exception") || r.err().contains("\tat "), "no stack trace: " + r.err());
    }
    assertEquals(0, stdout.size());
  }

  /**
   * PyTorch HistogramObserver state (fractional counts) for mse:torch; whole-count methods refused.
   */
  @Test
  void pyTorchObserverStateWithFractionalCounts() throws Exception {
    Path file = vector("torch_histobs_gaussian.json");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    Qcal.Result r =
        runCapturing(
            stdout,
            "histogram",
            "--input",
            file.toString(),
            "--methods",
            "mse:torch",
            "--scheme",
            "affine");
    assertEquals(0, r.code(), r::toString);
    CalibrationTableDocument doc =
        CalibrationJson.read(new ByteArrayInputStream(stdout.toByteArray()), "stdout");
    CalibrationTableDocument.MethodEntry m =
        doc.tensor("torch_histobs_gaussian").method("mse:torch");
    // The vector's expected answer (PyTorch's own code): scale 0.038069434463977814, zero point
    // 131.
    assertEquals(0.038069434463977814, m.scale(), 1e-6 * 0.038069434463977814);
    assertEquals(131, m.zeroPoint());
    stdout.reset();
    Qcal.Result whole =
        runCapturing(
            stdout,
            "histogram",
            "--input",
            file.toString(),
            "--methods",
            "mse:torch,entropy:mxnet");
    assertEquals(2, whole.code(), whole::toString);
    assertTrue(
        whole
            .err()
            .contains(
                "Method entropy:mxnet needs whole counts (its reference tool counts in integers),"
                    + " but tensor 'torch_histobs_gaussian' in "
                    + file
                    + " has fractional counts; methods that can run on it: max,"
                    + " mse:torch"),
        whole.err());
  }

  /** Raw values for OCTAV and the weighted-entropy weights, as in the reference vectors. */
  @Test
  void rawValuesForOctavAndWq() throws Exception {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    Qcal.Result r =
        runCapturing(
            stdout,
            "histogram",
            "--input",
            vector("octav_raw_gaussian_4bit.json").toString(),
            "--methods",
            "octav:aiedge,max",
            "--bits",
            "4");
    assertEquals(0, r.code(), r::toString);
    CalibrationTableDocument doc =
        CalibrationJson.read(new ByteArrayInputStream(stdout.toByteArray()), "stdout");
    assertEquals(
        2.582667112350464,
        doc.tensor("octav_raw_gaussian_4bit").method("octav:aiedge").amax(),
        1e-6 * 2.58);
    stdout.reset();
    r =
        runCapturing(
            stdout,
            "histogram",
            "--input",
            vector("wq_weight_gaussian_L4.json").toString(),
            "--methods",
            "wq",
            "--bits",
            "2");
    assertEquals(0, r.code(), r::toString);
    doc = CalibrationJson.read(new ByteArrayInputStream(stdout.toByteArray()), "stdout");
    assertEquals(
        0.09559765458106995,
        doc.tensor("wq_weight_gaussian_L4").method("wq").amax(),
        1e-6 * 0.0956);
    stdout.reset();
    r =
        runCapturing(
            stdout,
            "histogram",
            "--input",
            vector("octav_raw_gaussian_4bit.json").toString(),
            "--methods",
            "entropy");
    assertEquals(2, r.code(), r::toString);
    assertTrue(
        r.err()
            .contains(
                "is given as raw values; methods that can run on it: max, octav, octav:aiedge, wq"),
        r.err());
  }

  /** caffe-WQ's log2 histogram (16 bins per octave from 2^(offset/16)) for wq:log. */
  @Test
  void caffeWqLogHistogramForWqLog() throws Exception {
    com.fasterxml.jackson.databind.node.ObjectNode json =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(vector("wq_log_act_relu_gaussian_L4.json").toFile());
    json.remove("range");
    json.put("domain", "log2");
    json.put("offset", -640);
    Path file = tmp.resolve("log.json");
    Files.writeString(file, json.toString());
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    Qcal.Result r =
        runCapturing(
            stdout, "histogram", "--input", file.toString(), "--methods", "wq:log", "--bits", "2");
    assertEquals(0, r.code(), r::toString);
    CalibrationTableDocument doc =
        CalibrationJson.read(new ByteArrayInputStream(stdout.toByteArray()), "stdout");
    CalibrationTableDocument.MethodEntry m = doc.tensor("log").method("wq:log");
    assertEquals(297, ((Number) m.details().get("fsr")).intValue());
    assertEquals(6, ((Number) m.details().get("half_step")).intValue());
    assertEquals(2.3784141540527344, m.amax(), 1e-6 * 2.38);
  }

  /**
   * entropy:mxnet15 with --scheme unsigned is MXNet 1.5's quantized_dtype='uint8': 511 levels on
   * non-negative data (the hand case of MxnetUnsignedSchemeTest: 10 values in each of bins 511..610
   * of 1023 unit bins; int8 picks 127.5, uint8 (0, 255.5)).
   */
  @Test
  void mxnet15UnsignedSchemeIsUint8() throws Exception {
    StringBuilder counts = new StringBuilder();
    for (int j = 0; j < 1023; j++) {
      counts.append(j == 0 ? "" : ",").append(j >= 511 && j <= 610 ? 10 : 0);
    }
    Path file = tmp.resolve("relu.json");
    Files.writeString(
        file,
        "{\"counts\": ["
            + counts
            + "], \"range\": [-511.5, 511.5], \"dtype\": \"float64\", \"min\": 0, \"max\": 99.4}");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    Qcal.Result r =
        runCapturing(
            stdout,
            "histogram",
            "--input",
            file.toString(),
            "--methods",
            "entropy:mxnet15",
            "--scheme",
            "unsigned");
    assertEquals(0, r.code(), r::toString);
    CalibrationTableDocument.MethodEntry m =
        CalibrationJson.read(new ByteArrayInputStream(stdout.toByteArray()), "stdout")
            .tensor("relu")
            .method("entropy:mxnet15");
    assertEquals(255.5, m.amax());
    stdout.reset();
    assertEquals(
        0,
        runCapturing(
                stdout, "histogram", "--input", file.toString(), "--methods", "entropy:mxnet15")
            .code());
    assertEquals(
        127.5,
        CalibrationJson.read(new ByteArrayInputStream(stdout.toByteArray()), "stdout")
            .tensor("relu")
            .method("entropy:mxnet15")
            .amax());
  }
}
