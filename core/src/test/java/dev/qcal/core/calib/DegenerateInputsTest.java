package dev.qcal.core.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import org.junit.jupiter.api.Test;

/**
 * Every registered histogram method on degenerate tensors, with every histogram present but empty:
 * the documented fallback of {@link HistogramCalibrator}, never a throw.
 */
class DegenerateInputsTest {
  private static final Calibrator[] ALL =
      Calibrators.names().stream()
          .map(Calibrators::create)
          .filter(c -> c instanceof HistogramCalibrator)
          .toArray(Calibrator[]::new);

  private static TensorStatistics withEmptyHistograms(RangeStats range) {
    return TensorStatistics.of(
        range,
        Histogram.empty(HistogramSpec.forStats(Domain.ABSOLUTE, range, 2048)),
        Histogram.empty(HistogramSpec.forStats(Domain.SIGNED, range, 2048)),
        Histogram.empty(HistogramSpec.forStats(Domain.LOG2, range, 2048)));
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
  void everyHistogramMethodIsCovered() {
    assertTrue(ALL.length >= 20, "histogram methods found: " + ALL.length);
  }

  @Test
  void namesAreDistinct() {
    assertEquals(ALL.length, java.util.Arrays.stream(ALL).map(Calibrator::name).distinct().count());
  }
}
