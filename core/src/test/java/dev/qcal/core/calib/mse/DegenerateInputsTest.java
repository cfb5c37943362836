package dev.qcal.core.calib.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.Calibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import org.junit.jupiter.api.Test;

/** Every calibrator of the package on degenerate tensors: a documented fallback, never a throw. */
class DegenerateInputsTest {
  private static final Calibrator[] ALL = {
      new NvMseCalibrator(), PpqMseCalibrator.symmetric(), PpqMseCalibrator.asymmetric(),
      new TorchHistogramCalibrator(), new SweepMseCalibrator()
  };

  private static TensorStatistics withEmptyHistograms(RangeStats range) {
    double[] edges = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    double[] signed = {-4, -3, -2, -1, 0, 1, 2, 3, 4};
    return TensorStatistics.of(
        range,
        Histogram.withEdges(Domain.ABSOLUTE, edges, new long[8]),
        Histogram.withEdges(Domain.SIGNED, signed, new long[8]));
  }

  @Test
  void noFiniteValue() {
    TensorStatistics s = withEmptyHistograms(RangeStats.of(Float.NaN, Float.POSITIVE_INFINITY));
    for (Calibrator c : ALL) {
      CalibrationResult r = c.calibrate(s, QuantSpec.symmetric(8));
      assertEquals(0.0, r.amax(), c.name());
      assertEquals(1, r.notes().size(), c.name());
    }
  }

  @Test
  void constantAndEmptyHistogram() {
    TensorStatistics constant = withEmptyHistograms(RangeStats.of(3f, 3f));
    TensorStatistics empty = withEmptyHistograms(RangeStats.of(-1f, 2f));
    for (Calibrator c : ALL) {
      CalibrationResult r = c.calibrate(constant, QuantSpec.symmetric(8));
      assertEquals(3.0, r.amax(), c.name());
      assertTrue(r.notes().get(0).startsWith("constant tensor"), c.name());
      CalibrationResult e = c.calibrate(empty, QuantSpec.affine(8));
      assertEquals(-1.0, e.range().min(), c.name());
      assertEquals(2.0, e.range().max(), c.name());
      assertTrue(e.notes().get(0).startsWith("empty histogram"), c.name());
    }
  }

  @Test
  void namesAreDistinct() {
    assertEquals(
        ALL.length,
        java.util.Arrays.stream(ALL).map(Calibrator::name).distinct().count());
  }
}
