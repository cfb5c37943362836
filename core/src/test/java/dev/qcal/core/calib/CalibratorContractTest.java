package dev.qcal.core.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every registered calibrator must keep (HdrHistogram's pattern: one suite over all
 * implementations). Registering a method in {@link Calibrators} enrols it here.
 */
class CalibratorContractTest {
  private static final long SEED = 42L;

  /** Named tensors: ordinary shapes and every degenerate case the contract covers. */
  static Map<String, float[]> tensors() {
    Random r = new Random(SEED);
    Map<String, float[]> t = new java.util.LinkedHashMap<>();
    float[] gaussian = new float[20_000];
    float[] relu = new float[20_000];
    float[] laplace = new float[20_000];
    for (int i = 0; i < gaussian.length; i++) {
      gaussian[i] = (float) r.nextGaussian();
      relu[i] = Math.max(0f, (float) r.nextGaussian() * 2);
      double u = r.nextDouble() - 0.5;
      laplace[i] = (float) (-Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
    }
    laplace[7] = 40f; // an outlier
    t.put("gaussian", gaussian);
    t.put("relu", relu);
    t.put("laplace with outlier", laplace);
    float[] small = new float[500]; // a small tensor: most of its 2048 bins empty
    for (int i = 0; i < small.length; i++) {
      small[i] = (float) (r.nextGaussian() / Math.sqrt(r.nextDouble() + 0.05));
    }
    t.put("small heavy-tailed", small);
    t.put("negative only", new float[] {-1f, -2f, -0.5f, -3f, -0.25f});
    t.put("two values", new float[] {-1f, 1f});
    t.put("empty", new float[0]);
    t.put("nan only", new float[] {Float.NaN, Float.NaN});
    t.put("inf only", new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY});
    t.put("all zero", new float[100]);
    t.put("constant", new float[] {3f, 3f, 3f, 3f});
    t.put("single value", new float[] {-0.5f});
    t.put("nan and inf mixed in", new float[] {Float.NaN, 1f, -2f, Float.POSITIVE_INFINITY, 0.5f});
    return t;
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (String method : Calibrators.names()) {
      for (Map.Entry<String, float[]> tensor : tensors().entrySet()) {
        for (QuantSpec quant :
            List.of(QuantSpec.symmetric(8), QuantSpec.symmetric(4), QuantSpec.affine(8))) {
          out.add(Arguments.of(method, tensor.getKey(), tensor.getValue(), quant));
        }
      }
    }
    return out.stream();
  }

  private static TensorStatistics statistics(float[] values, Iterable<Domain> domains) {
    RangeStats range = RangeStats.of(values);
    Map<Domain, Histogram> histograms = new EnumMap<>(Domain.class);
    for (Domain d : domains) {
      HistogramSpec spec = HistogramSpec.forStats(d, range, 2048);
      histograms.put(
          d, new HistogramAccumulator(spec).add(spec, values, 0, values.length).snapshot());
    }
    return TensorStatistics.of(range, histograms);
  }

  @ParameterizedTest(name = "{0} on {1} ({3})")
  @MethodSource("cases")
  void keepsTheContract(String method, String tensor, float[] values, QuantSpec quant) {
    Calibrator calibrator = Calibrators.create(method);
    assertEquals(method, calibrator.name());
    TensorStatistics stats = statistics(values, calibrator.domains());
    TensorStatistics copy = statistics(values, calibrator.domains());

    CalibrationResult first = calibrator.calibrate(stats, quant);
    CalibrationResult second = Calibrators.create(method).calibrate(stats, quant);

    assertEquals(copy, stats, "inputs unchanged");
    assertEquals(first, second, "deterministic: every field, curves and details included");
    assertEquals(
        first.withoutCurves(),
        calibrator.calibrateWithoutCurves(stats, quant),
        "without curves: the same result but for its curves");
    assertEquals(method, first.method());
    float scale = first.params().scale();
    assertTrue(Float.isFinite(scale) && scale > 0, "finite positive scale: " + first);
    assertTrue(
        Double.isFinite(first.range().min()) && Double.isFinite(first.range().max()),
        first.toString());
    RangeStats range = stats.range();
    if (range.hasNoFiniteValue() || range.isConstant()) {
      assertFalse(first.notes().isEmpty(), "a degenerate tensor gets a note: " + first);
    } else {
      assertTrue(first.amax() > 0, "a non-degenerate tensor gets a non-zero range: " + first);
      // ModelOpt's MseCalibrator grid (mse:sweep) reaches 4·amax0; nothing else exceeds the data.
      assertTrue(first.amax() <= 4 * range.absMax(), "range within reason: " + first);
    }
  }
}
