package dev.qcal.core.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramCalibratorTest {

  /** A search that would fail loudly if the base class let a degenerate tensor through. */
  private static final class HalfRange extends HistogramCalibrator {
    HalfRange() {
      super("half", Domain.ABSOLUTE);
    }

    @Override
    protected CalibrationResult search(
        TensorStatistics stats, Histogram histogram, QuantSpec quant) {
      if (stats.range().isConstant() || histogram.isEmpty()) {
        throw new AssertionError("degenerate tensor reached the search");
      }
      return CalibrationResult.builder(
              name(), ClipRange.symmetric(stats.range().absMax() / 2), quant)
          .build();
    }
  }

  private static TensorStatistics stats(float... values) {
    RangeStats range = RangeStats.of(values);
    HistogramSpec spec = HistogramSpec.forStats(Domain.ABSOLUTE, range, 8);
    Histogram h = new HistogramAccumulator().add(spec, values, 0, values.length).snapshot();
    return TensorStatistics.of(range, h);
  }

  private final HalfRange half = new HalfRange();

  @Test
  void searchesOrdinaryTensors() {
    assertEquals(2.0, half.calibrate(stats(-4f, 1f), QuantSpec.symmetric(8)).amax());
  }

  @Test
  void noFiniteValueGivesAZeroRange() {
    CalibrationResult r =
        half.calibrate(stats(Float.NaN, Float.NEGATIVE_INFINITY), QuantSpec.symmetric(8));
    assertEquals(new ClipRange(0, 0), r.range());
    assertEquals(1f, r.params().scale());
    assertEquals(List.of("no finite values: range set to [0, 0]"), r.notes());
    assertEquals(
        List.of("no finite values: range set to [0, 0]"),
        half.calibrate(stats(), QuantSpec.symmetric(8)).notes());
  }

  @Test
  void constantTensorsFallBackToMax() {
    CalibrationResult c = half.calibrate(stats(-3f, -3f), QuantSpec.symmetric(8));
    assertEquals(new ClipRange(-3, 3), c.range());
    assertEquals(List.of("constant tensor: fell back to max"), c.notes());
    CalibrationResult affine = half.calibrate(stats(-3f), QuantSpec.affine(8));
    assertEquals(new ClipRange(-3, 0), affine.range());
    assertEquals(255, affine.params().zeroPoint());
    CalibrationResult z = half.calibrate(stats(0f, 0f, Float.NaN), QuantSpec.symmetric(8));
    assertEquals(1f, z.params().scale());
    assertEquals(List.of("all-zero tensor: fell back to max"), z.notes());
  }

  @Test
  void aMissingHistogramIsReportedByDomain() {
    TensorStatistics noHistogram = TensorStatistics.of(RangeStats.of(1f, 2f));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> half.calibrate(noHistogram, QuantSpec.symmetric(8)));
    assertEquals(
        "No absolute histogram was built for this tensor (have no histogram)", e.getMessage());
  }
}
