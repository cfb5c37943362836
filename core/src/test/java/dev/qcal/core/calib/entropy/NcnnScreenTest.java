package dev.qcal.core.calib.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.screen.ScreenedSearch;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The screened ncnn KL search against the exact one: the same pick and the same objective bits on
 * many seeded histograms, and every candidate's exact float32 KL inside its screen interval.
 */
class NcnnScreenTest {
  /** ncnn's normalised histogram of seeded counts of one of seven shapes. */
  static float[] histogram(Random r, int n, int shape) {
    long[] c = new long[n];
    long total = 0;
    for (int j = 0; j < n; j++) {
      double x = (j + 0.5) / n;
      double v;
      switch (shape) {
        case 0 -> v = 4e4 * Math.exp(-x * x * 30);
        case 1 -> v = 1e5 * Math.exp(-x * 12);
        case 2 -> v = 500 + r.nextInt(20);
        case 3 -> v = 3e4 * (Math.exp(-sq((x - 0.1) * 30)) + 0.5 * Math.exp(-sq((x - 0.6) * 20)));
        case 4 -> v = r.nextInt(9) == 0 ? r.nextInt(1000) : 0;
        case 5 -> v = r.nextInt(50) == 0 ? 1e7 : r.nextInt(3);
        default -> v = 3e9 * Math.exp(-x * 5);
      }
      c[j] = (long) Math.floor(v + r.nextDouble());
      total += c[j];
    }
    float[] hn = new float[n];
    for (int j = 0; j < n; j++) {
      hn[j] = (float) (c[j] / (double) total); // as NcnnEntropyCalibrator.normalised
    }
    return hn;
  }

  private static double sq(double x) {
    return x * x;
  }

  @Test
  void screenedSearchPicksTheExactOne() {
    Random r = new Random(20261122);
    int screenedOut = 0;
    int candidates = 0;
    for (int n : new int[] {256, 333, 1000, 2048, 3001}) {
      for (int shape = 0; shape < 7; shape++) {
        for (int levels : new int[] {128, 8, 256, 32}) {
          if (n - 1 < Math.max(128, levels)) {
            continue;
          }
          float[] hn = histogram(r, n, shape);
          int first = Math.max(NcnnEntropyCalibrator.START_BIN, levels);
          ScreenedSearch.Outcome exact =
              ScreenedSearch.exhaustive(new NcnnSearch(hn, first, levels, true));
          ScreenedSearch.Outcome fast = ScreenedSearch.run(new NcnnSearch(hn, first, levels, true));
          String what = "n " + n + " shape " + shape + " levels " + levels;
          int a = exact.best();
          assertEquals(a, fast.best(), what);
          assertEquals(
              Double.doubleToLongBits(exact.value(a)),
              Double.doubleToLongBits(fast.value(a)),
              what);
          for (int i = 0; i < exact.count(); i++) {
            double v = exact.value(i);
            assertTrue(
                fast.lo(i) <= v && v <= fast.hi(i),
                what
                    + " t "
                    + (first + i)
                    + ": "
                    + v
                    + " not in ["
                    + fast.lo(i)
                    + ", "
                    + fast.hi(i)
                    + "]");
            if (fast.lo(i) > exact.value(a)) {
              screenedOut++;
            }
          }
          candidates += exact.count();
        }
      }
    }
    assertTrue(screenedOut > candidates / 2, screenedOut + " of " + candidates + " screened out");
  }
}
