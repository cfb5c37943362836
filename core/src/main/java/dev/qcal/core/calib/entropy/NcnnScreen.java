package dev.qcal.core.calib.entropy;

import static dev.qcal.core.calib.screen.Float32Error.U;
import static dev.qcal.core.calib.screen.Float32Error.gamma;

import dev.qcal.core.calib.screen.Screening;

/**
 * A rigorous interval for one candidate's float32 KL of {@link NcnnSearch} in O(levels) instead of
 * O(t) (docs/design/entropy-screens.md §6). Not thread-safe.
 */
final class NcnnScreen {
  private static final float EPS = 0.0001f;

  /** |ln P| and |ln Q| stay below this: 1e-4 ≤ P, Q ≤ 3 (hn ≤ 1, interval values ≤ 1). */
  private static final double LN_MAX = 10;

  private static final int STRIDE = 5;
  private final float[] hn;
  private final int n;
  private final int levels;
  // Prefix sums over [0, j) at STRIDE·j: hn, P, P·ln P, P², |P·ln P|; ln P_j of ncnn's fixed P;
  // suffix sums of hn over [j, n).
  private final double[] pre;
  private final double[] lnP;
  private final double[] tail;
  private final double prefixSlack;
  private final boolean usable;
  // Per candidate segments, in bin order: a run [segA, segB) of one Q (special = false) or one
  // bin segA (special = true) with Q̃ = EPS + segQ.
  private final int[] segA;
  private final int[] segB;
  private final double[] segQ;
  private final boolean[] special;
  private final double[] segLn;
  private final NcnnIntervals cuts;
  // The running sums of the candidate's pass over its segments (see interval).
  private double running;
  private double partial;
  private double absBound;
  private double mag;
  private int runs;

  /** The screen of ncnn's normalised histogram {@code hn} with {@code levels} intervals. */
  NcnnScreen(float[] hn, int levels) {
    this.hn = hn;
    this.n = hn.length;
    this.levels = levels;
    this.pre = new double[STRIDE * (n + 1)];
    this.tail = new double[n + 1];
    this.lnP = new double[n];
    boolean ok = levels >= 2;
    for (int j = 0; j < n; j++) {
      float h = hn[j];
      ok &= h >= 0 && h <= 1;
      float p = EPS + h; // ncnn's P_j: clip[j] = 1e-4f; clip[j] += hn[j]
      lnP[j] = Math.log(p);
      double pl = p * lnP[j];
      int o = STRIDE * j;
      pre[o + STRIDE] = pre[o] + h;
      pre[o + STRIDE + 1] = pre[o + 1] + p;
      pre[o + STRIDE + 2] = pre[o + 2] + pl;
      pre[o + STRIDE + 3] = pre[o + 3] + (double) p * p;
      pre[o + STRIDE + 4] = pre[o + 4] + Math.abs(pl);
    }
    for (int j = n - 1; j >= 0; j--) {
      tail[j] = tail[j + 1] + hn[j];
    }
    this.usable = ok && n < (1 << 24); // interval ends are exact in float (ceil, floor)
    // Prefix errors: at most (n + 2)·2^-53 of the running totals each, twice per difference.
    this.prefixSlack = 2 * (n + 2) * 0x1p-53 * 1.01;
    int maxSeg = 4 * levels + 4;
    this.segA = new int[maxSeg];
    this.segB = new int[maxSeg];
    this.segQ = new double[maxSeg];
    this.special = new boolean[maxSeg];
    this.segLn = new double[maxSeg];
    this.cuts = new NcnnIntervals(levels);
  }

  /** Whether the screen applies (§6). */
  boolean usable() {
    return usable;
  }

  /** Candidate t's interval into {@code out}, unknown where it does not apply. */
  void interval(int t, Screening out) {
    if (!usable || t < levels || t >= n) {
      out.unknown();
      return;
    }
    cuts.cut(t);
    int segs = 0;
    int pos = 0;
    int mMax = 0;
    for (int g = 0; g < levels; g++) {
      // The tool's interval g: floats and integer ends exactly as NcnnSearch.quantize.
      cuts.select(g);
      int leftUpper = cuts.leftUpper;
      float leftScale = cuts.leftScale;
      int rightLower = cuts.rightLower;
      float rightScale = cuts.rightScale;
      float len = cuts.length;
      if (rightLower < leftUpper || !(len > 0)) {
        out.unknown();
        return;
      }
      double mass = pre[STRIDE * rightLower] - pre[STRIDE * leftUpper];
      if (leftScale > 0) {
        mass += (double) leftScale * hn[leftUpper - 1];
      }
      if (rightScale > 0) {
        mass += (double) rightScale * hn[rightLower];
      }
      double q = mass / len;
      mMax = Math.max(mMax, rightLower - leftUpper);
      if (leftScale > 0) {
        int b = leftUpper - 1;
        if (segs > 0 && special[segs - 1] && segA[segs - 1] == b) {
          segQ[segs - 1] += leftScale * q; // the bin shared with the previous interval
        } else if (b == pos) {
          segA[segs] = b;
          segQ[segs] = leftScale * q;
          special[segs++] = true;
          pos = b + 1;
        } else {
          out.unknown();
          return;
        }
      }
      if (rightLower > leftUpper) {
        if (leftUpper != pos) {
          out.unknown();
          return;
        }
        segA[segs] = leftUpper;
        segB[segs] = rightLower;
        segQ[segs] = q;
        special[segs++] = false;
        pos = rightLower;
      }
      if (rightScale > 0) {
        if (rightLower != pos) {
          out.unknown();
          return;
        }
        segA[segs] = rightLower;
        segQ[segs] = rightScale * q;
        special[segs++] = true;
        pos = rightLower + 1;
      }
    }
    if (pos != t) {
      out.unknown();
      return;
    }
    double rhoP = gamma(n - t + 1);
    double rhoQ = gamma(mMax + 16);
    if (rhoP > 0.01 || rhoQ > 0.01) {
      out.unknown();
      return;
    }
    float pBase = EPS + hn[t - 1];
    double pLast = pBase + tail[t];

    running = 0;
    partial = 0;
    absBound = 0;
    mag = 0;
    runs = 0;
    double lastTerm = 0;
    double lastLn = 0;
    // The segments' logs first, in a loop of their own: they are independent of each other, so
    // the processor overlaps them, where inside the summing loop each waited on its segment.
    double[] lnQ = segLn;
    for (int s = 0; s < segs; s++) {
      lnQ[s] = FastLog.ln(EPS + segQ[s]);
    }
    for (int s = 0; s < segs; s++) {
      double qq = EPS + segQ[s];
      if (!special[s] && segB[s] != t) {
        addRun(segA[s], segB[s], qq, lnQ[s]);
        continue;
      }
      // One bin at a time: the boundary bins, and the last bin (its P takes the outliers), split
      // from the end of the last interval's run.
      int j = special[s] ? segA[s] : t - 1;
      if (!special[s] && j > segA[s]) {
        addRun(segA[s], j, qq, lnQ[s]);
      }
      double p;
      double ln;
      if (j == t - 1) {
        p = pLast;
        ln = FastLog.ln(p / qq);
      } else {
        p = EPS + hn[j];
        ln = lnP[j] - lnQ[s];
      }
      double term = p * ln;
      if (j == t - 1) {
        lastTerm = term;
        lastLn = ln;
      }
      running += term;
      partial += Math.abs(running);
      absBound += Math.abs(term);
      mag += Math.abs(term) + p * 4 * (Math.abs(ln) + 2 * LN_MAX);
    }
    double sumP = pre[STRIDE * (t - 1) + 1] + pLast;
    double errQ = rhoQ / (1 - rhoQ) * sumP;
    double errP = rhoP * pLast * (Math.abs(lastLn) + 1.1);
    double bt = absBound + errQ + errP;
    double errTerm = U * (2.02 * bt + 1.03 * sumP);
    double delta = errQ + errP + errTerm;
    int last = STRIDE * n;
    double errDouble =
        // Formula roundings (2^-47 of each part) and the double sum over the segments (at most
        // 3·levels + 2 of them, each addition within 2^-53 of the running magnitudes).
        mag * (0x1p-47 + (4 * levels + 8) * 0x1p-52)
            + 0x1p-49 * sumP
            + (runs + 1) * prefixSlack * (pre[last + 4] + 10 * pre[last + 1] + pre[last + 3]);
    double gt = gamma(t);
    double errSum =
        U / (1 - U) * (partial + t * (delta + errDouble) + t * gt * (bt + errTerm)) * (1 + gt);
    double err = (delta + errDouble + errSum) * 1.01 + 0x1p-120;
    double lo = running - err;
    double hi = running + err;
    if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi) || Double.isNaN(lastTerm)) {
      out.unknown();
    } else {
      out.interval(lo, hi, running);
    }
  }

  /** Adds bins [a, b) of one Q̃ = qq (ln Q̃ = lnq) to the pass (§6). */
  private void addRun(int a, int b, double qq, double lnq) {
    int x = STRIDE * a;
    int y = STRIDE * b;
    double sp = pre[y + 1] - pre[x + 1];
    double spl = pre[y + 2] - pre[x + 2];
    double tr = spl - lnq * sp;
    double neg = (b - a) * qq * (1 + 0x1p-50);
    partial += (b - a) * (Math.abs(running) + neg + Math.max(tr, 0));
    running += tr;
    absBound += Math.max(Math.abs(tr), tr + 2 * neg);
    mag += Math.abs(spl) + (Math.abs(lnq) + 1) * sp;
    runs++;
  }
}
