package dev.qcal.core.calib.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SpreadKl#pick}, which values a candidate only until its lower bound proves it above the
 * smallest value so far, against the exhaustive last argmin over {@link SpreadKl#divergence}
 * (docs/design/entropy-screens.md §8), on histograms like those of small sampled tensors: sparse
 * tails, flat groups (exact ties at 0), empty last bins with outliers (+∞), one candidate.
 */
class SpreadKlPickTest {
  /** NVIDIA's {@code if (v <= best)} from +∞, first candidate up: the last minimum. */
  private static int exhaustive(SpreadKl kl, int first, int step, int count, int nq) {
    double min = Double.POSITIVE_INFINITY;
    int best = 0;
    for (int c = 0; c < count; c++) {
      double v = kl.divergence(first + c * step, nq);
      if (v <= min) {
        min = v;
        best = c;
      }
    }
    return best;
  }

  private static long[] sampled(Random rnd, int n) {
    long[] h = new long[n];
    int values = 50 + rnd.nextInt(rnd.nextBoolean() ? 500 : 20000);
    boolean laplace = rnd.nextBoolean();
    double[] x = new double[values];
    double max = 0;
    for (int v = 0; v < values; v++) {
      x[v] = Math.abs(laplace ? Math.log(rnd.nextDouble()) : rnd.nextGaussian());
      max = Math.max(max, x[v]);
    }
    for (double v : x) {
      h[Math.min((int) (v / max * n), n - 1)]++;
    }
    switch (rnd.nextInt(4)) {
      case 0: // flat: every non-empty bin equal, so P = Q on many candidates (ties at 0)
        for (int j = 0; j < n; j++) {
          h[j] = h[j] > 0 ? 3 : 0;
        }
        break;
      case 1: // a far outlier past empty bins: +∞ candidates
        h[n - 1] += 1;
        h[n - 2] = 0;
        break;
      default:
        break;
    }
    return h;
  }

  @Test
  void pickIsTheExhaustiveLastMinimum() {
    Random rnd = new Random(20261208L);
    int picks = 0;
    for (int rep = 0; rep < 400; rep++) {
      int n = rep % 4 == 0 ? 2048 : 2 + rnd.nextInt(1500);
      long[] counts = sampled(rnd, n);
      int nq = 1 << (1 + rnd.nextInt(7));
      int first = Math.min(rnd.nextBoolean() ? 128 : 1 + rnd.nextInt(n), n);
      int step = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(3) : 1;
      int count = (n - first) / step + 1;
      SpreadKl kl = SpreadKl.over(counts.clone());
      int expected = exhaustive(kl, first, step, count, nq);
      String what = String.format("rep=%d n=%d nq=%d first=%d step=%d", rep, n, nq, first, step);
      assertEquals(expected, SpreadKl.over(counts.clone()).pick(first, step, count, nq), what);
      picks += expected < count - 1 ? 1 : 0;
    }
    assertTrue(picks > 100, "picks below the last candidate: " + picks);
  }
}
