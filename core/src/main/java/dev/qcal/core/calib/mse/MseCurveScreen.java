package dev.qcal.core.calib.mse;

import dev.qcal.core.calib.screen.Screening;

/**
 * {@link MseScreen}'s full interval (no limit) of a candidate with at most 4 levels per bin, the
 * interval NVIDIA's {@code mse} curve takes for every one of its ~1 900 candidates (each point is
 * the interval's middle): the same runs, summed by the same {@link RunSums}, so the same lower
 * bound, upper bound and middle bit for bit, from a leaner loop (the curve search's screens took
 * 0.6× the CPU on the 500 tensors of the 1e8 bench dump, thread CPU).
 *
 * <ul>
 *   <li>A run boundary is checked with one float compare per side: the level of centre j exceeds q
 *       exactly when fl(c_j·scale) ≥ t_q, with t_q = q + ½ for odd q and the next float above it
 *       for even q (rint rounds half to even), the same predicate as {@link MseScreen#above}. The
 *       thresholds are built once per bound: built per candidate they cost a fifth of the loop.
 *   <li>The centres are read from a copy with a sentinel at each end (−1 before the first, whose
 *       level exceeds no q; +∞ after the last, whose level exceeds every q), so a check needs no
 *       index test.
 *   <li>No limit: no cutoff test per run and no clipped-run bookkeeping.
 * </ul>
 *
 * As in {@link MseScreen}, the boundary guessed from the centres' mean spacing only says where to
 * start checking (here advanced by the slope from one level to the next, instead of recomputed), so
 * the boundaries are exactly the tool's whatever it is.
 *
 * <p>Not thread-safe (the thresholds are kept for the last bound); one instance per screen.
 */
final class MseCurveScreen {
  private final int n;

  /** The centres, shifted by one, with the sentinels −1 at 0 and +∞ at n + 1. */
  private final float[] centres;

  /** {@link MseScreen}'s prefix sums, its layout ({@link MseScreen#STRIDE} per bin). */
  private final double[] pre;

  private final MseErrorBound errors;
  private final double first;
  private final double spacing;

  /** t_q for every level q below the last bound asked for (its length is that bound). */
  private float[] thresholds = new float[0];

  /**
   * The loop over non-decreasing, non-negative float32 {@code centres} (copied) with {@link
   * MseScreen}'s prefix sums {@code pre} (not copied) and error bounds.
   */
  MseCurveScreen(float[] centres, double[] pre, MseErrorBound errors) {
    this.n = centres.length;
    this.centres = new float[n + 2];
    this.centres[0] = -1f;
    System.arraycopy(centres, 0, this.centres, 1, n);
    this.centres[n + 1] = Float.POSITIVE_INFINITY;
    this.pre = pre;
    this.errors = errors;
    this.first = centres[0];
    this.spacing = n > 1 ? ((double) centres[n - 1] - centres[0]) / (n - 1) : 0;
  }

  /**
   * The full interval at amax = {@code amax} (above 2^-24) with non-negative integer bound {@code
   * bound} (at most 4 levels per bin), as {@link MseScreen#interval(float, float, double,
   * Screening)} gives it with no limit, into {@code out}.
   */
  void interval(float amax, float bound, Screening out) {
    int ib = (int) bound;
    float scale = bound / amax;
    float[] t = thresholds(ib);
    float[] c = centres; // c[k + 1] is centre k
    int n = this.n;
    double invStep = spacing > 0 ? 1 / spacing : 0;
    double slope = invStep / scale;
    double offset = (0.5 / scale - first) * invStep;
    int q = Math.min(ib, (int) Math.rint(c[1] * scale)); // the level of centre 0
    float qf = q; // exact: q < 2^24
    double guess = slope * q + offset + 1;
    int j = 0;
    double v = 0;
    RunSums sums = new RunSums(this.pre);
    while (true) {
      int end = n;
      if (q < ib) {
        // The first bin whose level exceeds q: bin p − 1 must not, bin p must. The sentinels
        // answer for p = 0 and p = n, and bin j − 1 lies below q (it ended the previous run), so
        // p = j needs no test either and the walk down stops there.
        float tq = t[q];
        int p = Math.max(j, Math.min(n, (int) guess));
        if (c[p] * scale >= tq || c[p + 1] * scale < tq) {
          while (c[p] * scale >= tq) {
            p--;
          }
          while (c[p + 1] * scale < tq) {
            p++;
          }
        }
        end = p;
        if (end == j) { // an empty level
          q++;
          qf += 1f;
          guess += slope;
          continue;
        }
      }
      v = qf / scale; // the tool's fq: fl(q / scale)
      sums.add(end, v);
      if (end >= n) {
        break;
      }
      j = end;
      q++;
      qf += 1f;
      guess += slope;
    }
    errors.interval(sums.sum, sums.mag, sums.runs, sums.abs, v, out);
  }

  /** t_q for q &lt; {@code bound}, kept for the next candidate of the same bound. */
  private float[] thresholds(int bound) {
    if (thresholds.length != bound) {
      float[] t = new float[bound];
      for (int q = 0; q < bound; q++) {
        float half = q + 0.5f; // exact
        t[q] = (q & 1) != 0 ? half : Math.nextUp(half);
      }
      thresholds = t;
    }
    return thresholds;
  }
}
