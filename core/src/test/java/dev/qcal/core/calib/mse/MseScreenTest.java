package dev.qcal.core.calib.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The screened NVIDIA MSE search against the exact one: the same pick and the same objective bits
 * on many seeded histograms, and every candidate's exact float32 MSE inside its screen interval.
 */
class MseScreenTest {
  /** Histogram shapes: gaussian, laplace, uniform, two modes, sparse, spiky, huge counts. */
  private static float[] counts(Random r, int n, int shape) {
    float[] c = new float[n];
    for (int j = 0; j < n; j++) {
      double x = (j + 0.5) / n;
      double v;
      switch (shape) {
        case 0 -> v = 1e6 * Math.exp(-x * x * 8) / n * 40;
        case 1 -> v = 1e5 * Math.exp(-x * 12);
        case 2 -> v = 500 + r.nextInt(20);
        case 3 -> v = 3e4 * (Math.exp(-sq((x - 0.1) * 30)) + 0.5 * Math.exp(-sq((x - 0.6) * 20)));
        case 4 -> v = r.nextInt(9) == 0 ? r.nextInt(1000) : 0;
        case 5 -> v = r.nextInt(50) == 0 ? 1e7 : r.nextInt(3);
        default -> v = 3e9 * Math.exp(-x * 5); // above 2^24: float counts lose bits, as upstream
      }
      c[j] = (float) Math.floor(v + r.nextDouble());
    }
    return c;
  }

  private static double sq(double x) {
    return x * x;
  }

  /** numpy-style float32 centres of linspace(0, hi, n + 1). */
  private static float[] centres(int n, float hi) {
    float[] e = new float[n + 1];
    for (int j = 0; j <= n; j++) {
      e[j] = (float) (hi * (double) j / n);
    }
    float[] c = new float[n];
    for (int j = 0; j < n; j++) {
      c[j] = (e[j] + e[j + 1]) / 2f;
    }
    return c;
  }

  @Test
  void screenedSearchPicksTheExactOne() {
    Random r = new Random(20261122);
    int[] sizes = {256, 300, 1000, 2048, 4096};
    float[] bounds = {7, 127, 255, 15};
    int cases = 0;
    int screenedOut = 0;
    for (int size : sizes) {
      for (int shape = 0; shape < 7; shape++) {
        for (float bound : bounds) {
          float hi = (float) (0.5 + 20 * r.nextDouble());
          float[] c = centres(size, hi);
          float[] h = counts(r, size, shape);
          int first = size >= 1000 ? 128 : r.nextInt(64);
          int last = size - 1;
          float[] exact = new float[last - first];
          float[] fast = new float[last - first];
          double[] iv = new double[2 * (last - first)];
          int a = NvMseCalibrator.search(c, h, first, last, bound, exact, false, null);
          int b = NvMseCalibrator.search(c, h, first, last, bound, fast, true, iv);
          String what = "size " + size + " shape " + shape + " bound " + bound;
          assertEquals(a, b, what);
          assertEquals(
              Float.floatToIntBits(exact[a - first]), Float.floatToIntBits(fast[b - first]), what);
          for (int i = 0; i < exact.length; i++) {
            double lo = iv[2 * i];
            double up = iv[2 * i + 1];
            assertTrue(lo <= exact[i] && exact[i] <= up, what + " candidate " + (first + i));
            if (lo > exact[a - first]) {
              screenedOut++;
            }
          }
          cases++;
        }
      }
    }
    assertEquals(sizes.length * 7 * bounds.length, cases);
    assertTrue(screenedOut > cases * 100, "the screen rules candidates out (" + screenedOut + ")");
  }

  @Test
  void sixteenBitsChainTheRuns() {
    // Bound 32767 (16 bits) and 65535 (unsigned) exceed 4 × bins: the runs are found one after
    // the other, skipping the empty levels.
    Random r = new Random(5);
    for (int size : new int[] {256, 700}) {
      for (int shape = 0; shape < 7; shape++) {
        for (float bound : new float[] {32767, 65535}) {
          float[] c = centres(size, (float) (1 + 5 * r.nextDouble()));
          float[] h = counts(r, size, shape);
          float[] exact = new float[size - 1];
          float[] fast = new float[size - 1];
          double[] iv = new double[2 * (size - 1)];
          int a = NvMseCalibrator.search(c, h, 0, size - 1, bound, exact, false, null);
          int b = NvMseCalibrator.search(c, h, 0, size - 1, bound, fast, true, iv);
          String what = "size " + size + " shape " + shape + " bound " + bound;
          assertEquals(a, b, what);
          assertEquals(Float.floatToIntBits(exact[a]), Float.floatToIntBits(fast[b]), what);
          for (int i = 0; i < exact.length; i++) {
            assertTrue(iv[2 * i] <= exact[i] && exact[i] <= iv[2 * i + 1], what + " at " + i);
          }
        }
      }
    }
  }

  @Test
  void unevenCentresAreWalkedBinByBin() {
    // Centres that crowd near 0 (squares): the spacing guess is far off and the boundaries are
    // corrected bin by bin; the pick is still the exact one.
    Random r = new Random(11);
    int size = 600;
    float[] c = new float[size];
    for (int j = 0; j < size; j++) {
      c[j] = (float) Math.pow((j + 0.5) / size, 3) * 4;
    }
    for (int shape = 0; shape < 7; shape++) {
      float[] h = counts(r, size, shape);
      float[] exact = new float[size - 1 - 10];
      float[] fast = new float[size - 1 - 10];
      double[] iv = new double[2 * exact.length];
      int a = NvMseCalibrator.search(c, h, 10, size - 1, 127, exact, false, null);
      int b = NvMseCalibrator.search(c, h, 10, size - 1, 127, fast, true, iv);
      assertEquals(a, b);
      assertEquals(Float.floatToIntBits(exact[a - 10]), Float.floatToIntBits(fast[b - 10]));
      for (int i = 0; i < exact.length; i++) {
        assertTrue(iv[2 * i] <= exact[i] && exact[i] <= iv[2 * i + 1], "at " + i);
      }
    }
  }

  @Test
  void unusableHistogramsAreSearchedExactly() {
    // Decreasing centres: no runs of one level, so every candidate is unknown and exact.
    float[] c = {3f, 2f, 1f, 0.5f};
    float[] h = {1f, 2f, 3f, 4f};
    MseScreen s = new MseScreen(c, h);
    assertFalse(s.usable());
    s.interval(2f, 127f);
    assertEquals(Double.NEGATIVE_INFINITY, s.lo);
  }

  @Test
  void tightIntervalOnTwoLevels() {
    // Centres .5, 1.5, 2.5, 3.5, counts 4 0 2 1, bound 1 at amax 2.5: fq = 0, 0, 2.5, 2.5 →
    // (.25·4 + 0 + 0 + 1·1)/4 = 0.5 exactly; the interval holds it and is narrow.
    MseScreen s = new MseScreen(new float[] {.5f, 1.5f, 2.5f, 3.5f}, new float[] {4, 0, 2, 1});
    s.interval(2.5f, 1f);
    assertTrue(s.lo <= 0.5 && 0.5 <= s.hi);
    assertTrue(s.hi - s.lo < 1e-5);
    assertEquals(0.5, s.estimate, 1e-12);
  }

  @Test
  void pairwiseDepthCountsTheChain() {
    // 1 (the addition to 0) + 7 sequential for 8 terms? No: 8 terms fill one block of 8
    // accumulators (0 steps), the tree (3): 1 + 3.
    assertEquals(4, MseScreen.pairwiseDepth(8));
    assertEquals(3, MseScreen.pairwiseDepth(3));
    // 2048 → 1024 → 512 → 256 → 128 (15 + 3) plus 4 halvings, plus 1.
    assertEquals(1 + 4 + 18, MseScreen.pairwiseDepth(2048));
  }
}
