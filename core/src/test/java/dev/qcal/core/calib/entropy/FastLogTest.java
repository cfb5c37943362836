package dev.qcal.core.calib.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link FastLog} against {@link Math#log}. */
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
}
