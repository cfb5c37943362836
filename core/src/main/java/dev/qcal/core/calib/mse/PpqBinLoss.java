package dev.qcal.core.calib.mse;

/**
 * PPQ's histogram error model ({@code ppq/quantization/observer/range.py
 * TorchMSEObserver.compute_mse_loss}, Python path), in units of bins: the mass of a bin sits at its
 * centre; a grid of levels starts at bin edge {@code start} and steps {@code step} bins up to
 * {@code end}.
 *
 * <ul>
 *   <li>bin below start: error (start − idx − 1) + 0.5;
 *   <li>bin above end: error (idx − end) + 0.5;
 *   <li>otherwise l = (idx − start) mod step, r = step − l − 1: error l + 0.25 when l = r, else
 *       min(l, r) + 0.5.
 * </ul>
 *
 * loss = Σ count·err²/N, accumulated left to right in float64 as Python does (the C++ kernel {@code
 * hist_mse.cc}, used only with PPQ's CUDA extension, accumulates in float32).
 */
final class PpqBinLoss {
  private PpqBinLoss() {}

  /**
   * The losses of {@code count} grids that share {@code start} ({@code steps[k]}, {@code ends[k]}),
   * into {@code out[k]}: each is {@link #loss}'s value bit for bit (the same terms, each summed in
   * the same bin order into its own accumulator). The bins below the start add the same terms to
   * every grid, so that part of the sum is computed once; above it, four grids at a time share one
   * pass with four independent accumulators (instead of one grid waiting on its own chain of
   * additions), and inside a grid the error takes few values, whose terms {@code table} holds
   * ({@code table}). Empty bins are skipped: their term is +0, and adding +0 to a sum of
   * non-negative terms changes nothing.
   */
  static void losses(
      double[] counts,
      double total,
      Table table,
      int start,
      int[] steps,
      int[] ends,
      int count,
      double[] out) {
    int n = counts.length;
    double below = 0;
    for (int idx = 0; idx < Math.min(start, n); idx++) {
      if (counts[idx] != 0) {
        double error = (start - idx - 1) + 0.5;
        below += counts[idx] * error * error / total;
      }
    }
    for (int k = 0; k < count; k += 4) {
      // Up to four grids; missing ones are dummies (step 1, no end) whose sums are dropped.
      int s0 = steps[k];
      int s1 = k + 1 < count ? steps[k + 1] : 1;
      int s2 = k + 2 < count ? steps[k + 2] : 1;
      int s3 = k + 3 < count ? steps[k + 3] : 1;
      int e0 = ends[k];
      int e1 = k + 1 < count ? ends[k + 1] : Integer.MAX_VALUE;
      int e2 = k + 2 < count ? ends[k + 2] : Integer.MAX_VALUE;
      int e3 = k + 3 < count ? ends[k + 3] : Integer.MAX_VALUE;
      double a0 = below;
      double a1 = below;
      double a2 = below;
      double a3 = below;
      int l0 = 0;
      int l1 = 0;
      int l2 = 0;
      int l3 = 0;
      for (int idx = start; idx < n; idx++) {
        double c = counts[idx];
        if (c != 0) {
          a0 += term(c, total, table, idx, l0, s0, e0);
          a1 += term(c, total, table, idx, l1, s1, e1);
          a2 += term(c, total, table, idx, l2, s2, e2);
          a3 += term(c, total, table, idx, l3, s3, e3);
        }
        l0 = l0 + 1 == s0 ? 0 : l0 + 1; // (idx − start) mod step, for the next bin
        l1 = l1 + 1 == s1 ? 0 : l1 + 1;
        l2 = l2 + 1 == s2 ? 0 : l2 + 1;
        l3 = l3 + 1 == s3 ? 0 : l3 + 1;
      }
      out[k] = a0;
      if (k + 1 < count) {
        out[k + 1] = a1;
      }
      if (k + 2 < count) {
        out[k + 2] = a2;
      }
      if (k + 3 < count) {
        out[k + 3] = a3;
      }
    }
  }

  /** Bin idx's term for a grid (step, end) with l = (idx − start) mod step, as {@link #loss}. */
  private static double term(
      double c, double total, Table table, int idx, int l, int step, int end) {
    if (idx > end) {
      double error = (idx - end) + 0.5;
      return c * error * error / total;
    }
    int r = step - l - 1;
    int code = l == r ? 2 * l + 1 : 2 * Math.min(l, r);
    if (code < table.codes) {
      return table.terms[idx * table.codes + code];
    }
    double error = l == r ? l + 0.25 : Math.min(l + 0.5, r + 0.5);
    return c * error * error / total;
  }

  /**
   * The terms count·e²/total of every bin for the errors e = j + 0.5 (code 2j) and j + 0.25 (code
   * 2j + 1) of codes below {@code codes}, bin-major.
   */
  static final class Table {
    final int codes;
    final double[] terms;

    Table(double[] counts, double total, int codes) {
      int n = counts.length;
      this.codes = codes;
      this.terms = new double[codes * n];
      for (int idx = 0; idx < n; idx++) {
        for (int code = 0; code < codes; code++) {
          double error = (code >> 1) + ((code & 1) == 0 ? 0.5 : 0.25);
          terms[idx * codes + code] = counts[idx] * error * error / total;
        }
      }
    }
  }

  static double loss(double[] counts, double total, int start, int step, int end) {
    double loss = 0;
    for (int idx = 0; idx < counts.length; idx++) {
      double error;
      if (idx < start) {
        error = (start - idx - 1) + 0.5;
      } else if (idx > end) {
        error = (idx - end) + 0.5;
      } else {
        int l = (idx - start) % step;
        int r = step - l - 1;
        error = l == r ? l + 0.25 : Math.min(l + 0.5, r + 0.5);
      }
      loss += counts[idx] * error * error / total;
    }
    return loss;
  }
}
