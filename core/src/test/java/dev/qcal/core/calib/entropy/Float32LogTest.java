package dev.qcal.core.calib.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Float32LogTest {

  private static void check(float x) {
    float expected = (float) Math.log(x);
    float actual = Float32Log.log(x);
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
      check(Float.intBitsToFloat(rnd.nextInt(0x00800000, 0x7F800000)));
    }
  }

  @Test
  void equalsTheSlowPathAroundOne() {
    // Every float in [1 − 2^-9, 1 + 2^-9]: where ln x is tiny and the cancellation is worst.
    int from = Float.floatToRawIntBits(1f - 0x1p-9f);
    int to = Float.floatToRawIntBits(1f + 0x1p-9f);
    for (int b = from; b <= to; b++) {
      check(Float.intBitsToFloat(b));
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
      assertEquals((float) Math.log(x), Float32Log.log(x), "log(" + x + ")");
    }
  }
}
