package dev.qcal.core.calib.mse;

import dev.qcal.core.calib.screen.Float32Error;
import dev.qcal.core.calib.screen.Screening;
import java.util.Arrays;

/**
 * A rigorous interval for one candidate's float32 MSE of {@link NvMseCalibrator}, in O(levels)
 * instead of O(bins): the screen of its two-stage search. Candidates whose interval lies above the
 * smallest upper bound cannot be NVIDIA's pick and are never evaluated bin by bin; the others are
 * recomputed exactly with the tool's float32 arithmetic.
 *
 * <h2>Runs of one level</h2>
 *
 * At amax = c_i the tool quantizes centre c_j to the level q_j = min(bound, rint(fl(c_j·scale)))
 * with scale = fl(bound/amax), and fq_j = fl(q_j/scale). Rounding is monotone, so with
 * non-decreasing, non-negative centres q_j is non-decreasing in j: the bins fall into contiguous
 * runs of one level, each with one value v. The run boundaries are found with the tool's own
 * float32 predicate (a guess from the centres' mean spacing, corrected bin by bin), so they are
 * exactly the tool's.
 *
 * <h2>The closed form</h2>
 *
 * The exact real sum E = Σ h_j·(v_j − c_j)² (h the float32 counts, c the float32 centres) is, per
 * run, {@code S2 − 2v·S1 + v²·S0} with S0 = Σh, S1 = Σh·c, S2 = Σh·c². S0 is an exact double
 * (integer counts, total below 2^53); S1 and S2 are prefix sums kept as double-double (h·c is exact
 * in double, h·c² is split exactly with an fma), so a run's S1 and S2 come out to within a few ulps
 * of their own size rather than of the totals. The run's evaluation in double then errs by at most
 * 2^-50·m_r with m_r = S2 + 2v·S1 + v²·S0 (a few roundings of terms bounded by m_r), and the double
 * sum over R runs by R·2^-52·Σ|e_r|; the double-double prefix errors add at most (n² + n)·2^-105 of
 * the totals per prefix, twice per run.
 *
 * <h2>The float32 bound</h2>
 *
 * With u = 2^-24 and γ_m = m·u/(1 − m·u): each term fl(fl(d·d)·h), d = fl(v − c), is within γ_4 of
 * h·(v − c)² (three roundings of a product of non-negative factors, d twice); numpy's pairwise sum
 * of the n non-negative terms is within γ_depth of their sum ({@link Float32Error#npSumDepth}); the
 * final division by n adds u. Gradual underflow (a product below 2^-126) adds an absolute error
 * below 2^-149 per rounding, bounded by (Σh + n)·2^-146. Candidates the screen cannot bound (amax ≤
 * 2^-24, a histogram with negative or decreasing centres, totals too large) get (−∞, ∞) and are
 * evaluated exactly.
 *
 * <p>One instance per histogram, not thread-safe: its {@link MseCurveScreen} keeps the level
 * thresholds of the last bound. Its arrays are the thread's, reused by the next screen the thread
 * builds ({@link #prefixes}): an instance is used up before the next one is built.
 */
final class MseScreen {
  private final float[] centres;
  private final int n;

  /**
   * The prefix sums over bins [0, j), interleaved for locality at {@code STRIDE·j}: Σh, then Σh·c
   * and Σh·c² as double-double (high, low).
   */
  private final double[] pre;

  static final int STRIDE = 5;
  private final MseErrorBound errors;

  /**
   * The run loops of candidates with at most 4 levels per bin (8 bits), built on the first such
   * candidate: neither an unusable screen nor 16 bits needs its copy of the centres.
   */
  private MseCurveScreen curve;

  private final double first;
  private final double spacing;
  private final boolean usable;

  /** The prefix array of the thread's last screen, which the next one takes over. */
  private static final ThreadArray<double[]> PREFIXES =
      new ThreadArray<>(double[]::new, a -> a.length, STRIDE * ((1 << 16) + 1));

  /** The screen of the tool's float32 centres and counts (not copied, not modified). */
  MseScreen(float[] centres, float[] counts) {
    this.centres = centres;
    this.n = centres.length;
    this.pre = prefixes(n);
    boolean ok = n >= 2;
    float prev = 0f;
    double h0 = 0;
    double a1 = 0;
    double b1 = 0;
    double a2 = 0;
    double b2 = 0;
    for (int j = 0; j < n; j++) {
      float c = centres[j];
      float h = counts[j];
      ok &= c >= prev && c < 0x1p60f && h >= 0 && h < 0x1p62f;
      prev = c;
      int o = STRIDE * (j + 1);
      // An empty bin adds exactly nothing (+0 to every sum, TwoSum error +0): its prefixes are
      // the running sums as they stand (most of a small tensor's bins are empty; a copy of the
      // previous prefixes through System.arraycopy cost a third of this loop, JFR).
      if (h != 0 || !ok) {
        double hc = (double) h * c; // exact: 24 × 24 significant bits
        double cc = (double) c * c; // exact
        double p = h * cc;
        double pe = Math.fma(h, cc, -p); // h·c² = p + pe exactly
        h0 += h;
        double s = a1 + hc;
        b1 += (a1 - (s - (s - a1))) + (hc - (s - a1)); // TwoSum error
        a1 = s;
        s = a2 + p;
        b2 += (a2 - (s - (s - a2))) + (p - (s - a2)) + pe;
        a2 = s;
      }
      pre[o] = h0;
      pre[o + 1] = a1;
      pre[o + 2] = b1;
      pre[o + 3] = a2;
      pre[o + 4] = b2;
    }
    double t2 = a2 + b2;
    // Float terms stay far below overflow: Σ h·c² < 2^100.
    this.usable = ok && h0 < 0x1p52 && t2 < 0x1p100 && n > 0 && centres[n - 1] > 0;
    this.errors = new MseErrorBound(n, h0, a1 + b1, t2);
    this.first = centres[0];
    this.spacing = n > 1 ? ((double) centres[n - 1] - centres[0]) / (n - 1) : 0;
  }

  /**
   * Room for the prefix sums of {@code n} bins ({@link ThreadArray}: a fresh array of 5 doubles a
   * bin per tensor was, with its zeroing, over a third of building the screen at 20 000 small
   * tensors, thread CPU). Every slot past the first bin's is written by the constructor; the first
   * bin's prefixes (nothing summed) are zeroed here.
   */
  private static double[] prefixes(int n) {
    double[] pre = PREFIXES.room(STRIDE * (n + 1));
    Arrays.fill(pre, 0, STRIDE, 0.0);
    return pre;
  }

  /** Whether the closed form applies (ordered non-negative centres, modest totals). */
  boolean usable() {
    return usable;
  }

  /**
   * An interval for the float32 MSE at amax = {@code amax} with integer bound {@code bound}, as
   * {@link NvMseSearch#exact} computes it, into {@code out}: {@link #interval(float, float, double,
   * Screening)} with no limit.
   */
  void interval(float amax, float bound, Screening out) {
    interval(amax, bound, Double.POSITIVE_INFINITY, out);
  }

  /** The loops of candidates with at most 4 levels per bin, built on first use. */
  private MseCurveScreen curve() {
    if (curve == null) {
      curve = new MseCurveScreen(centres, pre, errors);
    }
    return curve;
  }

  /**
   * {@link #interval(float, float, Screening)}, or, once a lower bound of the MSE exceeds {@code
   * limit}, that bound with no upper one (and no middle): the clamped run first (O(log bins)), then
   * the clamped run and the runs below it summed so far, every run's exact real error being
   * non-negative. Counting the clamped run in from the start settles most candidates below the pick
   * whose clipping alone is not enough well before their last run (with it added last, they all
   * came out as full intervals above the limit). A full interval (the candidate not ruled out, or
   * an infinite limit) is the same bit for bit.
   */
  void interval(float amax, float bound, double limit, Screening out) {
    if (!usable || amax <= ReferenceFloat32.MIN_AMAX) {
      out.unknown();
      return;
    }
    float scale = bound / amax;
    boolean bounded = limit < Double.POSITIVE_INFINITY;
    int ib = (int) bound;
    // The clamped run's closed form (e, m), when a limit is given and some bin is clipped.
    double clampE = 0;
    double clampM = 0;
    double clampV = 0;
    int clampRuns = 0;
    if (bounded) {
      int start = clampStart(scale, ib);
      if (start < n) {
        double v = (float) ib / scale; // the tool's fq at the bound
        int x = STRIDE * start;
        int y = STRIDE * n;
        double h = pre[y] - pre[x];
        double c1 = (pre[y + 1] - pre[x + 1]) + (pre[y + 2] - pre[x + 2]);
        double c2 = (pre[y + 3] - pre[x + 3]) + (pre[y + 4] - pre[x + 4]);
        clampE = (c2 - 2 * v * c1) + v * v * h;
        clampM = c2 + 2 * v * c1 + v * v * h;
        clampV = v;
        clampRuns = 1;
        double low = errors.lower(clampE, errors.error(clampM, 1, Math.abs(clampE), v));
        if (low > limit) {
          out.interval(low, Double.POSITIVE_INFINITY, Double.NaN);
          return;
        }
      }
    }
    if (bound >= 0 && ib <= 4 * n) {
      // No more levels than a few times the bins: MseCurveScreen's loops find each level's
      // boundary on its own (the next level is q + 1, empty runs allowed).
      if (bounded) {
        curve()
            .interval(amax, bound, limit, clampE, clampM, Math.abs(clampE), clampV, clampRuns, out);
      } else {
        curve().interval(amax, bound, out);
      }
      return;
    }
    // The per-run test below, folded to constants of the candidate (MseErrorBound#cutoff).
    double cutoff = bounded ? errors.cutoff(limit) : Double.POSITIVE_INFINITY;
    int maxRuns = Math.min(n, ib + 1) + 1;
    double magSlack = MseErrorBound.MAG_SLACK;
    double absSlack = errors.absSlack(maxRuns);
    double constSlack = errors.constSlack(maxRuns, (float) ib / scale);
    double clampAbs = Math.abs(clampE);
    double invStep = spacing > 0 ? 1 / spacing : 0;
    // The boundary after level q is near centre (q + ½)/scale: index ≈ slope·q + offset.
    double slope = invStep / scale;
    double offset = (0.5 / scale - first) * invStep;
    int j = 0;
    int q = level(0, scale, ib);
    // Many more levels than bins (16 bits): runs are chained, skipping the empty levels.
    double vMax = 0;
    RunSums sums = new RunSums(pre);
    while (true) {
      int end;
      int next;
      if (q >= ib) {
        end = n;
        next = ib;
      } else {
        double guess = Math.ceil(slope * q + offset);
        int p = guess > n ? n : guess < j + 1 ? j + 1 : (int) guess;
        next = 0;
        if (p < n && (next = level(p, scale, ib)) > q && level(p - 1, scale, ib) <= q) {
          end = p;
        } else {
          while (p > j + 1 && level(p - 1, scale, ib) > q) {
            p--;
          }
          while (p < n && (next = level(p, scale, ib)) <= q) {
            p++;
          }
          end = p;
        }
      }
      double v = (float) q / scale; // the tool's fq: fl(q / scale)
      sums.add(end, v);
      vMax = v;
      if (end >= n) {
        break;
      }
      // A double sum of runs + clampRuns closed forms, whatever their order.
      double sum = sums.sum;
      double mag = sums.mag;
      double abs = sums.abs;
      if ((sum + clampE) - ((mag + clampM) * magSlack + (abs + clampAbs) * absSlack + constSlack)
          > cutoff) {
        double low =
            errors.lower(
                sum + clampE,
                errors.error(
                    mag + clampM, sums.runs + clampRuns, abs + clampAbs, Math.max(vMax, clampV)));
        out.interval(low, Double.POSITIVE_INFINITY, Double.NaN);
        return;
      }
      j = end;
      q = next;
    }
    errors.interval(sums.sum, sums.mag, sums.runs, sums.abs, vMax, out);
  }

  /**
   * A lower bound of the float32 MSE at amax = {@code amax} that holds at every smaller amax too,
   * or −∞ when the screen cannot give one: the error of the bins whose centre is at or above the
   * clamped value v = fl(bound/scale) alone, bounded as {@link #interval}'s clamped run. At amax' ≤
   * amax the scale is no smaller, so those bins are clamped there too (their level rounds from at
   * least bound·(1 − 2^-22)), to v' ≤ v (float rounding is monotone): each one's error (c − v')² is
   * at least (c − v)², and every other bin's error is non-negative. (The clamped run itself may
   * start half a step below v, where a smaller v' could err less.)
   */
  double clippedFloor(float amax, float bound) {
    if (!usable || amax <= ReferenceFloat32.MIN_AMAX || !(bound < 0x1p20f)) {
      return Double.NEGATIVE_INFINITY;
    }
    float scale = bound / amax;
    double v = (float) (int) bound / scale; // the tool's fq at the bound, as in interval
    int start = 0;
    int end = n;
    while (start < end) { // the first centre at or above v
      int mid = (start + end) >>> 1;
      if (centres[mid] >= v) {
        end = mid;
      } else {
        start = mid + 1;
      }
    }
    if (start == n) {
      return Double.NEGATIVE_INFINITY;
    }
    int x = STRIDE * start;
    int y = STRIDE * n;
    double h = pre[y] - pre[x];
    double c1 = (pre[y + 1] - pre[x + 1]) + (pre[y + 2] - pre[x + 2]);
    double c2 = (pre[y + 3] - pre[x + 3]) + (pre[y + 4] - pre[x + 4]);
    double e = (c2 - 2 * v * c1) + v * v * h;
    return errors.lower(e, errors.error(c2 + 2 * v * c1 + v * v * h, 1, Math.abs(e), v));
  }

  /**
   * The first bin whose level is the bound (n if none): guessed from the mean spacing of the
   * centres as in {@link #interval}, checked with the tool's float32 predicate, else bisected.
   */
  private int clampStart(float scale, int ib) {
    double guess = spacing > 0 ? Math.ceil(((ib - 0.5) / scale - first) / spacing) : 0;
    int p = guess > n ? n : guess < 0 ? 0 : (int) guess;
    if ((p == 0 || level(p - 1, scale, ib) < ib) && (p == n || level(p, scale, ib) >= ib)) {
      return p;
    }
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (level(mid, scale, ib) >= ib) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** The tool's level of centre j: min(bound, rint(fl(c·scale))), c ≥ 0. */
  int level(int j, float scale, int bound) {
    return Math.min(bound, (int) Math.rint(centres[j] * scale));
  }
}
