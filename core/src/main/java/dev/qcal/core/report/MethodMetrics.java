package dev.qcal.core.report;

import dev.qcal.core.calib.eval.QuantNoise;
import java.io.Serializable;

/**
 * What the report shows of one method's choice on one tensor, computed from the tensor's full
 * histogram on the executors (see {@link TensorPlot#of}).
 *
 * @param clippedFraction share of the binned values outside the clip range ({@link
 *     ClippedFraction}); NaN when unknown
 * @param noise the quantization noise at the method's scale and bit width ({@link QuantNoise})
 */
public record MethodMetrics(double clippedFraction, QuantNoise noise) implements Serializable {

  /** Metrics that could not be computed (no histogram). */
  public static final MethodMetrics UNKNOWN = new MethodMetrics(Double.NaN, QuantNoise.UNKNOWN);

  /** Validates the parts. */
  public MethodMetrics {
    if (noise == null) {
      throw new IllegalArgumentException("Cannot build method metrics: noise is null");
    }
  }
}
