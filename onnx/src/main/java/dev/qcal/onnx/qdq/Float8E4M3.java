package dev.qcal.onnx.qdq;

/**
 * FLOAT8E4M3FN, the FP8 format of TensorRT and ONNX (Micikevicius et al., "FP8 Formats for Deep
 * Learning", 2022): 1 sign bit, 4 exponent bits with bias 7, 3 mantissa bits, no infinities, one
 * NaN pattern per sign ({@code S.1111.111}), largest finite ±448, smallest subnormal 2^-9.
 *
 * <p>{@link #encode} is ONNX's cast with {@code saturate=1} (QuantizeLinear's default): round to
 * nearest, ties to even; magnitudes beyond 448, infinities included, saturate to ±448; NaN stays
 * NaN.
 */
public final class Float8E4M3 {
  /** The largest finite value. */
  public static final float MAX = 448f;

  /** The code of +448. */
  private static final int MAX_CODE = 0x7E;

  /** The code of NaN (with the sign bit clear). */
  private static final int NAN_CODE = 0x7F;

  /** The smallest normal exponent: codes below 0x08 are subnormals m·2^-9. */
  private static final int MIN_EXPONENT = -6;

  private static final int BIAS = 7;

  private Float8E4M3() {}

  /** The FP8 code of {@code x}: round to nearest even, saturating to ±448. */
  public static byte encode(float x) {
    int sign = Float.floatToRawIntBits(x) < 0 ? 0x80 : 0;
    if (Float.isNaN(x)) {
      return (byte) (sign | NAN_CODE);
    }
    float a = Math.abs(x);
    int code;
    if (a >= MAX) {
      code = MAX_CODE;
    } else if (a < Math.scalb(1f, MIN_EXPONENT)) {
      // Subnormal: a multiple of 2^-9; the multiple is the code (8 carries into the first normal).
      code = (int) Math.rint(Math.scalb((double) a, 9));
    } else {
      int e = Math.getExponent(a);
      // 8..16 eighths of 2^e: the mantissa with its hidden bit, rounded half to even (exact in
      // double: a float has 24 significant bits).
      int m = (int) Math.rint(Math.scalb((double) a, 3 - e));
      if (m == 16) {
        e++;
        m = 8;
      }
      code = Math.min(MAX_CODE, ((e + BIAS) << 3) | (m - 8));
    }
    return (byte) (sign | code);
  }

  /** The value of an FP8 code (NaN for the NaN codes). */
  public static float decode(byte code) {
    int c = code & 0x7F;
    float sign = (code & 0x80) != 0 ? -1f : 1f;
    if (c == NAN_CODE) {
      return Float.NaN;
    }
    int e = c >> 3;
    int m = c & 7;
    if (e == 0) {
      return sign * Math.scalb((float) m, -9);
    }
    return sign * Math.scalb((float) (8 + m), e - BIAS - 3);
  }
}
