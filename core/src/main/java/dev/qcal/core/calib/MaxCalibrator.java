package dev.qcal.core.calib;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.util.EnumSet;
import java.util.Set;

/**
 * The max method: the whole finite range. Symmetric schemes get amax = max|x| (NVIDIA {@code
 * MaxCalibrator}, TensorRT {@code MinMaxCalibration}); affine schemes get [min, max] widened to
 * contain 0 (ONNX Runtime {@code MinMax}, PyTorch {@code MinMaxObserver}).
 *
 * <p>NaN and ±Inf are ignored (they are counted in the tensor's statistics and flagged in the
 * table): unlike {@code torch.max}, one NaN does not poison the range.
 */
public final class MaxCalibrator implements Calibrator {
  /** The method key. */
  public static final String NAME = "max";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Domain> domains() {
    return EnumSet.noneOf(Domain.class);
  }

  @Override
  public CalibrationResult calibrate(TensorStatistics stats, QuantSpec quant) {
    RangeStats range = stats.range();
    if (range.hasNoFiniteValue()) {
      return CalibrationResult.builder(NAME, new ClipRange(0, 0), quant)
          .note("no finite values: range set to [0, 0]")
          .build();
    }
    ClipRange clip =
        quant.scheme().isSymmetric()
            ? ClipRange.symmetric(range.absMax())
            : new ClipRange(Math.min(range.min(), 0f), Math.max(range.max(), 0f));
    CalibrationResult.Builder result = CalibrationResult.builder(NAME, clip, quant);
    if (clip.amax() == 0) {
      result.note("all-zero tensor: zero range, scale set to 1");
    } else if (range.isConstant()) {
      result.note("constant tensor: the range is the constant");
    }
    return result.build();
  }
}
