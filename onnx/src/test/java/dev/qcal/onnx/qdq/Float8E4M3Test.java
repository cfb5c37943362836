package dev.qcal.onnx.qdq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** FP8 E4M3FN encoding against the format's definition and a brute-force nearest search. */
class Float8E4M3Test {
  /** Every non-negative finite value, by code 0x00..0x7E, from the format's definition. */
  private static double[] finiteValues() {
    double[] v = new double[0x7F];
    for (int c = 0; c < 0x7F; c++) {
      int e = c >> 3;
      int m = c & 7;
      v[c] = e == 0 ? m / 8.0 * Math.pow(2, -6) : (1 + m / 8.0) * Math.pow(2, e - 7);
    }
    return v;
  }

  /** Round to nearest, ties to the even code, saturating at 448: ONNX's cast with saturate=1. */
  private static int bruteForce(float x) {
    double a = Math.abs((double) x);
    double[] v = finiteValues();
    int best = 0;
    for (int c = 1; c < v.length; c++) {
      double d = Math.abs(v[c] - a);
      double bestD = Math.abs(v[best] - a);
      if (d < bestD || (d == bestD && c % 2 == 0)) {
        best = c;
      }
    }
    return (x < 0 || (x == 0 && 1 / x < 0) ? 0x80 : 0) | best;
  }

  @Test
  void decodesTheFormat() {
    assertEquals(448f, Float8E4M3.decode((byte) 0x7E));
    assertEquals(-448f, Float8E4M3.decode((byte) 0xFE));
    assertEquals(0x1p-9f, Float8E4M3.decode((byte) 0x01), "smallest subnormal");
    assertEquals(0x1p-6f, Float8E4M3.decode((byte) 0x08), "smallest normal");
    assertEquals(1f, Float8E4M3.decode((byte) 0x38));
    assertTrue(Float.isNaN(Float8E4M3.decode((byte) 0x7F)));
    assertTrue(Float.isNaN(Float8E4M3.decode((byte) 0xFF)));
    double[] v = finiteValues();
    for (int c = 0; c < v.length; c++) {
      assertEquals((float) v[c], Float8E4M3.decode((byte) c), "code " + c);
      assertEquals(c, Float8E4M3.encode((float) v[c]) & 0xFF, "round trip of code " + c);
    }
  }

  @Test
  void saturatesAndKeepsNaN() {
    assertEquals(0x7E, Float8E4M3.encode(449f) & 0xFF);
    assertEquals(0x7E, Float8E4M3.encode(480f) & 0xFF);
    assertEquals(0x7E, Float8E4M3.encode(Float.POSITIVE_INFINITY) & 0xFF);
    assertEquals(0xFE, Float8E4M3.encode(Float.NEGATIVE_INFINITY) & 0xFF);
    assertEquals(0xFE, Float8E4M3.encode(-1e30f) & 0xFF);
    assertEquals(0x7F, Float8E4M3.encode(Float.NaN) & 0x7F);
    assertEquals(0x80, Float8E4M3.encode(-0f) & 0xFF);
    assertEquals(
        0x00,
        Float8E4M3.encode(0x1p-11f) & 0xFF,
        "a quarter of the smallest subnormal rounds to 0");
    assertEquals(
        0x00, Float8E4M3.encode(0x1p-10f) & 0xFF, "half the smallest subnormal: tie to even 0");
    assertEquals(
        0x02, Float8E4M3.encode(3 * 0x1p-10f) & 0xFF, "1.5 subnormal steps: tie to even 2");
    assertEquals(0x38, Float8E4M3.encode(1.0625f) & 0xFF, "1 + 1/16: tie to even 1.0");
    assertEquals(0x3A, Float8E4M3.encode(1.1875f) & 0xFF, "1 + 3/16: tie to even 1.25");
  }

  @Test
  void agreesWithBruteForceAtEveryMidpointAndAtRandom() {
    double[] v = finiteValues();
    for (int c = 0; c + 1 < v.length; c++) {
      float mid = (float) ((v[c] + v[c + 1]) / 2);
      for (float x : new float[] {mid, Math.nextUp(mid), Math.nextDown(mid), (float) v[c], -mid}) {
        assertEquals(bruteForce(x), Float8E4M3.encode(x) & 0xFF, "x = " + x);
      }
    }
    Random random = new Random(19);
    for (int i = 0; i < 50_000; i++) {
      float x = (float) (random.nextGaussian() * Math.pow(2, random.nextInt(24) - 12));
      assertEquals(bruteForce(x), Float8E4M3.encode(x) & 0xFF, "x = " + x);
    }
  }
}
