package dev.qcal.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DecimalsTest {
  /** What CalibrationCsv relies on to write a symmetric range's low end from its amax. */
  @Test
  void aNegativeNumberIsItsMagnitudeWithAMinusSign() {
    double[] edges = {
      Double.MIN_VALUE,
      Double.MIN_NORMAL,
      Double.MAX_VALUE,
      1,
      0.1,
      1e-5,
      1e7,
      9.535600662231445,
      0.07508347183465958,
      Math.ulp(1.0),
      1e22,
      1e23,
      5e-324,
      2.2250738585072009e-308
    };
    for (double x : edges) {
      assertEquals(Decimals.of(-x), Decimals.negative(Decimals.of(x)), () -> "x=" + x);
    }
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      double x = Math.abs(Double.longBitsToDouble(random.nextLong()));
      if (i % 2 == 0) {
        x = Math.abs((double) Float.intBitsToFloat(random.nextInt())); // float32 widened
      }
      if (!Double.isFinite(x) || x == 0) {
        continue;
      }
      double v = x;
      assertEquals(Decimals.of(-v), Decimals.negative(Decimals.of(v)), () -> "x=" + v);
    }
  }
}
