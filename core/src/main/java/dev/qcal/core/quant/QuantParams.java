package dev.qcal.core.quant;

/**
 * The result of mapping a clip range onto a grid: {@code real = scale·(q − zeroPoint)} for integer
 * {@code q} in [{@code qmin}, {@code qmax}].
 *
 * @param scale the step, in float32 as toolchains store it; always finite and positive
 * @param zeroPoint the integer that represents real 0
 * @param qmin the smallest grid integer
 * @param qmax the largest grid integer
 */
public record QuantParams(float scale, int zeroPoint, long qmin, long qmax)
    implements java.io.Serializable {

  /** Validates that the scale is usable. */
  public QuantParams {
    if (!(scale > 0) || !Float.isFinite(scale)) {
      throw new IllegalArgumentException(
          "Cannot build quantization parameters: scale must be finite and positive, not " + scale);
    }
    if (zeroPoint < qmin || zeroPoint > qmax) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build quantization parameters: zero point %d outside [%d, %d]",
              zeroPoint, qmin, qmax));
    }
  }
}
