package dev.qcal.core.calib.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link FastLog} against {@link Math#log}: within its bound in double, the same bits in float. */
class FastLogTest {

  private static void check(double x) {
    double expected = Math.log(x);
    double actual = FastLog.ln(x);
    double tol = 2 * Math.ulp(expected) + 4e-16;
    assertTrue(Math.abs(actual - expected) <= tol, x + ": " + actual + " vs " + expected);
  }

  @Test
  void agreesWithMathLogWithinTwoUlps() {
    for (long v = 1; v < 100_000; v++) {
      check(v);
    }
    Random rnd = new Random(11);
    for (int k = 0; k < 200_000; k++) {
      check(Math.exp(rnd.nextDouble() * 90 - 45));
      check(1 + rnd.nextDouble() * 1e-6);
      check((double) (rnd.nextLong() >>> 1) + 1);
    }
    check(1.0);
    check(Double.MAX_VALUE);
    check(Double.MIN_NORMAL);
  }

  /** The array form gives {@link FastLog#ln(double)}'s value bit for bit. */
  @Test
  void arrayFormIsTheScalarForm() {
    Random rnd = new Random(12);
    double[] in = new double[5000];
    double[] out = new double[5000];
    for (int k = 0; k < in.length; k++) {
      in[k] = k % 3 == 0 ? 1e-4 + rnd.nextDouble() * 1e-3 : Math.exp(rnd.nextDouble() * 60 - 30);
    }
    FastLog.ln(in, out, in.length - 7);
    for (int k = 0; k < in.length - 7; k++) {
      assertTrue(
          Double.doubleToLongBits(out[k]) == Double.doubleToLongBits(FastLog.ln(in[k])),
          "x " + in[k]);
    }
    assertTrue(out[in.length - 1] == 0, "only count entries are written");
  }

  private static void checkFloat(float x) {
    float expected = (float) Math.log(x);
    float actual = FastLog.log(x);
    if (Float.floatToIntBits(expected) != Float.floatToIntBits(actual)) {
      assertEquals(
          expected,
          actual,
          "log(" + x + ") bits " + Integer.toHexString(Float.floatToRawIntBits(x)));
    }
  }

  @Test
  void equalsTheSlowPathOnRandomBitPatterns() {
    SplittableRandom rnd = new SplittableRandom(20240611L);
    for (int k = 0; k < 3_000_000; k++) {
      checkFloat(Float.intBitsToFloat(rnd.nextInt(0x00800000, 0x7F800000)));
    }
  }

  @Test
  void equalsTheSlowPathAroundOne() {
    // Every float in [1 − 2^-9, 1 + 2^-9]: where ln x is tiny and the cancellation is worst.
    int from = Float.floatToRawIntBits(1f - 0x1p-9f);
    int to = Float.floatToRawIntBits(1f + 0x1p-9f);
    for (int b = from; b <= to; b++) {
      checkFloat(Float.intBitsToFloat(b));
    }
  }

  /**
   * ln is within its stated bound {@link FastLog#ERROR} of the correctly rounded ln (checked
   * against Math.log, itself within 1 ulp: the bound is 2^-49 relative to |ln x| + 1, far above),
   * on floats as the screens use it and on doubles.
   */
  @Test
  void lnIsWithinItsBound() {
    SplittableRandom rnd = new SplittableRandom(7);
    for (int k = 0; k < 2_000_000; k++) {
      double x =
          k % 2 == 0
              ? Float.intBitsToFloat(rnd.nextInt(0x00000001, 0x7F800000))
              : Double.longBitsToDouble(rnd.nextLong(0x0010000000000000L, 0x7FF0000000000000L));
      double exact = Math.log(x);
      double err = Math.abs(FastLog.ln(x) - exact);
      double bound = FastLog.ERROR * (Math.abs(exact) + 1) - 2 * Math.ulp(exact);
      if (!(err <= bound)) {
        assertEquals(exact, FastLog.ln(x), bound, "ln(" + x + ")");
      }
    }
  }

  @Test
  void specialValues() {
    for (float x :
        new float[] {
          0f,
          -0f,
          -1f,
          Float.MIN_VALUE,
          Float.MIN_NORMAL,
          1f,
          2f,
          0.5f,
          Float.MAX_VALUE,
          Float.POSITIVE_INFINITY,
          Float.NaN
        }) {
      assertEquals((float) Math.log(x), FastLog.log(x), "log(" + x + ")");
    }
  }
}
