package dev.qcal.core.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaxCalibratorTest {
  private final MaxCalibrator max = new MaxCalibrator();

  private static TensorStatistics stats(float... values) {
    return TensorStatistics.of(RangeStats.of(values));
  }

  @Test
  void symmetricTakesTheAbsoluteMaximum() {
    CalibrationResult r = max.calibrate(stats(-3f, 2.5f, Float.NaN), QuantSpec.symmetric(8));
    assertEquals(3.0, r.amax());
    assertEquals(new ClipRange(-3, 3), r.range());
    // TensorRT: float32(3) / 127f.
    assertEquals(3f / 127f, r.params().scale());
    assertEquals(0, r.params().zeroPoint());
    assertEquals(List.of(), r.notes());
  }

  @Test
  void affineWidensToContainZero() {
    // [1, 2.5] → [0, 2.5]; scale 2.5/255, zero point 0.
    CalibrationResult r = max.calibrate(stats(1f, 2.5f), QuantSpec.affine(8));
    assertEquals(new ClipRange(0, 2.5), r.range());
    assertEquals((float) (2.5 / 255), r.params().scale());
    assertEquals(0, r.params().zeroPoint());
    // [−1.5, 2.5] → scale 4/255, zero point rint(0 + 1.5·255/4) = rint(95.625) = 96
    // (docs/design/formats.md §1.2).
    CalibrationResult r2 = max.calibrate(stats(-1.5f, 2.5f), QuantSpec.affine(8));
    assertEquals((float) (4.0 / 255), r2.params().scale());
    assertEquals(96, r2.params().zeroPoint());
  }

  @Test
  void degenerateTensorsGetAUsableScaleAndANote() {
    CalibrationResult none =
        max.calibrate(stats(Float.NaN, Float.POSITIVE_INFINITY), QuantSpec.symmetric(8));
    assertEquals(0.0, none.amax());
    assertEquals(1f, none.params().scale());
    assertEquals(List.of("no finite values: range set to [0, 0]"), none.notes());
    CalibrationResult zeros = max.calibrate(stats(0f, 0f), QuantSpec.symmetric(8));
    assertEquals(1f, zeros.params().scale());
    assertEquals(List.of("all-zero tensor: zero range, scale set to 1"), zeros.notes());
    CalibrationResult empty = max.calibrate(stats(), QuantSpec.affine(4));
    assertEquals(1f, empty.params().scale());
    assertEquals(0, empty.params().zeroPoint());
  }
}
