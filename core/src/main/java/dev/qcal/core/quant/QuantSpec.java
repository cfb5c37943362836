package dev.qcal.core.quant;

import dev.qcal.core.calib.ClipRange;

/**
 * Bit width, scheme and scale rounding of a quantizer; turns a clip range into a scale and zero
 * point.
 *
 * <p>Conventions (docs/design/formats.md §1): symmetric scale = float32(amax) / float32(qmax)
 * computed in float32, so the TensorRT int8 scale is {@code amax/127f}; affine ranges are first
 * widened to contain 0, then {@code scale = (rmax − rmin)/(qmax − qmin)} (double, stored as
 * float32) and {@code zeroPoint = clamp(rint(qmin − rmin/scale))}. A range with no width gives
 * scale 1 and zero point 0 (ONNX Runtime's convention), never a zero or infinite scale.
 *
 * @param bits bit width, 2 to 16 (8 for FP8)
 * @param scheme the grid
 * @param powerOfTwo whether the scale is rounded up to a power of two
 */
public record QuantSpec(int bits, Scheme scheme, ScaleRounding powerOfTwo)
    implements java.io.Serializable {

  /** The default bit width. */
  public static final int DEFAULT_BITS = 8;

  /** FP8 E4M3's largest finite value. */
  public static final float FP8_E4M3_MAX = 448f;

  /** FP8 E5M2's largest finite value. */
  public static final float FP8_E5M2_MAX = 57344f;

  /** Validates the bit width. */
  public QuantSpec {
    if (scheme == null || powerOfTwo == null) {
      throw new IllegalArgumentException(
          "Cannot build a quant spec: scheme and rounding are required");
    }
    boolean fp8 = scheme == Scheme.FP8_E4M3 || scheme == Scheme.FP8_E5M2;
    if (fp8 ? bits != 8 : bits < 2 || bits > 16) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build a %s quant spec: bits must be %s, not %d",
              scheme.key(), fp8 ? "8" : "in [2, 16]", bits));
    }
  }

  /** Signed symmetric narrow range (TensorRT), exact scale. */
  public static QuantSpec symmetric(int bits) {
    return new QuantSpec(bits, Scheme.SYMMETRIC, ScaleRounding.EXACT);
  }

  /** Unsigned with zero point 0, exact scale. */
  public static QuantSpec unsigned(int bits) {
    return new QuantSpec(bits, Scheme.UNSIGNED, ScaleRounding.EXACT);
  }

  /** Asymmetric affine on the unsigned grid, exact scale. */
  public static QuantSpec affine(int bits) {
    return new QuantSpec(bits, Scheme.AFFINE, ScaleRounding.EXACT);
  }

  /** The same spec with another scheme. */
  public QuantSpec withScheme(Scheme other) {
    return new QuantSpec(
        other == Scheme.FP8_E4M3 || other == Scheme.FP8_E5M2 ? 8 : bits, other, powerOfTwo);
  }

  /** The same spec with power-of-two scales. */
  public QuantSpec withPowerOfTwoScale() {
    return new QuantSpec(bits, scheme, ScaleRounding.POWER_OF_TWO);
  }

  /** Smallest grid integer. */
  public long qmin() {
    switch (scheme) {
      case SYMMETRIC:
        return -((1L << (bits - 1)) - 1);
      case AFFINE_SIGNED:
        return -(1L << (bits - 1));
      default:
        return 0;
    }
  }

  /** Largest grid integer (for FP8, 0: the grid is not integer). */
  public long qmax() {
    switch (scheme) {
      case SYMMETRIC:
      case AFFINE_SIGNED:
        return (1L << (bits - 1)) - 1;
      case UNSIGNED:
      case AFFINE:
        return (1L << bits) - 1;
      default:
        return 0;
    }
  }

  /**
   * Number of positive levels an entropy search spreads |x| over: 2^(B−1) signed, 2^B unsigned
   * (NVIDIA's {@code nbins = 1 << (num_bits - 1 + int(unsigned))}).
   */
  public int halfLevels() {
    return 1 << (bits - 1 + (scheme == Scheme.UNSIGNED ? 1 : 0));
  }

  /** Scale and zero point of a clip range under this spec. */
  public QuantParams params(ClipRange range) {
    switch (scheme) {
      case AFFINE:
      case AFFINE_SIGNED:
        return affineParams(range.min(), range.max());
      case FP8_E4M3:
        return symmetricParams((float) range.amax(), FP8_E4M3_MAX);
      case FP8_E5M2:
        return symmetricParams((float) range.amax(), FP8_E5M2_MAX);
      default:
        return symmetricParams((float) range.amax(), (float) qmax());
    }
  }

  private QuantParams symmetricParams(float amax, float bound) {
    float scale = amax / bound;
    if (!(scale >= Float.MIN_NORMAL) || !Float.isFinite(scale)) {
      return new QuantParams(1f, 0, qmin(), qmax());
    }
    return new QuantParams(powerOfTwo.apply(scale), 0, qmin(), qmax());
  }

  private QuantParams affineParams(double min, double max) {
    double rmin = Math.min(min, 0.0);
    double rmax = Math.max(max, 0.0);
    long qmin = qmin();
    long qmax = qmax();
    double scale = (rmax - rmin) / (qmax - qmin);
    if (!(scale >= Float.MIN_NORMAL) || !Double.isFinite(scale)) {
      return new QuantParams(1f, (int) Math.max(qmin, Math.min(qmax, 0)), qmin, qmax);
    }
    float stored = powerOfTwo.apply((float) scale);
    double effective = powerOfTwo == ScaleRounding.EXACT ? scale : stored;
    long zp = (long) Math.rint(qmin - rmin / effective);
    return new QuantParams(stored, (int) Math.max(qmin, Math.min(qmax, zp)), qmin, qmax);
  }

  /** The TensorRT int8 scale of an amax: float32(amax) / 127f, in float32. */
  public static float tensorRtScale(double amax) {
    return (float) amax / 127f;
  }

  @Override
  public String toString() {
    return scheme.key() + bits + (powerOfTwo == ScaleRounding.POWER_OF_TWO ? "-pow2" : "");
  }
}
