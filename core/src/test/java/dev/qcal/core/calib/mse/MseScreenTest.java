package dev.qcal.core.calib.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.screen.ScreenedSearch;
import dev.qcal.core.calib.screen.Screening;
import java.util.Random;
import java.util.SplittableRandom;
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

  /**
   * The screened search against the exhaustive one on candidates {@code first .. last − 1}: the
   * same pick and value bits, every exact value inside its interval; returns how many candidates
   * the screen ruled out (lower bound above the minimum).
   */
  private static int assertScreenedIsExact(
      float[] c, float[] h, int first, int last, float bound, String what) {
    ScreenedSearch.Outcome exact =
        ScreenedSearch.exhaustive(new NvMseSearch(c, h, first, last, bound, true));
    ScreenedSearch.Outcome fast =
        ScreenedSearch.run(new NvMseSearch(c, h, first, last, bound, true));
    int a = exact.best();
    assertEquals(a, fast.best(), what);
    assertEquals(
        Double.doubleToLongBits(exact.value(a)), Double.doubleToLongBits(fast.value(a)), what);
    assertPickOnlyIsExact(exact, new NvMseSearch(c, h, first, last, bound, true, true), what);
    int out = 0;
    for (int i = 0; i < exact.count(); i++) {
      double v = exact.value(i);
      assertTrue(fast.lo(i) <= v && v <= fast.hi(i), what + " candidate " + (first + i));
      out += fast.lo(i) > exact.value(a) ? 1 : 0;
    }
    return out;
  }

  /**
   * The search for the pick alone against the exhaustive one: the same pick and value bits, every
   * candidate's exact value inside its (possibly one-sided) interval; returns how many candidates
   * it left without an upper bound (ruled out early).
   */
  private static int assertPickOnlyIsExact(
      ScreenedSearch.Outcome exact, NvMseSearch search, String what) {
    ScreenedSearch.Outcome pick = ScreenedSearch.run(search);
    int a = exact.best();
    assertEquals(a, pick.best(), what + " (pick only)");
    assertEquals(
        Double.doubleToLongBits(exact.value(a)),
        Double.doubleToLongBits(pick.value(a)),
        what + " (pick only)");
    int early = 0;
    for (int i = 0; i < exact.count(); i++) {
      double v = exact.value(i);
      boolean screened = !Double.isNaN(pick.lo(i));
      assertTrue(
          !screened || (pick.lo(i) <= v && v <= pick.hi(i)), what + " (pick only) candidate " + i);
      early += pick.hi(i) == Double.POSITIVE_INFINITY && pick.lo(i) > 0 ? 1 : 0;
    }
    return early;
  }

  /** How many candidates the search for the pick alone valued with a full (two-sided) interval. */
  private static int fullIntervals(NvMseSearch search) {
    ScreenedSearch.Outcome pick = ScreenedSearch.run(search);
    int full = 0;
    for (int i = 0; i < pick.count(); i++) {
      full += Double.isFinite(pick.hi(i)) ? 1 : 0;
    }
    return full;
  }

  @Test
  void smallTensorsAreRuledOutEarly() {
    // A few hundred values in 2048 bins (a tensor of a mixture-of-experts model): most bins are
    // empty, most candidates are ruled out by their clipped run or the first runs of their sum.
    Random r = new Random(7);
    int cases = 0;
    int early = 0;
    int full = 0;
    for (int values : new int[] {50, 500, 5000}) {
      for (int shape = 0; shape < 3; shape++) {
        float[] x = new float[values];
        float max = 0;
        for (int i = 0; i < values; i++) {
          double g = r.nextGaussian();
          x[i] =
              (float)
                  Math.abs(
                      switch (shape) {
                        case 0 -> g;
                        case 1 -> g / Math.sqrt(r.nextDouble() + 0.01); // heavy-tailed
                        default -> Math.log(r.nextDouble()); // laplace-like
                      });
          max = Math.max(max, x[i]);
        }
        int n = 2048;
        float[] c = centres(n, max * 1.01f);
        float[] h = new float[n];
        for (float v : x) {
          h[Math.min(n - 1, (int) (v / (max * 1.01f) * n))]++;
        }
        for (float bound : new float[] {127, 255, 7}) {
          String what = values + " values, shape " + shape + ", bound " + bound;
          ScreenedSearch.Outcome exact =
              ScreenedSearch.exhaustive(new NvMseSearch(c, h, 128, n - 1, bound, false));
          early +=
              assertPickOnlyIsExact(
                  exact, new NvMseSearch(c, h, 128, n - 1, bound, true, true), what);
          full += fullIntervals(new NvMseSearch(c, h, 128, n - 1, bound, true, true));
          cases++;
        }
      }
    }
    assertTrue(
        early > cases * 1000,
        "most candidates ruled out early (" + early + " of " + cases * 1919 + ")");
    // Counting the clipped run in from the first run on: candidates below the pick no longer run
    // to their last level (6 012 full intervals when the clipped run came last, 92 now).
    assertTrue(full < cases * 10, "few full intervals (" + full + " in " + cases + " cases)");
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
          screenedOut +=
              assertScreenedIsExact(
                  c, h, first, last, bound, "size " + size + " shape " + shape + " bound " + bound);
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
          assertScreenedIsExact(
              c, h, 0, size - 1, bound, "size " + size + " shape " + shape + " bound " + bound);
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
      assertScreenedIsExact(c, h, 10, size - 1, 127, "shape " + shape);
    }
  }

  @Test
  void unusableHistogramsAreSearchedExactly() {
    // Decreasing centres: no runs of one level, so every candidate is unknown and exact.
    float[] c = {3f, 2f, 1f, 0.5f};
    float[] h = {1f, 2f, 3f, 4f};
    MseScreen s = new MseScreen(c, h);
    assertFalse(s.usable());
    Screening out = new Screening();
    s.interval(2f, 127f, out);
    assertEquals(Double.NEGATIVE_INFINITY, out.lo());
  }

  @Test
  void tightIntervalOnTwoLevels() {
    // Centres .5, 1.5, 2.5, 3.5, counts 4 0 2 1, bound 1 at amax 2.5: fq = 0, 0, 2.5, 2.5 →
    // (.25·4 + 0 + 0 + 1·1)/4 = 0.5 exactly; the interval holds it and is narrow.
    MseScreen s = new MseScreen(new float[] {.5f, 1.5f, 2.5f, 3.5f}, new float[] {4, 0, 2, 1});
    Screening out = new Screening();
    s.interval(2.5f, 1f, out);
    assertTrue(out.lo() <= 0.5 && 0.5 <= out.hi());
    assertTrue(out.hi() - out.lo() < 1e-5);
    assertEquals(0.5, out.estimate(), 1e-12);
  }

  @Test
  void thresholdsAgreeWithTheToolsLevelAtHalfwayTies() {
    // Scale 1: the products are the centres, .5 1.5 2.5 3.5 sit exactly halfway and round half to
    // even (levels 0 2 2 4), 1 and 2.75 do not (1, 3); every level below the bound 7 checked.
    float[] c = {.5f, 1f, 1.5f, 2.5f, 2.75f, 3.5f};
    MseScreen s = new MseScreen(c, new float[] {1, 1, 1, 1, 1, 1});
    int[] levels = {0, 1, 2, 2, 3, 4};
    for (int j = 0; j < c.length; j++) {
      assertEquals(levels[j], s.level(j, 1f, 7), "level of " + c[j]);
      for (int q = 0; q < 7; q++) {
        assertEquals(levels[j] > q, c[j] >= MseCurveScreen.threshold(q), c[j] + " above " + q);
      }
    }
    // A scale whose float products land on and next to the halfway points.
    SplittableRandom r = new SplittableRandom(7);
    for (int t = 0; t < 2000; t++) {
      int q = r.nextInt(127);
      float mid = (q + 0.5f) / 3f;
      float[] near = {Math.nextDown(mid), mid, Math.nextUp(mid)};
      MseScreen t3 = new MseScreen(near, new float[] {1, 1, 1});
      for (int j = 0; j < 3; j++) {
        assertEquals(t3.level(j, 3f, 127) > q, near[j] * 3f >= MseCurveScreen.threshold(q));
      }
    }
  }

  @Test
  void clippedFloorOnTwoLevels() {
    // Centres .5, 1.5, 2.5, 3.5, counts 4 0 2 1, bound 1 at amax 2.5: v = 2.5, the centres at or
    // above it are 2.5 (error 0) and 3.5 (error 1·1): floor (0 + 1)/4 = 0.25 up to the rounding
    // slack, below the MSE there (0.5) and at amax 1.5 (fq = 0 0 1.5 1.5: (1 + 2 + 4)/4 = 1.75).
    MseScreen s = new MseScreen(new float[] {.5f, 1.5f, 2.5f, 3.5f}, new float[] {4, 0, 2, 1});
    double floor = s.clippedFloor(2.5f, 1f);
    assertTrue(floor <= 0.25 && floor > 0.25 * (1 - 1e-6), "floor " + floor);
    // At the last centre's amax only that centre is at or above v = fl(1/fl(1/3.5)), within an
    // ulp of it: a floor of almost nothing.
    assertTrue(Math.abs(s.clippedFloor(3.5f, 1f)) < 1e-12);
    assertEquals(Double.NEGATIVE_INFINITY, s.clippedFloor(0x1p-25f, 1f), "amax below 2^-24");
  }

  @Test
  void clippedFloorHoldsAtEverySmallerAmax() {
    // The floor at candidate i never exceeds the exact float32 MSE of any candidate i' ≤ i: the
    // property the search for the pick alone rules candidates out by.
    Random r = new Random(31);
    int checked = 0;
    for (int size : new int[] {256, 2048}) {
      for (int shape = 0; shape < 7; shape++) {
        for (float bound : new float[] {7, 127, 255, 32767}) {
          float[] c = centres(size, (float) (0.5 + 10 * r.nextDouble()));
          float[] h = counts(r, size, shape);
          MseScreen screen = new MseScreen(c, h);
          NvMseSearch search = new NvMseSearch(c, h, 0, size - 1, bound, false);
          double[] exact = new double[size - 1];
          for (int i = 0; i < exact.length; i++) {
            exact[i] = search.exact(i);
          }
          for (int i = 0; i < exact.length; i += 7) {
            double floor = screen.clippedFloor(c[i], bound);
            for (int k = 0; k <= i; k++) {
              assertTrue(
                  floor <= exact[k],
                  "size "
                      + size
                      + " shape "
                      + shape
                      + " bound "
                      + bound
                      + ": floor at "
                      + i
                      + " above the MSE at "
                      + k);
              checked++;
            }
          }
        }
      }
    }
    assertTrue(checked > 1_000_000, "checked " + checked);
  }
}
