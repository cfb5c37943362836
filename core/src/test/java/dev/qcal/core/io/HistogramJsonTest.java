package dev.qcal.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.WeightedHistogram;
import dev.qcal.core.testing.ReferenceVector;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HistogramJsonTest {

  private static Map<String, TensorStatistics> read(String json) {
    return read(json, "hist.json");
  }

  private static Map<String, TensorStatistics> read(String json, String source) {
    return HistogramJson.read(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), source);
  }

  private static String error(String json) {
    return assertThrows(InputFormatException.class, () -> read(json)).getMessage();
  }

  @Test
  void readsOneHistogramWithEdges() {
    // counts 4 over edges [0, 0.5, 1, 1.5, 2]: first edge >= 0, so the absolute domain; the data
    // range defaults to the first and last edge; the count is the total 5+3+0+1 = 9.
    Map<String, TensorStatistics> all =
        read("{\"name\": \"conv1\", \"counts\": [5, 3, 0, 1], \"edges\": [0, 0.5, 1, 1.5, 2]}");
    assertEquals(List.of("conv1"), List.copyOf(all.keySet()));
    TensorStatistics s = all.get("conv1");
    Histogram h = s.histogram(Domain.ABSOLUTE);
    assertArrayEquals(new long[] {5, 3, 0, 1}, h.counts());
    assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2}, h.edges());
    assertEquals(9, s.range().count());
    assertEquals(0f, s.range().min());
    assertEquals(2f, s.range().max());
  }

  @ParameterizedTest
  @CsvSource({
    "hist.json, hist",
    "/data/run 1/conv1.json, conv1",
    "C:\\d\\fc.json, fc",
    "plain, plain"
  })
  void namesALoneHistogramAfterTheFile(String source, String name) {
    assertEquals(
        List.of(name), List.copyOf(read("{\"counts\": [1], \"edges\": [0, 1]}", source).keySet()));
  }

  @Test
  void computesUniformEdgesAsNumpyInFloat32UnlessFloat64() {
    // linspace(0, 1, 4) = [0, 1/3, 2/3, 1]; float32 rounds 1/3 to 0.3333333432674408.
    Histogram f32 =
        read("{\"counts\": [1, 1, 1], \"range\": [0, 1]}").get("hist").histogram(Domain.ABSOLUTE);
    assertEquals((double) (float) (1.0 / 3), f32.edge(1));
    assertEquals(0.3333333432674408, f32.edge(1));
    assertEquals(1.0, f32.edge(3));
    Histogram f64 =
        read("{\"counts\": [1, 1, 1], \"range\": [0, 1], \"dtype\": \"float64\"}")
            .get("hist")
            .histogram(Domain.ABSOLUTE);
    assertEquals(1.0 / 3, f64.edge(1));
  }

  @Test
  void choosesTheDomainFromTheFirstEdgeUnlessGiven() {
    assertTrue(read("{\"counts\": [1, 1], \"range\": [-1, 1]}").get("hist").has(Domain.SIGNED));
    assertTrue(read("{\"counts\": [1, 1], \"range\": [0, 1]}").get("hist").has(Domain.ABSOLUTE));
    assertTrue(
        read("{\"counts\": [1, 1], \"range\": [0, 1], \"domain\": \"signed\"}")
            .get("hist")
            .has(Domain.SIGNED));
  }

  @Test
  void takesTheDataRangeFromMinAndMax() {
    TensorStatistics s =
        read("{\"counts\": [1, 2], \"range\": [-2, 2], \"min\": -1.5, \"max\": 1.75}").get("hist");
    assertEquals(-1.5f, s.range().min());
    assertEquals(1.75f, s.range().max());
  }

  @Test
  void acceptsWholeCountsWrittenAsFloats() {
    // torch.histc returns float counts; 3.0 is a whole number.
    assertArrayEquals(
        new long[] {3, 0},
        read("{\"counts\": [3.0, 0.0], \"edges\": [0, 1, 2]}")
            .get("hist")
            .histogram(Domain.ABSOLUTE)
            .counts());
  }

  @Test
  void readsSeveralHistogramsSortedByName() {
    String body =
        "{\"fc\": {\"counts\": [1], \"edges\": [0, 1]}, \"conv1\": {\"counts\": [2], \"range\":"
            + " [-1, 1]}}";
    Map<String, TensorStatistics> wrapped = read("{\"tensors\": " + body + "}");
    Map<String, TensorStatistics> bare = read(body);
    assertEquals(List.of("conv1", "fc"), List.copyOf(wrapped.keySet()));
    assertEquals(wrapped, bare);
    assertTrue(wrapped.get("conv1").has(Domain.SIGNED));
    // A "tensors" value that is itself a histogram is a tensor called "tensors".
    assertEquals(
        List.of("tensors"),
        List.copyOf(read("{\"tensors\": {\"counts\": [1], \"edges\": [0, 1]}}").keySet()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mxnet_cc_kl_gaussian.json",
        "mxnet_py_kl_gaussian_int8.json",
        "ncnn_kl_gaussian.json",
        "nv_entropy_gaussian_8bit.json",
        "nv_entropy_relu_gaussian_8bit.json",
        "ort_entropy_gaussian_bins128.json",
        "ort_entropy_relu_gaussian_bins2048.json",
        "ort_percentile_sym_relu_gaussian.json",
        "ppq_kl_gaussian.json",
        "ppq_mse_sym_gaussian.json",
        "tvm_kl_laplace.json",
        "two_pointer_gaussian.json",
        "wq_log_act_relu_gaussian_L4.json"
      })
  void readsEveryReferenceVectorAsTheFixtureDoes(String file) throws IOException {
    ReferenceVector v = ReferenceVector.load(file);
    Domain domain = v.edges()[0] >= 0 ? Domain.ABSOLUTE : Domain.SIGNED;
    TensorStatistics s;
    try (InputStream in = getClass().getResourceAsStream("/vectors/" + file)) {
      s = HistogramJson.read(in, file).get(file.substring(0, file.length() - 5));
    }
    assertEquals(v.statistics(domain), s);
    assertArrayEquals(v.edges(), s.histogram(domain).edges());
  }

  @Test
  void readsTheFractionalCountsOfPyTorchsHistogramObserver() throws IOException {
    // The HistogramObserver spreads counts fractionally when it re-bins across batches (1212 of the
    // vector's 2048 counts are fractional): read as a histogram with fractional counts, which only
    // the methods whose tools count in floats search (MethodInputs).
    String file = "torch_histobs_gaussian.json";
    try (InputStream in = getClass().getResourceAsStream("/vectors/" + file)) {
      TensorStatistics s = HistogramJson.read(in, file).get("torch_histobs_gaussian");
      WeightedHistogram w = s.weighted(Domain.SIGNED).orElseThrow();
      assertFalse(s.has(Domain.SIGNED));
      assertEquals(2048, w.binCount());
      assertEquals(2.0625, w.count(158));
      assertEquals(200000.0, w.total(), 1e-6);
      assertEquals(200000, s.range().count());
      assertEquals((float) -5.295615196228027, s.range().min());
    }
  }

  @Test
  void readsRawValuesAndCaffeWqLogHistograms() {
    TensorStatistics v =
        HistogramJson.read(
                new ByteArrayInputStream(
                    "{\"w\": {\"values\": [0.5, -1.25, 2]}}".getBytes(StandardCharsets.UTF_8)),
                "v.json")
            .get("w");
    assertArrayEquals(new float[] {0.5f, -1.25f, 2f}, v.values().orElseThrow());
    assertEquals(-1.25f, v.range().min());
    assertEquals(2f, v.range().max());
    // 32 log bins from offset -640 (caffe-WQ): bin j covers [2^((-640 + j)/16), 2^((-639 + j)/16)).
    StringBuilder counts = new StringBuilder();
    for (int j = 0; j < 32; j++) {
      counts.append(j == 0 ? "" : ",").append(j == 20 ? 3 : 0);
    }
    TensorStatistics log =
        HistogramJson.read(
                new ByteArrayInputStream(
                    ("{\"a\": {\"domain\": \"log2\", \"counts\": [" + counts + "]}}")
                        .getBytes(StandardCharsets.UTF_8)),
                "l.json")
            .get("a");
    assertEquals(Math.pow(2, -40), log.histogram(Domain.LOG2).edge(0));
    assertEquals(Math.pow(2, -38), log.histogram(Domain.LOG2).edge(32));
    assertEquals(3, log.histogram(Domain.LOG2).count(20));
    assertEquals(
        "hist.json: tensor 'a': a log2 histogram takes 'offset' (16·log2 of bin 0's lower edge, an"
            + " integer; default -640, caffe-WQ's), not 'edges' or 'range': its bins are 16 per"
            + " octave",
        error("{\"a\": {\"domain\": \"log2\", \"counts\": [1], \"range\": [0, 1024]}}"));
    assertEquals(
        "hist.json: tensor 'a': give either 'counts' (a histogram) or 'values' (raw values), not"
            + " both",
        error("{\"a\": {\"values\": [1], \"counts\": [1], \"edges\": [0, 1]}}"));
    assertEquals(
        "hist.json: tensor 'a': 'values'[1] must be a finite number, not \"x\"",
        error("{\"a\": {\"values\": [1, \"x\"]}}"));
  }

  @Test
  void namesSourceTensorAndFieldInEveryError() {
    assertEquals(
        "hist.json: tensor 'conv1': 'counts' has 10 values but 'edges' has 10 (need 11)",
        error(
            "{\"tensors\": {\"conv1\": {\"counts\": [0,0,0,0,0,0,0,0,0,0], \"edges\":"
                + " [0,1,2,3,4,5,6,7,8,9]}}}"));
    assertEquals(
        "hist.json: tensor 'conv1': 'counts'[1] is -2, not a non-negative number",
        error("{\"conv1\": {\"counts\": [1, -2], \"edges\": [0, 1, 2]}}"));
    assertEquals(
        "hist.json: tensor 'conv1': 'counts'[0] is \"3\", not a non-negative number",
        error("{\"conv1\": {\"counts\": [\"3\"], \"edges\": [0, 1]}}"));
    assertEquals(
        "hist.json: tensor 'conv1': 'edges' must increase strictly, but edges[2] = 1.0 follows"
            + " edges[1] = 1.0",
        error("{\"conv1\": {\"counts\": [1, 1], \"edges\": [0, 1, 1]}}"));
    assertEquals(
        "hist.json: tensor 'conv1': 'edges'[1] must be a finite number, not \"a\"",
        error("{\"conv1\": {\"counts\": [1, 1], \"edges\": [0, \"a\", 1]}}"));
    assertEquals(
        "hist.json: tensor 'conv1': missing 'counts'", error("{\"conv1\": {\"edges\": [0, 1]}}"));
    assertEquals(
        "hist.json: tensor 'conv1': missing 'edges' (counts + 1 bin edges) or 'range' ([lo, hi] of"
            + " uniform bins)",
        error("{\"conv1\": {\"counts\": [1]}}"));
    assertEquals(
        "hist.json: tensor 'conv1': give either 'edges' or 'range', not both",
        error("{\"conv1\": {\"counts\": [1], \"edges\": [0, 1], \"range\": [0, 1]}}"));
    assertEquals(
        "hist.json: tensor 'conv1': 'range' must be [lo, hi] with lo < hi, not [1,1]",
        error("{\"conv1\": {\"counts\": [1], \"range\": [1, 1]}}"));
    assertEquals(
        "hist.json: tensor 'conv1': 'counts' is empty (need at least one bin)",
        error("{\"conv1\": {\"counts\": [], \"edges\": [0]}}"));
    assertEquals(
        "hist.json: tensor 'conv1': 'domain' is 'log', expected 'absolute', 'signed' or 'log2'",
        error("{\"conv1\": {\"counts\": [1], \"edges\": [0, 1], \"domain\": \"log\"}}"));
    assertEquals(
        "hist.json: tensor 'conv1': 'domain' is 'absolute' but the first edge is -1.0 (|x| is never"
            + " negative)",
        error("{\"conv1\": {\"counts\": [1], \"edges\": [-1, 1], \"domain\": \"absolute\"}}"));
    assertEquals(
        "hist.json: tensor 'conv1': 'dtype' is 'int8', expected 'float32' or 'float64'",
        error("{\"conv1\": {\"counts\": [1], \"range\": [0, 1], \"dtype\": \"int8\"}}"));
    assertEquals(
        "hist.json: tensor 'conv1': 'min' (2.0) and 'max' (1.0) must be float32 values with min <="
            + " max",
        error("{\"conv1\": {\"counts\": [1], \"edges\": [0, 1], \"min\": 2, \"max\": 1}}"));
    assertEquals(
        "hist.json: tensor 'conv1': expected a histogram object with 'counts', not 3 (the file"
            + " holds one histogram, {\"tensors\": {name: histogram}}, or histograms keyed by"
            + " tensor name)",
        error("{\"conv1\": 3}"));
    assertEquals(
        // linspace(1, 1.0000002, 5) steps by 5e-8, under half a float32 ulp at 1 (1.19e-7): the
        // second edge rounds back to 1.0.
        "hist.json: tensor 'hist': 'edges' must increase strictly, but edges[1] = 1.0 follows"
            + " edges[0] = 1.0",
        error("{\"counts\": [1, 1, 1, 1], \"range\": [1, 1.0000002]}"));
  }

  @Test
  void reportsBadJsonAndEmptyDocuments() {
    assertEquals("hist.json: empty input, expected a JSON object", error(""));
    assertEquals("hist.json: expected a JSON object, not [1,2]", error("[1, 2]"));
    assertEquals("hist.json: no histogram found (the object is empty)", error("{}"));
    assertEquals("hist.json: no histogram found (the object is empty)", error("{\"tensors\": {}}"));
    String bad = error("{\"counts\": [1,");
    assertTrue(bad.startsWith("hist.json: not valid JSON: "), bad);
    assertTrue(bad.contains("(line 1, column "), bad);
    String dup =
        error(
            "{\"a\": {\"counts\": [1], \"edges\": [0, 1]}, \"a\": {\"counts\": [2], \"edges\": [0,"
                + " 1]}}");
    assertTrue(dup.startsWith("hist.json: not valid JSON: Duplicate field 'a'"), dup);
    String trailing = error("{\"counts\": [1], \"edges\": [0, 1]} {}");
    assertTrue(trailing.startsWith("hist.json: unexpected content after the JSON value"), trailing);
  }
}
