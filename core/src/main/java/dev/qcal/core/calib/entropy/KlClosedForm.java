package dev.qcal.core.calib.entropy;

import static dev.qcal.core.calib.entropy.GroupClassSums.*;
import static dev.qcal.core.calib.screen.Float32Error.U;

/**
 * The exact KL of one signed-window candidate from prefix sums in O(groups), or O(1) for the
 * interior groups: the totals {@link KlScreen} bounds the tools' float32 KL with
 * (docs/design/entropy-screens.md §2). Not thread-safe.
 */
class KlClosedForm {
  static final double EPS = SignedWindowSearch.EPS;
  static final double LN_EPS = Math.log(EPS);

  /** Relative slack for the double arithmetic of one formula (a few roundings of 2^-53). */
  static final double D = 0x1p-48;

  /** Prefix sums over [0, j) at STRIDE·j: h, h·ln h, ln h, 1/h, h², non-zero count. */
  private static final int STRIDE = 6;

  private final int n;
  private final double[] pre;
  private final double prefixSlack;
  private final boolean usable;
  // The candidate's groups (see group), their sums, and the candidate's totals (§2, §3).
  final int[] groupStart;
  final int[] groupEnd;
  final double[] qNz;
  final double[] qZ;
  final double[] gS;
  final double[] gSL;
  final double[] gS2;
  final int[] gN;
  final int[] gZ;
  final double[] gMass;
  int groups;
  int len;
  double e;
  double taylor;
  double magnitude;
  double sTotal;
  double qTotal;
  double aTotal;
  // Σ_g |A_g|, Σ_g Σ s², the zero positions: totals for the quick bound.
  double absATotal;
  double s2Total;
  int zeroTotal;
  // Set by addClasses (totals only, no per-group arrays): qTotal's relative uncertainty beyond
  // double rounding, and bounds on Σ_g |S_g − Q_g|, Σ_g Q_g and the largest S_g and Q_g of any
  // tabulated window, for the bound on the partial sums (§3, §4).
  boolean classTotals;
  double qRel;
  double classExcess;
  double classQmass;
  double classMaxP;
  double classMaxQ;

  /** The closed form over integer-valued {@code hv} ({@link #usable} if 0 or ≥ 1, total < 2^52). */
  KlClosedForm(float[] hv, int maxGroups) {
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
    this.usable = ok && pre[STRIDE * n] < 0x1p52;
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

  /** Group g of the next candidate: positions [start, end), Q {@code qNz} where P ≠ 0, else qZ. */
  void group(int g, int start, int end, double qNz, double qZ) {
    groupStart[g] = start;
    groupEnd[g] = end;
    this.qNz[g] = qNz;
    this.qZ[g] = qZ;
  }

  /** Whether the closed form applies to this histogram (integer values, modest totals). */
  boolean usable() {
    return usable;
  }

  /**
   * Loads a candidate: window [start, start + len), the {@code groups} set by {@link #group}, the
   * ends' raw P and P's shift {@code e}; false when the closed form does not apply.
   */
  boolean load(int start, int len, int groups, float v0, float vLast, float e) {
    this.classTotals = false;
    this.qRel = 0;
    this.groups = groups;
    this.len = len;
    this.e = e;
    double ee = (double) e * e;
    double rem = (double) e * ee / (6 * (1 - e) * (1 - e));
    if (!(e >= 0 && e < 0.5f && len >= 2)) {
      return false;
    }
    double s = 0;
    double q = 0;
    double a = 0;
    double tay = 0;
    double mag = 0;
    double lnErr = 0;
    double absA = 0;
    double s2All = 0;
    int zerosAll = 0;
    for (int g = 0; g < groups; g++) {
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
      for (int end = 0; end < 2; end++) { // the window's ends: the tool's folded P values
        if (end == 0 ? ga != 0 : gb != len) {
          continue;
        }
        float v = end == 0 ? v0 : vLast;
        if (v == 0f) {
          zeros++;
          continue;
        }
        double sv = v - e;
        sum += sv;
        sl += sv * Math.log(sv);
        s2 += sv * sv;
        nz++;
        mag += Math.abs(sv * Math.log(sv));
      }
      double qn = qNz[g];
      double qz = qZ[g];
      if ((nz > 0 && !(qn > 0 && qn < Double.POSITIVE_INFINITY))
          || (zeros > 0 && !(qz > 0 && qz < Double.POSITIVE_INFINITY))) {
        return false;
      }
      double lnq = nz > 0 ? FastLog.ln((float) qn) : 0;
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
    this.sTotal = s;
    this.qTotal = q;
    this.aTotal = a;
    this.absATotal = absA;
    this.s2Total = s2All;
    this.zeroTotal = zerosAll;
    this.taylor = tay;
    int t = STRIDE * n; // the totals' prefixes
    this.magnitude =
        mag * D
            + lnErr * FastLog.ERROR
            + prefixSlack
                * (pre[t + 1] + e * (Math.abs(pre[t + 2]) + pre[t + 5]) + ee * pre[t + 3]);
    return true;
  }

  /**
   * Adds to the {@link #load}ed end groups the totals of the {@code interior} windows [b, b + m), b
   * = firstB, firstB + m, …, from {@code cls} with Q smoothed by {@code eps}, in O(1), for {@link
   * KlScreen}'s quick bound only (§4); false if this does not apply.
   */
  boolean addClasses(int firstB, int interior, float eps, GroupClassSums cls) {
    int m = cls.width();
    int lastB = firstB + (interior - 1) * m;
    if (!(eps >= 0 && eps <= 0.25f) || interior < 1) {
      return false;
    }
    classTotals = true;
    float e = (float) this.e; // the float load was given (1 − e rounds in float below)
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

    double[] c = cls.sums(firstB, lastB);
    double classSlack =
        cls.slack(HL)
            + e * cls.slack(NL)
            + x * (cls.slack(HQ) + e * cls.slack(NQ))
            + 0.5 * x * x * (cls.slack(HQ2) + e * cls.slack(NQ2));
    // Σ_g ln(q_g)·Σs over the interior (q_g the smoothed float), and its uncertainty.
    double lnqSum =
        (c[HL] - e * c[NL]) - x * (c[HQ] - e * c[NQ]) - 0.5 * x * x * (c[HQ2] - e * c[NQ2]);
    double series = x * x * x / (3 * (1 - x)) + 1.0001 * U;
    double a = sl - lnqSum;
    double weight = h; // ≥ Σw: the zero positions' EPS weights are added below
    double lnWeight = c[HL] + h;
    double absMag = Math.abs(hl) + e * (Math.abs(l) + nz) + ee * inv + c[HL] + 2 * x * h;
    double qmass;
    double excess; // ≥ Σ_g max(0, Q_g − S_g)
    if (cls.masked()) {
      qmass = (c[QM] - x * nz) + zeros * EPS;
      excess = c[DEV] + x * nz + e * nz + U * c[QM];
    } else {
      // Zero positions of a non-empty window carry the window's q: EPS·ln(EPS/q) each.
      double zNonEmpty = zeros - m * (interior - c[NE]);
      double zLnq = c[ZL] - x * c[ZQ] - 0.5 * x * x * c[ZQ2];
      a += EPS * (LN_EPS * zNonEmpty - zLnq);
      weight += EPS * zNonEmpty;
      lnWeight += EPS * (c[ZL] + zNonEmpty);
      absMag += EPS * (-LN_EPS * zNonEmpty + c[ZL] + 2 * x * zNonEmpty);
      classSlack += EPS * (cls.slack(ZL) + x * cls.slack(ZQ) + 0.5 * x * x * cls.slack(ZQ2));
      qmass = (c[QM] - x * m * c[NE]) + m * (interior - c[NE]) * EPS;
      excess = c[DEV] + x * m * c[NE] + e * nz + zeros * EPS + U * c[QM];
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
    // Symmetric uncertainties of A, in A's units (docs/design/entropy-screens.md §4).
    magnitude +=
        absMag * D + lnWeight * FastLog.ERROR + series * weight + classSlack * 1.01 + 0x1p-1000;
    qRel = (1.0001 * U * c[QM] + cls.slack(QM) * (1 + x) + 1e-300) / qTotal;
    return true;
  }
}
