package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.NumpyPairwiseSum;
import dev.qcal.core.calib.screen.Screening;

/**
 * A rigorous interval for one candidate's float32 KL of the signed-window family, in O(groups)
 * instead of O(window): the screen of the two-stage searches of {@link MinimizeKl}, {@link
 * Mxnet15EntropyCalibrator} and {@link OrtEntropyCalibrator}. Candidates whose interval lies above
 * the smallest upper bound cannot be the tool's pick and are never evaluated bin by bin; the others
 * are recomputed exactly.
 *
 * <h2>The window the tools smooth</h2>
 *
 * A candidate's window has {@code len} positions split into groups {@code [a_g, b_g)}. Position k
 * holds a raw P value v_k: the histogram value {@code hv[start + k]} inside, the tool's folded
 * {@code v0} and {@code vLast} at the two ends. Smoothing gives {@code s_k = EPS} where v_k = 0 and
 * {@code s_k = fl(v_k − e)} elsewhere (e = the float eps1 of P, the same in every tool once numpy's
 * {@code v + float32(−eps1)} is read as {@code v − e}); Q is constant on a group: {@code qNz_g} at
 * the positions where P ≠ 0, {@code qZ_g} where P = 0 (EPS for the tools that mask Q by P). The tool
 * then computes, in float32, with P̂ = Σ̂ s and Q̂ = Σ̂ q its float sums:
 *
 * <pre>
 *   V = Σ̂_k  fl(pn_k · logf(fl(pn_k / qn_k))),   pn_k = fl(s_k / P̂),  qn_k = fl(q_k / Q̂).
 * </pre>
 *
 * <h2>The closed form</h2>
 *
 * In exact arithmetic with a = s/P̂ and b = q/Q̂, {@code K = Σ a·ln(a/b) = (A + S·ln(Q̂/P̂)) / P̂}
 * with {@code S = Σ s} and {@code A = Σ s·ln(s/q)}. On a group, zero positions add {@code
 * EPS·ln(EPS/qZ)} each and the non-zero ones {@code Σ s·ln s − ln(qNz)·Σ s}. With s̃ = h − e (the
 * real difference) the Taylor expansion of g(e) = (h − e)·ln(h − e) about e = 0,
 *
 * <pre>
 *   (h − e)·ln(h − e) = h·ln h − e·(ln h + 1) + e²/(2h) + R,   0 ≤ R ≤ e³ / (6·(h − e)²),
 * </pre>
 *
 * (g''' = 1/(h − e)² &gt; 0) makes a group's sums differences of prefix sums of h·ln h, ln h, 1/h, h
 * and h² over the non-zero bins (h ≥ 1 is an integer count, e &lt; ½, so R ≤ e³/(6(1 − e)²) per
 * bin). The prefix sums are in double; h sums exactly (totals below 2^53), and the others' errors
 * telescope over the contiguous groups to at most {@code 2·n·2^-53} of their totals.
 *
 * <h2>The bound, |V − K| ≤ E</h2>
 *
 * With u = 2^-24, γ_m = m·u/(1 − m·u), and a bound B ≥ Σ|t_k| on the exact terms t_k = a_k·ln(a_k/b_k):
 *
 * <ul>
 *   <li><b>s's own rounding</b>: s = s̃ + ρ with |ρ| ≤ u·s̃ (0 when e = 0); ∂K/∂s_k = (ln(a_k/b_k) +
 *       1)/P̂, so the change is at most {@code u·(B + Σa)}, up to (1 + 4u).
 *   <li><b>per-term roundings</b>: pn = a(1 + δ1), qn = b(1 + δ2), the ratio (1 + δ3), the log
 *       correctly rounded ({@code (float) Math.log}, |η| ≤ u·|ln r|) and the product (1 + δ4): |t̂_k −
 *       t_k| ≤ a_k·(3u + 3u·|ln(a_k/b_k)|) to first order, hence {@code 3.01·u·(B + Σa)} in all.
 *   <li><b>the final float sum</b>: numpy's pairwise sum (ORT, MXNet 1.5) is within {@code γ_d·Σ|t̂|}
 *       where d is the deepest chain of additions of {@link NumpyPairwiseSum#sum} ({@link
 *       #pairwiseDepth}, 31 for 8001 terms); the C++ left-to-right sum (MXNet, TVM) is within {@code
 *       u·Σ_k |Ŝ_k|} (each addition rounds to within u of its result), and the partial sums are
 *       bounded per group: inside group g they stay within {@code |S_{a_g}| + neg_g + max(T_g, 0)}
 *       where T_g is the group's sum and neg_g its negative part, plus γ_len·Σ|t̂| for the rounding
 *       accumulated so far.
 *   <li><b>B and neg_g</b>: a·ln(a/b) ≥ a − b, so a negative term is at most b − a in size and
 *       {@code neg_g ≤ ½(Σ_g|b − a| + Σ_g(b − a))}; on the non-zero positions b is one constant β
 *       and Cauchy–Schwarz gives {@code Σ|β − a| ≤ sqrt(N·Σ(β − a)²)}, a variance from the prefix
 *       sums of h and h²; then {@code B = Σ_g max(|T_g|, T_g + 2·neg_g)}.
 *   <li><b>unknown sums</b>: when P̂ and Q̂ are only known to lie in intervals (numpy's pairwise
 *       sum of positive terms is within γ_d·S of the exact S; the left-to-right sums of MXNet and
 *       TVM are computed exactly instead, their worst-case bound u·Σ_k S_k ≈ u·len·S/2 being far
 *       too wide to screen with), K is evaluated at the corners: it
 *       increases with Q̂ and decreases with P̂ as long as P̂ &lt; Q̂·e^{1 + A/S} (checked), and the
 *       error terms above, evaluated at the midpoint, are widened by the relative spans.
 * </ul>
 *
 * <h2>The quick bound</h2>
 *
 * Given the smallest upper bound so far, {@link #interval(Sums, boolean, float, float, double)}
 * first bounds every quantity of the pass over the groups by the candidate's totals (kept by
 * {@link #load}): Σ|T_g| ≤ (Σ|A_g| + S·|ln(Q̂/P̂)|)/P̂; the Cauchy–Schwarz terms by Σb +
 * sqrt(len·Σa²); neg_g ≤ ½(absDiff_g + Σ_g b); the partial sums by len·(2·Σ|T_g| + Σneg). The
 * error is increasing in B and in the partial-sum bound, so this is a valid, looser interval; when
 * it already lies above the limit the pass is skipped (the estimate is the same). The searches
 * seed the limit from every {@link #SEED_STRIDE}-th candidate first.
 *
 * Not thread-safe (scratch per candidate); one instance per search.
 */
final class KlScreen {
  /** How the tool sums P, Q and the KL terms. */
  enum Sums {
    /** A float accumulator, left to right (the C++ of MXNet and TVM). */
    LEFT_TO_RIGHT,
    /** numpy's pairwise summation (ORT, MXNet 1.5). */
    PAIRWISE
  }

  static final double U = 0x1p-24;

  /**
   * The searches seed their smallest upper bound from every SEED_STRIDE-th candidate before the
   * main pass, so that {@link #interval}'s quick bound applies from the first candidate on.
   */
  static final int SEED_STRIDE = 16;
  private static final double EPS = SignedWindowKl.EPS;
  private static final double LN_EPS = Math.log(EPS);
  /** Relative slack for the double arithmetic of one formula (a few roundings of 2^-53). */
  private static final double D = 0x1p-48;

  private final float[] hv;
  private final int n;
  /**
   * The prefix sums over bins [0, j) of the non-zero values, interleaved for locality at {@code
   * STRIDE·j}: h, h·ln h, ln h, 1/h, h², and the count of non-zero bins.
   */
  private final double[] pre;

  private static final int STRIDE = 6;
  private final double prefixSlack;
  private final double totalHl;
  private final double totalL;
  private final double totalInv;
  private final double totalN;
  private final boolean usable;

  // Per candidate input, filled by the caller.
  final int[] groupStart;
  final int[] groupEnd;
  final double[] qNz;
  final double[] qZ;

  // Per candidate group sums.
  private final double[] gS;
  private final double[] gSL;
  private final double[] gS2;
  private final int[] gN;
  private final int[] gZ;
  private final double[] gMass;
  private int groups;
  private int len;
  private double e;
  private double taylor;
  private double magnitude;
  private boolean valid;
  /** Set by {@link #loadClasses}: totals only, no per-group arrays. */
  private boolean classTotals;
  /** Relative uncertainty of {@link #qTotal} beyond double rounding (from {@link #loadClasses}). */
  private double qRel;
  /**
   * {@link #loadClasses}' interior: Σ_g |S_g − Q_g| (bound), Σ_g Q_g, and the largest S_g and
   * Q_g of any tabulated window (bounds), for {@link #classPartials}.
   */
  private double classExcess;
  private double classQmass;
  private double classMaxP;
  private double classMaxQ;
  private boolean cleared;

  // Per candidate totals.
  private double sTotal;
  private double qTotal;
  private double aTotal;
  /** Σ_g |A_g|, Σ_g Σ s², the zero positions: totals for {@link #interval}'s quick bound. */
  private double absATotal;
  private double s2Total;
  private int zeroTotal;

  /** Result of {@link #interval}: lower and upper bounds and the estimate. */
  double lo;
  double hi;
  double estimate;

  /**
   * The screen of a histogram whose interior P values are {@code hv} (integer-valued floats; the
   * screen is {@link #usable} only when every value is 0 or ≥ 1 and the total is below 2^53).
   */
  KlScreen(float[] hv, int maxGroups) {
    this.hv = hv;
    this.n = hv.length;
    this.pre = new double[STRIDE * (n + 1)];
    boolean ok = true;
    for (int j = 0; j < n; j++) {
      double h = hv[j];
      boolean nz = h != 0;
      ok &= h == 0 || (h >= 1 && h == Math.rint(h) && h < 0x1p40);
      double lnh = nz ? Math.log(h) : 0;
      int o = STRIDE * j;
      pre[o + STRIDE] = pre[o] + h;
      pre[o + STRIDE + 1] = pre[o + 1] + h * lnh;
      pre[o + STRIDE + 2] = pre[o + 2] + lnh;
      pre[o + STRIDE + 3] = pre[o + 3] + (nz ? 1 / h : 0);
      pre[o + STRIDE + 4] = pre[o + 4] + h * h;
      pre[o + STRIDE + 5] = pre[o + 5] + (nz ? 1 : 0);
    }
    int t = STRIDE * n;
    this.usable = ok && pre[t] < 0x1p52;
    this.totalHl = pre[t + 1];
    this.totalL = Math.abs(pre[t + 2]);
    this.totalInv = pre[t + 3];
    this.totalN = pre[t + 5];
    // Prefix errors telescope over contiguous groups: the two end prefixes' accumulated error.
    this.prefixSlack = 2 * (n + 2) * 0x1p-52;
    this.groupStart = new int[maxGroups];
    this.groupEnd = new int[maxGroups];
    this.qNz = new double[maxGroups];
    this.qZ = new double[maxGroups];
    this.gS = new double[maxGroups];
    this.gSL = new double[maxGroups];
    this.gS2 = new double[maxGroups];
    this.gN = new int[maxGroups];
    this.gZ = new int[maxGroups];
    this.gMass = new double[maxGroups];
  }

  /**
   * Sets group g of the next candidate: window positions [{@code start}, {@code end}), whose Q is
   * {@code qNz} where P ≠ 0 and {@code qZ} where P = 0 (both already smoothed).
   */
  void group(int g, int start, int end, double qNz, double qZ) {
    groupStart[g] = start;
    groupEnd[g] = end;
    this.qNz[g] = qNz;
    this.qZ[g] = qZ;
  }

  /**
   * {@link #interval} into {@code out} for a tool that sums with numpy's pairwise sum (ORT, MXNet
   * 1.5: the float sums P̂ and Q̂ are bounded, not computed); true when the quick bound settled
   * the candidate above {@code limit} (after {@link #loadClasses}: otherwise {@code out} is
   * unknown and the candidate must be {@link #load}ed).
   */
  boolean pairwise(double limit, Screening out) {
    interval(Sums.PAIRWISE, false, 0f, 0f, limit);
    out.interval(lo, hi, estimate);
    return cleared;
  }

  /**
   * {@link #interval} into {@code out} for a tool that sums left to right in float (MXNet, TVM),
   * whose float sums P̂ and Q̂ are given; true as for {@link #pairwise}.
   */
  boolean leftToRight(float pHat, float qHat, double limit, Screening out) {
    interval(Sums.LEFT_TO_RIGHT, true, pHat, qHat, limit);
    out.interval(lo, hi, estimate);
    return cleared;
  }

  /** Whether the closed form applies to this histogram (integer values, modest totals). */
  boolean usable() {
    return usable;
  }

  /**
   * Loads a candidate: window {@code [start, start + len)}, {@code groups} groups already in {@link
   * #groupStart}, {@link #groupEnd}, {@link #qNz}, {@link #qZ}; the ends' raw P values and the
   * smoothing shift {@code e} (s = fl(v − e)). Returns false when the closed form cannot be used
   * (a non-positive Q, e ≥ ½): the caller then evaluates the candidate exactly.
   */
  boolean load(int start, int len, int groups, float v0, float vLast, float e) {
    this.classTotals = false;
    this.qRel = 0;
    this.groups = groups;
    this.len = len;
    this.e = e;
    double ee = (double) e * e;
    double rem = (double) e * ee / (6 * (1 - e) * (1 - e));
    valid = e >= 0 && e < 0.5f && len >= 2;
    double s = 0;
    double q = 0;
    double a = 0;
    double tay = 0;
    double mag = 0;
    double lnErr = 0;
    double absA = 0;
    double s2All = 0;
    int zerosAll = 0;
    for (int g = 0; g < groups && valid; g++) {
      int ga = groupStart[g];
      int gb = groupEnd[g];
      int lo = Math.max(ga, 1);
      int hi = Math.min(gb, len - 1);
      double sum = 0;
      double sl = 0;
      double s2 = 0;
      int nz = 0;
      int zeros = 0;
      if (hi > lo) {
        int x = STRIDE * (start + lo);
        int y = STRIDE * (start + hi);
        nz = (int) (pre[y + 5] - pre[x + 5]);
        zeros = (hi - lo) - nz;
        double h = pre[y] - pre[x];
        double hl = pre[y + 1] - pre[x + 1];
        double l = pre[y + 2] - pre[x + 2];
        double inv = pre[y + 3] - pre[x + 3];
        sum = h - nz * (double) e;
        sl = hl - e * (l + nz) + 0.5 * ee * inv;
        s2 = (pre[y + 4] - pre[x + 4]) - 2 * e * h + nz * ee;
        mag += Math.abs(hl) + e * (Math.abs(l) + nz) + ee * inv;
        tay += nz * rem;
      }
      if (ga == 0) {
        float v = v0;
        if (v == 0f) {
          zeros++;
        } else {
          double sv = v - e; // float arithmetic, as the tool
          sum += sv;
          sl += sv * Math.log(sv);
          s2 += sv * sv;
          nz++;
          mag += Math.abs(sv * Math.log(sv));
        }
      }
      if (gb == len) {
        float v = vLast;
        if (v == 0f) {
          zeros++;
        } else {
          double sv = v - e; // float arithmetic, as the tool
          sum += sv;
          sl += sv * Math.log(sv);
          s2 += sv * sv;
          nz++;
          mag += Math.abs(sv * Math.log(sv));
        }
      }
      double qn = qNz[g];
      double qz = qZ[g];
      if ((nz > 0 && !(qn > 0 && qn < Double.POSITIVE_INFINITY))
          || (zeros > 0 && !(qz > 0 && qz < Double.POSITIVE_INFINITY))) {
        valid = false;
        break;
      }
      double lnq = nz > 0 ? Float32Log.lnNear((float) qn) : 0;
      double zTerm = zeros > 0 && qz != EPS ? zeros * EPS * (LN_EPS - Math.log(qz)) : 0;
      double ag = sl - lnq * sum + zTerm;
      double mass = sum + zeros * EPS;
      double qmass = (nz > 0 ? nz * qn : 0) + zeros * qz;
      mag += Math.abs(lnq) * sum + Math.abs(zTerm);
      lnErr += (Math.abs(lnq) + 1) * sum;
      gS[g] = sum;
      gSL[g] = ag;
      gS2[g] = s2;
      gN[g] = nz;
      gZ[g] = zeros;
      gMass[g] = qmass;
      s += mass;
      absA += Math.abs(ag);
      s2All += Math.max(0, s2); // a group's var uses max(0, ·) too
      zerosAll += zeros;
      q += qmass;
      a += ag;
    }
    if (!valid) {
      return false;
    }
    this.sTotal = s;
    this.qTotal = q;
    this.aTotal = a;
    this.absATotal = absA;
    this.s2Total = s2All;
    this.zeroTotal = zerosAll;
    this.taylor = tay;
    this.magnitude =
        mag * D
            + lnErr * Float32Log.LN_NEAR_ERROR
            + prefixSlack * (totalHl + e * (totalL + totalN) + ee * totalInv);
    return true;
  }

  /**
   * Loads a candidate's totals in O(1) for {@link #interval}'s quick bound only: the {@code
   * endGroups} groups in the group arrays (those holding the window's ends, or any group that is
   * not a plain histogram window) as {@link #load} does, and the {@code interior} groups, the
   * windows [b, b + m) for b = firstB, firstB + m, …, lastB, from {@code cls} (tabulated for this
   * m) in closed form. The interior Q values are the tabulated q smoothed to fl(q − ε) (ε = the
   * tool's float eps1 of Q; Q masked by P or not, as the tool of {@code cls}). Returns false when this
   * does not apply (then {@link #load} the candidate).
   *
   * <p>With w = a group's Σs (or its zero count, for the unmasked tools' zero positions), the
   * interior part of Σ w·ln fl(q − ε) is expanded as Σ w·(L − ε/q − ε²/(2q²)) with L = ln q, the
   * terms tabulated per window; the rest lies within (ε³/(3(1 − ε)) + 1.0001·2^-24)·Σw (the
   * series' remainder, q ≥ 1, and the float rounding of q − ε), plus {@link Float32Log#lnNear}'s
   * error on L and the tables' rounding ({@link GroupClassSums#slack}), all added to the
   * magnitude that widens the interval. The Q mass Σ NZ·fl(q − ε) is known to within 2^-24 of its
   * value: a relative uncertainty of the pairwise sums' interval. Σ_g |A_g| is bounded by A +
   * 2·Σ_g max(0, Q_g − S_g) (each A_g ≥ S_g − Q_g, as s·ln(s/q) ≥ s − q), the latter from the
   * tabulated |QM − H|. The pass over the groups of the full interval is not available afterwards:
   * {@link #interval} then reports an unknown interval unless the quick bound settles it ({@link
   * #cleared}).
   */
  boolean loadClasses(
      int start,
      int len,
      int endGroups,
      float v0,
      float vLast,
      float e,
      float eps,
      GroupClassSums cls,
      int firstB,
      int lastB,
      int interior) {
    int m = cls.width();
    boolean masked = cls.masked();
    if (!(eps >= 0 && eps <= 0.25f) || interior < 1 || lastB + m - firstB != interior * m) {
      return false;
    }
    if (!load(start, len, endGroups, v0, vLast, e)) {
      return false;
    }
    classTotals = true;
    double ee = (double) e * e;
    double rem = (double) e * ee / (6 * (1 - e) * (1 - e));
    double x = eps;
    int px = STRIDE * firstB;
    int py = STRIDE * (lastB + m);
    double nz = pre[py + 5] - pre[px + 5];
    double zeros = interior * (double) m - nz;
    double h = pre[py] - pre[px];
    double hl = pre[py + 1] - pre[px + 1];
    double l = pre[py + 2] - pre[px + 2];
    double inv = pre[py + 3] - pre[px + 3];
    double sum = h - nz * (double) e;
    double sl = hl - e * (l + nz) + 0.5 * ee * inv;
    double s2 = (pre[py + 4] - pre[px + 4]) - 2 * e * h + nz * ee;

    double cHl = cls.sum(GroupClassSums.HL, firstB, lastB);
    double cNl = cls.sum(GroupClassSums.NL, firstB, lastB);
    double cHq = cls.sum(GroupClassSums.HQ, firstB, lastB);
    double cNq = cls.sum(GroupClassSums.NQ, firstB, lastB);
    double cHq2 = cls.sum(GroupClassSums.HQ2, firstB, lastB);
    double cNq2 = cls.sum(GroupClassSums.NQ2, firstB, lastB);
    double cQm = cls.sum(GroupClassSums.QM, firstB, lastB);
    double cDev = cls.sum(GroupClassSums.DEV, firstB, lastB);
    double cAhl = cls.sum(GroupClassSums.AHL, firstB, lastB);
    double nonEmpty = cls.sum(GroupClassSums.NE, firstB, lastB);
    double classSlack =
        cls.slack(GroupClassSums.HL)
            + e * cls.slack(GroupClassSums.NL)
            + x * (cls.slack(GroupClassSums.HQ) + e * cls.slack(GroupClassSums.NQ))
            + 0.5 * x * x * (cls.slack(GroupClassSums.HQ2) + e * cls.slack(GroupClassSums.NQ2));
    // Σ_g ln(q_g)·Σs over the interior (q_g the smoothed float), and its uncertainty.
    double lnqSum = (cHl - e * cNl) - x * (cHq - e * cNq) - 0.5 * x * x * (cHq2 - e * cNq2);
    double series = x * x * x / (3 * (1 - x)) + 1.0001 * U;
    double a = sl - lnqSum;
    double weight = h; // ≥ Σw: the zero positions' EPS weights are added below
    double lnWeight = cAhl + h;
    double absMag = Math.abs(hl) + e * (Math.abs(l) + nz) + ee * inv + cAhl + 2 * x * h;
    double qmass;
    double excess; // ≥ Σ_g max(0, Q_g − S_g)
    if (masked) {
      qmass = (cQm - x * nz) + zeros * EPS;
      excess = cDev + x * nz + e * nz + U * cQm;
    } else {
      // Zero positions of a non-empty window carry the window's q: EPS·ln(EPS/q) each.
      double zNonEmpty = zeros - m * (interior - nonEmpty);
      double cZl = cls.sum(GroupClassSums.ZL, firstB, lastB);
      double cZq = cls.sum(GroupClassSums.ZQ, firstB, lastB);
      double cZq2 = cls.sum(GroupClassSums.ZQ2, firstB, lastB);
      double cAzl = cls.sum(GroupClassSums.AZL, firstB, lastB);
      double zLnq = cZl - x * cZq - 0.5 * x * x * cZq2;
      a += EPS * (LN_EPS * zNonEmpty - zLnq);
      weight += EPS * zNonEmpty;
      lnWeight += EPS * (cAzl + zNonEmpty);
      absMag += EPS * (-LN_EPS * zNonEmpty + cAzl + 2 * x * zNonEmpty);
      classSlack +=
          EPS
              * (cls.slack(GroupClassSums.ZL)
                  + x * cls.slack(GroupClassSums.ZQ)
                  + 0.5 * x * x * cls.slack(GroupClassSums.ZQ2));
      qmass = (cQm - x * m * nonEmpty) + m * (interior - nonEmpty) * (double) EPS;
      excess = cDev + x * m * nonEmpty + e * nz + zeros * EPS + U * cQm;
    }
    double mass = sum + zeros * EPS;
    classExcess = excess * (1 + 1e-9);
    classQmass = qmass * (1 + 1e-9);
    classMaxP = (cls.maxSum() + m * EPS) * (1 + 1e-9);
    classMaxQ = (cls.maxQMass() + m * EPS) * (1 + 1e-9);
    sTotal += mass;
    qTotal += qmass;
    aTotal += a;
    absATotal += (Math.abs(a) + 2 * excess) * (1 + 1e-9);
    s2Total += Math.max(0, s2) * (1 + 0x1p-40);
    zeroTotal += (int) zeros;
    taylor += nz * rem;
    // Symmetric uncertainties of A, in A's units: the double roundings of the interior formula,
    // lnNear on the tabulated L, the series' remainder and the smoothed q's float rounding, and
    // the tables' rounding.
    magnitude +=
        absMag * D
            + lnWeight * Float32Log.LN_NEAR_ERROR
            + series * weight
            + classSlack * 1.01
            + 0x1p-1000;
    qRel = (1.0001 * U * cQm + cls.slack(GroupClassSums.QM) * (1 + x) + 1e-300) / qTotal;
    return true;
  }

  /**
   * A bound on Σ_k |S_k|, the partial sums of the terms t_k = a_k·ln(a_k/b_k) in the tool's order,
   * from {@link #loadClasses}' totals (the quick bound's own, len·(2·Σ|t| + Σneg), is dominated by
   * Σneg ≈ Σb ≈ 1). With D_k = Σ_{j≤k} (a_j − b_j) and t ≥ a − b: D_k ≤ S_k ≤ K − (D_len − D_k),
   * so |S_k| ≤ |D_k| + |K| + |D_len| with |K| ≤ Σ|t| ({@code t1}). D moves by a group's mass
   * mismatch between groups and by at most the larger of its two masses inside one, so |D_k| ≤
   * Σ_g |a_g − b_g| + max_g max(a_g, b_g); the interior's mismatches are bounded by {@code
   * classExcess} (Σ|S_g − Q_g|) and the normalisations' difference.
   */
  private double classPartials(double ip, double iq, double t1) {
    double mismatch = classExcess * ip + classQmass * Math.abs(ip - iq);
    double largest = Math.max(classMaxP * ip, classMaxQ * iq);
    for (int g = 0; g < groups; g++) {
      double mass = gS[g] + gZ[g] * EPS;
      mismatch += Math.abs(mass * ip - gMass[g] * iq);
      largest = Math.max(largest, Math.max(mass * ip, gMass[g] * iq));
    }
    double dLen = Math.abs(sTotal * ip - qTotal * iq);
    return len * (mismatch + largest + t1 + dLen) * (1 + 1e-6);
  }

  /**
   * Whether the last {@link #interval} after {@link #loadClasses} was settled by the quick bound;
   * when false its interval is unknown and the candidate must be {@link #load}ed.
   */
  boolean cleared() {
    return cleared;
  }

  /** S = Σ s, the exact sum of the smoothed P (to within {@link #U} relative). */
  double pMass() {
    return sTotal;
  }

  /** Σ q, the exact sum of the smoothed Q (to double rounding). */
  double qMass() {
    return qTotal;
  }

  /**
   * Sets {@link #lo}, {@link #hi} and {@link #estimate} for a candidate just {@link #load}ed whose
   * float sums P̂ and Q̂ are the given values ({@code exact}) or unknown (then bounded from the way
   * the tool sums them).
   */
  void interval(Sums sums, boolean exactSums, float pHat, float qHat) {
    interval(sums, exactSums, pHat, qHat, Double.POSITIVE_INFINITY);
  }

  /**
   * The same; when a quick, looser bound built from the candidate's totals alone (no pass over
   * its groups) already puts the candidate above {@code limit} (the smallest upper bound so far),
   * {@link #lo} and {@link #hi} are that looser interval (the {@link #estimate} is the same).
   */
  void interval(Sums sums, boolean exactSums, float pHat, float qHat, double limit) {
    cleared = false;
    double pLo;
    double pHi;
    double qLo;
    double qHi;
    double rho = e == 0 ? 0 : U;
    double sLo = sTotal * (1 - rho) * (1 - D);
    double sHi = sTotal * (1 + rho) * (1 + D);
    if (exactSums) {
      pLo = pHi = pHat;
      qLo = qHi = qHat;
    } else if (sums == Sums.PAIRWISE) {
      double g = gamma(pairwiseDepth(len));
      pLo = sLo * (1 - g);
      pHi = sHi * (1 + g);
      qLo = qTotal * (1 - D - qRel) * (1 - g);
      qHi = qTotal * (1 + D + qRel) * (1 + g);
    } else {
      unknown(); // left-to-right sums are only screened with their exact values
      return;
    }
    if (!(pLo > 0 && qLo > 0)) {
      unknown();
      return;
    }
    double crit = Math.exp(1 + aTotal / sTotal);
    // With loadClasses' totals, A is known to within the magnitude: keep clear of the turn by more.
    double margin = 1e-9 + (classTotals ? 4 * magnitude / sTotal : 0);
    if (!(pHi < qLo * crit * (1 - margin))) {
      unknown(); // K might not be monotone in P̂ on the interval
      return;
    }

    double k1 = value(pHi, qLo);
    double k2 = value(pLo, qHi);
    double k3 = value(pLo, qLo);
    double k4 = value(pHi, qHi);
    double kMin = Math.min(Math.min(k1, k2), Math.min(k3, k4));
    double kMax = Math.max(Math.max(k1, k2), Math.max(k3, k4));

    double pm = 0.5 * (pLo + pHi);
    double qm = 0.5 * (qLo + qHi);
    double x = (pHi - pLo) / pLo; // relative spans around the midpoint (generous)
    double y = (qHi - qLo) / qLo;
    double lnQP = Math.log(qm / pm);
    double sumA = sTotal * (1 + rho) / pm;
    double sumB = qTotal / qm;
    double b0 = 0;
    double partial = 0;
    double running = 0;
    double cf = (taylor + magnitude + Math.abs(lnQP) * sTotal * D) / pLo;
    // Reciprocals instead of divisions: these terms only feed the error bound, whose relative
    // slack (the 1.01 and 1e-6 factors) covers a few more roundings.
    double ip = 1 / pm;
    double iq = 1 / qm;
    double epsA = EPS * ip;
    if (limit < Double.POSITIVE_INFINITY) {
      // The quick bound: every quantity of the loop below bounded by the candidate's totals.
      // Σ|t_g| ≤ (Σ|A_g| + S·|ln(Q/P)|)/P̂; each absDiff_g term by its sum (var ≤ (1 + 8D)·(N·β² +
      // Σa²), so sqrt(N·var) ≤ sqrt(1 + 8D)·(N·β + sqrt(N·Σa²)), Σ_g N_g·β_g ≤ Σb and Cauchy–Schwarz
      // over the groups); neg_g ≤ ½(absDiff_g + bMass_g); partial sums ≤ len·(2·Σ|t| + Σneg).
      double sumQ = qTotal * iq;
      double t1 = (absATotal + sTotal * Math.abs(lnQP)) * ip * (1 + 1e-9);
      double ad =
          (sumQ + zeroTotal * epsA)
              + (1 + D) * Math.sqrt(1 + 8 * D)
                  * (sumQ + Math.sqrt(len * Math.max(0, s2Total)) * ip)
              + rho * sTotal * ip
              + 1.01 * (x * sTotal * ip + y * sumQ);
      double negAll = 0.5 * (ad + sumQ) * (1 + 1e-9);
      double partialBound = len * (2 * t1 + negAll);
      if (classTotals && sums == Sums.LEFT_TO_RIGHT) {
        partialBound = Math.min(partialBound, classPartials(ip, iq, t1));
      }
      double quick =
          error(t1 + 2 * negAll, partialBound, cf, x, y, sumA, rho, sums, kMax - kMin);
      if (kMin - quick > limit) {
        lo = kMin - quick;
        hi = kMax + quick;
        estimate = 0.5 * (kMin + kMax);
        if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
          unknown();
        } else {
          cleared = true;
        }
        return;
      }
    }
    if (classTotals) {
      unknown(); // no per-group arrays: the caller loads the candidate
      return;
    }
    for (int g = 0; g < groups; g++) {
      double mass = gS[g] + gZ[g] * EPS;
      double t = (gSL[g] + mass * lnQP) * ip;
      double aMass = mass * ip;
      double bMass = gMass[g] * iq;
      double absDiff = 0;
      int nz = gN[g];
      if (gZ[g] > 0) {
        absDiff += gZ[g] * Math.abs(qZ[g] * iq - epsA);
      }
      if (nz > 0) {
        double beta = qNz[g] * iq;
        double sa = gS[g] * ip;
        double s2 = gS2[g] * ip * ip;
        double var = nz * beta * beta - 2 * beta * sa + s2;
        var = Math.max(0, var) + 4 * D * (nz * beta * beta + s2);
        absDiff += Math.sqrt(nz * var) * (1 + D) + rho * sa;
      }
      absDiff += 1.01 * (x * aMass + y * bMass);
      double neg = Math.max(0, 0.5 * (absDiff + (bMass - aMass)));
      double tAbs = Math.max(Math.abs(t), t + 2 * neg);
      b0 += tAbs;
      int width = groupEnd[g] - groupStart[g];
      partial += width * (Math.abs(running) + neg + Math.max(t, 0));
      running += t;
    }
    double err = error(b0, partial, cf, x, y, sumA, rho, sums, kMax - kMin);
    lo = kMin - err;
    hi = kMax + err;
    estimate = 0.5 * (kMin + kMax);
    if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
      unknown(); // NaN or overflow somewhere: evaluate exactly
    }
  }

  /**
   * |V − K| ≤ the returned value, from B ({@code b0}, at the midpoint) and the partial-sum bound
   * ({@code partial}) of {@link #interval}'s pass over the groups (or any larger values).
   */
  private double error(
      double b0,
      double partial,
      double cf,
      double x,
      double y,
      double sumA,
      double rho,
      Sums sums,
      double spread) {
    // Move from the midpoint to any P̂, Q̂ of the intervals (terms scale by 1/(1 + x), shift by
    // a·ln((1 + y)/(1 + x))).
    double shift = 1.01 * (x + y);
    double scale = 1 / (1 - x);
    double bTilde = (b0 + cf) * scale + sumA * shift * scale;
    double bound = (bTilde + 1.0001 * rho * sumA) / (1 - 1.0001 * rho);
    double sumAx = sumA * scale;
    double rhoErr = 1.0001 * rho * (bound + sumAx);
    double perTerm = 3.01 * U * (bound + sumAx);
    double cfErr = cf + rhoErr;
    double absHat = (bound + perTerm) * (1 + 1e-6);
    double sumErr;
    if (sums == Sums.PAIRWISE) {
      sumErr = gamma(pairwiseDepth(len)) * absHat;
    } else {
      double partials =
          (partial + len * sumA * shift) * scale + len * (cfErr + perTerm + spread);
      sumErr = U * (1 + gamma(len)) * (partials + len * gamma(len) * absHat);
    }
    return (cfErr + perTerm + sumErr) * (1 + 1e-6) + 1e-300;
  }

  private void unknown() {
    lo = Double.NEGATIVE_INFINITY;
    hi = Double.POSITIVE_INFINITY;
    estimate = Double.NaN;
  }

  private double value(double p, double q) {
    return (aTotal + sTotal * Math.log(q / p)) / p;
  }

  private int depthLen = -1;
  private int depth;

  /** {@link NumpyPairwiseSum#depth}, remembered for the last length (candidates repeat it). */
  private int pairwiseDepth(int m) {
    if (m != depthLen) {
      depth = NumpyPairwiseSum.depth(m);
      depthLen = m;
    }
    return depth;
  }

  static double gamma(int m) {
    double mu = m * U;
    return mu / (1 - mu);
  }
}
