package dev.qcal.core.calib.mse;

import dev.qcal.core.calib.screen.Screening;

/**
 * {@link MseScreen}'s run loops for a candidate with at most 4 levels per bin (8 bits): the full
 * interval (no limit), the one NVIDIA's {@code mse} curve takes for every one of its ~1 900
 * candidates (each point is the interval's middle), and the interval with a limit that a search for
 * the pick alone takes. The runs are exactly the tool's and are summed by the same {@link RunSums}
 * as MseScreen's chained loop (these loops took 0.6× the CPU of that loop for the curve on the 500
 * tensors of the 1e8 bench dump, thread CPU).
 *
 * <ul>
 *   <li>A run boundary is checked with one float compare per side: the level of centre j exceeds q
 *       exactly when fl(c_j·scale) ≥ t_q, with t_q = q + ½ for odd q and the next float above it
 *       for even q (rint rounds half to even), the predicate of {@link #threshold}. The thresholds
 *       are built once per bound: built per candidate they cost a fifth of the loop.
 *   <li>The centres are read from a copy with a sentinel at each end (−1 before the first, whose
 *       level exceeds no q; +∞ after the last, whose level exceeds every q), so a check needs no
 *       index test.
 *   <li>No limit: no cutoff test per run and no clipped-run bookkeeping; a limit: one test per run
 *       against one cutoff per candidate.
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
    this.centres = CENTRES.room(n + 2); // every slot read is written below
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

  /**
   * {@link MseScreen#interval(float, float, double, Screening)} for a finite limit past its clamped
   * run: the same runs from the same loop, each followed by the test whether the runs summed so far
   * and the clamped run ({@code clampE}, {@code clampM}, {@code clampAbs}, {@code clampV}, {@code
   * clampRuns}: no run when nothing is clamped) already put the lower bound above {@code limit}
   * (then that bound, with no upper one and no middle), else the full interval. The test's
   * constants (the clamped run's terms, the slack of a candidate's largest run count and level) are
   * folded into one cutoff per candidate, with a margin: it only decides when to stop, and the
   * bound reported is {@link MseErrorBound#lower}'s. Fewer live values than MseScreen's own loop,
   * so that C2 keeps them in registers (with the clamped run's terms in the loop the pick alone
   * took 1.6 or 2.4 s at 20 000 small tensors, depending on the JVM run).
   */
  void interval(
      float amax,
      float bound,
      double limit,
      double clampE,
      double clampM,
      double clampAbs,
      double clampV,
      int clampRuns,
      Screening out) {
    int ib = (int) bound;
    float scale = bound / amax;
    int maxRuns = Math.min(n, ib + 1) + 1;
    double absSlack = errors.absSlack(maxRuns);
    double cutoff = errors.cutoff(limit);
    double slack =
        clampM * MseErrorBound.MAG_SLACK
            + clampAbs * absSlack
            + errors.constSlack(maxRuns, (float) ib / scale);
    // Folded, the test rounds differently from MseScreen's: the margin covers those few roundings
    // of terms no larger than cutoff + |clampE| (a larger sum settles the candidate anyway).
    double cut = (cutoff - clampE) + slack + (cutoff + clampAbs + slack) * 0x1p-44;
    float[] t = thresholds(ib);
    float[] c = centres;
    int n = this.n;
    double invStep = spacing > 0 ? 1 / spacing : 0;
    double slope = invStep / scale;
    double offset = (0.5 / scale - first) * invStep;
    int q = Math.min(ib, (int) Math.rint(c[1] * scale));
    float qf = q;
    double guess = slope * q + offset + 1;
    int j = 0;
    double v = 0;
    RunSums sums = new RunSums(this.pre);
    while (true) {
      int end = n;
      if (q < ib) {
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
        if (end == j) {
          q++;
          qf += 1f;
          guess += slope;
          continue;
        }
      }
      v = qf / scale;
      sums.add(end, v);
      if (end >= n) {
        break;
      }
      if (sums.sum - (sums.mag * MseErrorBound.MAG_SLACK + sums.abs * absSlack) > cut) {
        double low =
            errors.lower(
                sums.sum + clampE,
                errors.error(
                    sums.mag + clampM,
                    sums.runs + clampRuns,
                    sums.abs + clampAbs,
                    Math.max(v, clampV)));
        out.interval(low, Double.POSITIVE_INFINITY, Double.NaN);
        return;
      }
      j = end;
      q++;
      qf += 1f;
      guess += slope;
    }
    errors.interval(sums.sum, sums.mag, sums.runs, sums.abs, v, out);
  }

  /** The copy of the centres of the thread's last loops, which the next ones take over. */
  private static final ThreadArray<float[]> CENTRES =
      new ThreadArray<>(float[]::new, a -> a.length, 1 << 16);

  /** t_q for q &lt; {@code bound}, kept for the next candidate of the same bound. */
  private float[] thresholds(int bound) {
    if (thresholds.length != bound) {
      float[] t = new float[bound];
      for (int q = 0; q < bound; q++) {
        t[q] = threshold(q);
      }
      thresholds = t;
    }
    return thresholds;
  }

  /**
   * t_q: the level of a centre c ≥ 0 exceeds q &lt; 2^22 exactly when fl(c·scale) ≥ t_q
   * (rint(fl(c·scale)) > q: fl(c·scale) > q + ½, or = q + ½ when q + 1 is even).
   */
  static float threshold(int q) {
    float half = q + 0.5f; // exact
    return (q & 1) != 0 ? half : Math.nextUp(half);
  }
}
