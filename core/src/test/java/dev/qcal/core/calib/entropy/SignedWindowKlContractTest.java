package dev.qcal.core.calib.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.Calibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Purity, determinism and the degenerate tensors (docs/design/algorithms.md §11) for every variant.
 */
class SignedWindowKlContractTest {
  private static final QuantSpec INT8 = QuantSpec.symmetric(8);

  static Stream<Calibrator> calibrators() {
    return Stream.of(
        new OrtEntropyCalibrator(),
        new Mxnet15EntropyCalibrator(),
        new MxnetEntropyCalibrator(),
        new TvmEntropyCalibrator());
  }

  /**
   * Statistics of {@code values} with a signed [−T, T] histogram of {@code bins} bins, as the job
   * builds it.
   */
  static TensorStatistics statistics(float[] values, int bins) {
    RangeStats range = RangeStats.of(values);
    HistogramSpec spec = HistogramSpec.forStats(Domain.SIGNED, range, bins);
    Histogram h = new HistogramAccumulator(spec).add(values).snapshot();
    return TensorStatistics.of(range, h);
  }

  static float[] gaussian(long seed, int n) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      double u = rnd.nextDouble();
      double w = rnd.nextDouble();
      v[i] = (float) (Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w));
    }
    return v;
  }

  @ParameterizedTest
  @MethodSource("calibrators")
  void pureAndDeterministic(Calibrator c) {
    TensorStatistics stats = statistics(gaussian(7, 20_000), 1001);
    long[] before = stats.histogram(Domain.SIGNED).counts();
    TensorStatistics copy = TensorStatistics.of(stats.range(), stats.histograms());
    CalibrationResult a = c.calibrate(stats, INT8);
    CalibrationResult b = c.calibrate(stats, INT8);
    assertEquals(copy, stats);
    assertTrue(java.util.Arrays.equals(before, stats.histogram(Domain.SIGNED).counts()));
    assertEquals(a, b, "every field, curves and details included");
    assertEquals(EnumSet.of(Domain.SIGNED), c.domains());
    // A sane answer on a Gaussian: a clip inside the data range, a finite KL.
    assertTrue(a.amax() > 0 && a.amax() <= stats.range().absMax(), a.toString());
    assertTrue(Double.isFinite(a.objective()), a.toString());
  }

  @ParameterizedTest
  @MethodSource("calibrators")
  void allZerosFallBackWithoutNaN(Calibrator c) {
    CalibrationResult r = c.calibrate(statistics(new float[1000], 8001), INT8);
    // ClipRange.symmetric(0) is (−0.0, 0.0): compare numerically.
    assertEquals(0.0, r.range().min(), 0.0);
    assertEquals(0.0, r.range().max(), 0.0);
    assertEquals(1f, r.params().scale());
    assertTrue(
        r.notes().stream().anyMatch(n -> n.startsWith("all-zero tensor")), r.notes().toString());
  }

  @ParameterizedTest
  @MethodSource("calibrators")
  void constantTensorFallsBackToMax(Calibrator c) {
    float[] v = new float[500];
    java.util.Arrays.fill(v, 3f);
    CalibrationResult r = c.calibrate(statistics(v, 8001), INT8);
    assertEquals(3.0, r.amax());
    assertTrue(Float.isFinite(r.params().scale()));
    assertTrue(
        r.notes().stream().anyMatch(n -> n.startsWith("constant tensor")), r.notes().toString());
  }

  @ParameterizedTest
  @MethodSource("calibrators")
  void twoValuesAndOneSidedDataGiveFiniteScales(Calibrator c) {
    for (float[] v :
        new float[][] {{-1f, 1f}, {0.5f, 0.75f, 1f}, {-3f, -2f, -2.5f}, {0f, 0f, 0f, 5f}}) {
      CalibrationResult r = c.calibrate(statistics(v, 8001), INT8);
      assertTrue(r.range().min() <= r.range().max(), r.toString());
      assertTrue(Float.isFinite(r.params().scale()) && r.params().scale() > 0, r.toString());
    }
  }

  /** Counts beyond the tools' int32 / float32 handovers: no exception, a finite scale, a note. */
  @Test
  void hugeCountsAreNotedNotFatal() {
    long[] h = new long[1001];
    for (int j = 0; j < h.length; j++) {
      h[j] = 3_000_000_000L + j;
    }
    TensorStatistics stats = SignedWindowKlHandTest.stats(h, -500.5, 500.5);
    CalibrationResult tvm = new TvmEntropyCalibrator().calibrate(stats, INT8);
    assertTrue(
        tvm.notes().stream().anyMatch(n -> n.contains("wrapped to int32")), tvm.notes().toString());
    assertTrue(Float.isFinite(tvm.params().scale()));
    CalibrationResult mx = new MxnetEntropyCalibrator().calibrate(stats, INT8);
    assertTrue(
        mx.notes().stream().anyMatch(n -> n.contains("rounded to float32")), mx.notes().toString());
    assertTrue(Double.isFinite(mx.objective()));
  }

  @Test
  void rejectsBadParameters() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new OrtEntropyCalibrator(1));
    assertEquals(
        "Cannot build a KL calibrator: the number of quantized bins must be in [2, 2^20] (1)",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new MxnetEntropyCalibrator(null, 255));
    assertEquals("Cannot build entropy:mxnet: quantized dtype is null", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Mxnet15EntropyCalibrator(null, 255));
    assertEquals("Cannot build entropy:mxnet15: quantized dtype is null", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new TvmEntropyCalibrator(0));
    assertTrue(e.getMessage().endsWith("(0)"));
  }

  @Test
  void methodKeys() {
    assertEquals(
        List.of("entropy:ort", "entropy:mxnet15", "entropy:mxnet", "entropy:tvm"),
        calibrators().map(Calibrator::name).toList());
  }
}
