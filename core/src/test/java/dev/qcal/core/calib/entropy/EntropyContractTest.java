package dev.qcal.core.calib.entropy;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.Calibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The calibrator contract for every |x| entropy method: pure, deterministic, named. */
class EntropyContractTest {

  static Stream<Calibrator> calibrators() {
    return Stream.of(
        new NvidiaEntropyCalibrator(),
        new TensorRtEntropyCalibrator(),
        new NcnnEntropyCalibrator(),
        new PpqEntropyCalibrator());
  }

  private static Histogram reluLike(int n) {
    Random rnd = new Random(3);
    long[] counts = new long[n];
    counts[0] = 100_000; // the ReLU spike NVIDIA's h[0] := h[1] overwrites in its own array
    for (int j = 1; j < n; j++) {
      counts[j] = (long) (2000 * Math.exp(-5.0 * j / n) * (0.5 + rnd.nextDouble()));
    }
    double[] edges = new double[n + 1];
    for (int j = 0; j <= n; j++) {
      edges[j] = 4.0 * j / n;
    }
    return Histogram.withEdges(Domain.ABSOLUTE, edges, counts);
  }

  @ParameterizedTest
  @MethodSource("calibrators")
  void leavesTheHistogramUntouchedAndIsDeterministic(Calibrator calibrator) {
    Histogram h = reluLike(4096);
    long[] counts = h.counts();
    double[] edges = h.edges();
    TensorStatistics stats = TensorStatistics.ofHistogram(h, 0, 4);
    CalibrationResult first = calibrator.calibrate(stats, QuantSpec.symmetric(8));
    CalibrationResult second = calibrator.calibrate(stats, QuantSpec.symmetric(8));
    assertArrayEquals(counts, stats.histogram(Domain.ABSOLUTE).counts());
    assertArrayEquals(edges, stats.histogram(Domain.ABSOLUTE).edges());
    assertEquals(100_000, stats.histogram(Domain.ABSOLUTE).count(0));
    assertEquals(first, second, "every field, curves and details included");
    assertEquals(calibrator.name(), first.method());
    assertEquals(java.util.Set.of(Domain.ABSOLUTE), calibrator.domains());
    // The objective is the curve's value at the choice.
    double amax = first.amax();
    boolean found = false;
    for (var p : first.curves().get("kl")) {
      if (Math.abs(p.threshold() - amax) <= 1e-6 * amax && p.objective() == first.objective()) {
        found = true;
      }
    }
    assertEquals(true, found, first.toString());
  }

  @ParameterizedTest
  @MethodSource("calibrators")
  void degenerateTensorsFallBackWithANote(Calibrator calibrator) {
    Histogram empty =
        Histogram.withEdges(Domain.ABSOLUTE, new double[] {0, 1, 2}, new long[] {0, 0});
    // 10 finite values in [0, 2] that all fell outside the histogram (e.g. a mismatched layout).
    TensorStatistics stats = TensorStatistics.of(RangeStats.of(10, 0, 0, 0, 0f, 2f), empty);
    CalibrationResult r = calibrator.calibrate(stats, QuantSpec.symmetric(8));
    assertEquals(2.0, r.amax());
    assertEquals(List.of("empty histogram: fell back to max"), r.notes());
  }

  @Test
  void rejectsBadParameters() {
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> new NvidiaEntropyCalibrator(0, 1),
        "startBin must be at least 1 (0)");
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> new NvidiaEntropyCalibrator(128, 0),
        "stride must be at least 1 (0)");
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> new TensorRtEntropyCalibrator(0),
        "entropy:trt calibrator: startBin must be at least 1 (0)");
  }
}
