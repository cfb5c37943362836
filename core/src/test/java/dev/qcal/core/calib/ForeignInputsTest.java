package dev.qcal.core.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.WeightedHistogram;
import dev.qcal.core.io.HistogramJson;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.core.testing.ReferenceVector;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Statistics other tools collect, read as {@code qcal histogram} reads them ({@link
 * HistogramJson}): a PyTorch HistogramObserver's fractional counts, raw values, caffe-WQ's log2
 * histogram; each reproduces its tool's reference vector, and a method that cannot run on one is
 * named with what the tensor has and what can run on it.
 */
class ForeignInputsTest {
  private static TensorStatistics read(String json, String name) {
    Map<String, TensorStatistics> all =
        HistogramJson.read(
            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), name + ".json");
    return all.values().iterator().next();
  }

  private static TensorStatistics vector(ReferenceVector v) {
    return read(v.json().toString(), v.file());
  }

  private static TensorCalibration run(String method, QuantSpec quant, TensorStatistics stats) {
    TensorCalibrator c = new TensorCalibrator(List.of(method), quant);
    assertTrue(c.inputProblem("t", stats).isEmpty(), () -> c.inputProblem("t", stats).get());
    return c.calibrate("t", stats);
  }

  @Test
  void pyTorchHistogramObserverStateWithFractionalCounts() {
    ReferenceVector v = ReferenceVector.load("torch_histobs_gaussian.json");
    TensorStatistics s = vector(v);
    CalibrationResult r = run("mse:torch", QuantSpec.affine(8), s).result("mse:torch");
    v.assertClose("min", v.expected("min"), r.range().min());
    v.assertClose("max", v.expected("max"), r.range().max());
    v.assertClose("scale", v.expected("scale"), r.params().scale());
    assertEquals((int) v.expected("zero_point"), r.params().zeroPoint());
    // The measured error works on fractional counts too.
    assertTrue(run("mse:torch", QuantSpec.affine(8), s).error("mse:torch").sqnrDb() > 30);
  }

  /** Whole counts given as fractional ones (x.0 never is, so halve them) search the same. */
  @Test
  void fractionalCountsSearchAsWholeOnesWhereTheToolScales() {
    ReferenceVector v = ReferenceVector.load("ppq_kl_gaussian.json");
    Histogram whole = v.histogram(Domain.ABSOLUTE);
    double[] halves = new double[whole.binCount()];
    for (int j = 0; j < halves.length; j++) {
      halves[j] = whole.count(j) / 2.0;
    }
    TensorStatistics a = TensorStatistics.ofHistogram(whole, 0, whole.edge(whole.binCount()));
    TensorStatistics b =
        TensorStatistics.ofWeighted(
            WeightedHistogram.withEdges(Domain.ABSOLUTE, whole.edges(), halves),
            0,
            whole.edge(whole.binCount()));
    for (String m : List.of("entropy:ppq", "octav", "octav:aiedge")) {
      QuantSpec q = QuantSpec.symmetric(8);
      assertEquals(run(m, q, a).result(m).range(), run(m, q, b).result(m).range(), m);
    }
  }

  @Test
  void rawValuesForOctavAndWeightedEntropyWeights() {
    ReferenceVector octav = ReferenceVector.load("octav_raw_gaussian_4bit.json");
    CalibrationResult o =
        run("octav:aiedge", QuantSpec.symmetric(4), vector(octav)).result("octav:aiedge");
    octav.assertClose("amax", octav.expected("amax"), o.amax());
    assertTrue(o.notes().contains("on 8000 raw values"), o.notes().toString());
    ReferenceVector wq = ReferenceVector.load("wq_weight_gaussian_L4.json");
    CalibrationResult w = run("wq", QuantSpec.symmetric(2), vector(wq)).result("wq");
    assertArrayEquals(new long[] {6679, 8000}, (long[]) w.details().get("slices"));
    wq.assertClose("amax", wq.expected("amax"), w.amax());
    // max runs on the values' range; the converged OCTAV too.
    assertEquals(
        RangeStats.of(octav.values()).absMax(),
        run("max", QuantSpec.symmetric(4), vector(octav)).result("max").amax());
    assertTrue(run("octav", QuantSpec.symmetric(4), vector(octav)).result("octav").amax() > 0);
  }

  @Test
  void caffeWqLogHistogramForWqLog() {
    ReferenceVector v = ReferenceVector.load("wq_log_act_relu_gaussian_L4.json");
    ObjectNode json = ((ObjectNode) v.json().deepCopy());
    json.remove("range"); // bin indices in the vector; the log2 layout is given by its offset
    json.put("domain", "log2");
    CalibrationResult r =
        run("wq:log", QuantSpec.symmetric(2), read(json.toString(), "log")).result("wq:log");
    assertEquals(297, ((Number) r.details().get("fsr")).intValue());
    assertEquals(6, ((Number) r.details().get("half_step")).intValue());
    v.assertClose("amax", v.expected("amax"), r.amax());
  }

  @Test
  void methodsThatCannotRunAreNamedWithWhatCan() {
    TensorStatistics abs = read("{\"counts\": [1, 2, 3, 4], \"edges\": [0, 1, 2, 3, 4]}", "abs");
    TensorCalibrator ort =
        new TensorCalibrator(List.of("max", "entropy:ort"), QuantSpec.symmetric(8));
    String m = ort.inputProblem("tensor 'abs' in abs.json", abs).orElseThrow();
    assertTrue(
        m.startsWith(
            "Method entropy:ort needs a signed (x) histogram, but tensor 'abs' in abs.json has an"
                + " absolute (|x|) histogram; methods that can run on it: max, entropy,"
                + " entropy:trt, entropy:ncnn, entropy:ppq, percentile,"),
        m);
    assertTrue(
        m.endsWith("(a signed histogram has \"domain\": \"signed\", or a first edge below 0)"), m);
    assertFalse(m.contains("entropy:ort,") || m.contains("wq:log"), m);
    String log =
        new TensorCalibrator(List.of("wq:log"), QuantSpec.symmetric(8))
            .inputProblem("t", abs)
            .orElseThrow();
    assertTrue(
        log.startsWith(
            "Method wq:log needs a log2 histogram, but t has an absolute (|x|) histogram;"),
        log);
    assertTrue(log.contains("\"domain\": \"log2\""), log);

    TensorStatistics torch = vector(ReferenceVector.load("torch_histobs_gaussian.json"));
    String whole =
        new TensorCalibrator(List.of("mse:torch", "entropy:mxnet"), QuantSpec.affine(8))
            .inputProblem("t", torch)
            .orElseThrow();
    assertEquals(
        "Method entropy:mxnet needs whole counts (its reference tool counts in integers), but t has"
            + " fractional counts; methods that can run on it: max, mse:torch",
        whole);
    assertEquals(
        List.of("max", "entropy:ppq", "octav", "octav:aiedge"),
        MethodInputs.runnableOn(
            TensorStatistics.ofWeighted(
                WeightedHistogram.withEdges(
                    Domain.ABSOLUTE, new double[] {0, 1, 2}, new double[] {0.5, 1}),
                0,
                2)));

    TensorStatistics values = TensorStatistics.ofValues(new float[] {1, -2, 3});
    assertEquals(List.of("max", "octav", "octav:aiedge", "wq"), MethodInputs.runnableOn(values));
    assertEquals(
        "Method best alone runs entropy, percentile, mse, max, and method entropy needs an absolute"
            + " (|x|) histogram, but t is given as raw values; methods that can run on it: max,"
            + " octav, octav:aiedge, wq",
        new TensorCalibrator(List.of("best"), QuantSpec.symmetric(8))
            .inputProblem("t", values)
            .orElseThrow());
  }
}
