package dev.qcal.core.calib.entropy;

/**
 * The O(n²) reference loops, transcribed step by step from the upstream code (NVIDIA {@code
 * _compute_amax_entropy}, the GTC 2017 pseudo code) with scipy's {@code entropy}, to check the
 * O(levels) search of {@link SpreadKl} against.
 */
final class NaiveEntropy {
  private NaiveEntropy() {}

  /** KL of every NVIDIA candidate i = startBin, +stride, … ≤ n (h[0] := h[1] on a copy). */
  static double[] nvidiaCurve(long[] counts, int nq, int startBin, int stride) {
    long[] bins = counts.clone();
    if (bins.length >= 2) {
      bins[0] = bins[1];
    }
    int n = bins.length;
    int first = Math.min(startBin, n);
    double[] out = new double[(n - first) / stride + 1];
    for (int c = 0, i = first; i <= n; i += stride, c++) {
      out[c] = candidate(bins, i, nq, true);
    }
    return out;
  }

  /** KL of every GTC-talk candidate i = startBin … n−1 (no h[0] change). */
  static double[] trtCurve(long[] counts, int nq, int startBin) {
    int n = counts.length;
    double[] out = new double[Math.max(0, n - startBin)];
    for (int i = startBin; i < n; i++) {
      out[i - startBin] = candidate(counts, i, nq, false);
    }
    return out;
  }

  /** The last index of the minimum (NVIDIA). */
  static int lastArgmin(double[] kl) {
    int best = 0;
    for (int c = 0; c < kl.length; c++) {
      if (kl[c] <= kl[best]) {
        best = c;
      }
    }
    return best;
  }

  /** The first index of the minimum (the talk). */
  static int firstArgmin(double[] kl) {
    int best = 0;
    for (int c = 0; c < kl.length; c++) {
      if (kl[c] < kl[best]) {
        best = c;
      }
    }
    return best;
  }

  private static double candidate(long[] bins, int i, int nq, boolean numpy) {
    int n = bins.length;
    // Group of each kept bin: numpy digitize(j, linspace(0, i, nq+1)) - 1, or floor(j*nq/i).
    double[] space = new double[nq + 1];
    double step = (double) i / nq;
    for (int k = 0; k <= nq; k++) {
      space[k] = k * step;
    }
    space[nq] = i;
    int[] group = new int[i];
    for (int j = 0; j < i; j++) {
      if (numpy) {
        int edgesAtOrBelow = 0;
        for (int k = 0; k <= nq; k++) {
          if (space[k] <= j) {
            edgesAtOrBelow++;
          }
        }
        group[j] = edgesAtOrBelow - 1;
      } else {
        group[j] = (int) ((long) j * nq / i);
      }
      if (bins[j] == 0) {
        group[j] = -1;
      }
    }
    double[] groupSum = new double[nq];
    int[] groupCount = new int[nq];
    for (int j = 0; j < i; j++) {
      if (group[j] >= 0) {
        groupSum[group[j]] += bins[j];
        groupCount[group[j]]++;
      }
    }
    double[] q = new double[i];
    for (int j = 0; j < i; j++) {
      if (group[j] >= 0) {
        q[j] = groupSum[group[j]] / groupCount[group[j]];
      }
    }
    double[] p = new double[i];
    for (int j = 0; j < i; j++) {
      p[j] = bins[j];
    }
    for (int j = i; j < n; j++) {
      p[i - 1] += bins[j];
    }
    return scipyEntropy(p, q);
  }

  /** scipy.stats.entropy(p, q): both normalised, Σ rel_entr(p, q); NaN when Σq = 0. */
  static double scipyEntropy(double[] p, double[] q) {
    double sp = 0;
    double sq = 0;
    for (int j = 0; j < p.length; j++) {
      sp += p[j];
      sq += q[j];
    }
    double s = 0;
    for (int j = 0; j < p.length; j++) {
      double x = p[j] / sp;
      double y = q[j] / sq;
      if (x > 0 && y > 0) {
        s += x * Math.log(x / y);
      } else if (x == 0 && y >= 0) {
        s += 0;
      } else if (x > 0 && y == 0) {
        s = Double.POSITIVE_INFINITY;
      } else {
        s = Double.NaN;
        break;
      }
    }
    return s;
  }
}
