package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.NumpyPairwiseSum;
import dev.qcal.core.calib.screen.Screening;
import dev.qcal.core.calib.screen.TieRule;
import dev.qcal.core.histogram.Histogram;

/**
 * The signed-window KL search of the numpy tools, ONNX Runtime ({@code calibrate.py}, {@code
 * get_entropy_threshold}) and MXNet ≤ 1.5 ({@code quantization.py}, {@code
 * _get_optimal_threshold}), whose differences docs/design/algorithms.md §4.4 lists; the screen
 * bounds numpy's pairwise sums rather than computes them.
 */
final class NumpyKlWindow extends SignedWindowSearch {
  private final boolean ort;
  private final float[] rawQ;
  // The prepared candidate's Q shift (added).
  private float shiftQ;

  /** The search of {@code tool} (ORT or MXNET15) with {@code nq} quantized bins on {@code h}. */
  NumpyKlWindow(Histogram h, int nq, GroupClassSums.Tool tool) {
    super(
        h.counts(),
        nq,
        tool == GroupClassSums.Tool.ORT ? h.binCount() / 2 : lastCandidate(h.binCount()),
        tool);
    this.ort = tool == GroupClassSums.Tool.ORT;
    this.rawQ = new float[nq];
  }

  /** Candidate c's window end (exclusive): ORT's is cut at n. */
  @Override
  int end(int c) {
    return ort ? Math.min(super.end(c), n) : super.end(c);
  }

  @Override
  public TieRule tieRule() {
    return TieRule.NUMPY_ARGMIN;
  }

  @Override
  boolean interval(int c, double limit, Screening out) {
    return screen.interval(KlScreen.Sums.PAIRWISE, 0f, 0f, limit, out);
  }

  /**
   * P's ends: the tails folded in (len ≥ 2, so the two ends are distinct), in int64: as floats they
   * are 0 exactly when the tool's are.
   */
  private void foldEnds(int start, int end) {
    p0 = counts[start] + prefix[start];
    pLast = counts[end - 1] + prefix[n] - prefix[end];
  }

  /**
   * Group j's Q before smoothing (the last with the remainder) into {@link #rawQ}, 0 without
   * non-zero P (ends folded); the zeros it adds to Q.
   */
  private int groupQ(int j, int start, int end, int m) {
    int len = end - start;
    int a = j * m;
    int norm = nonzeros(start, len, a, groupEnd(j, len, m));
    long sum = prefix[start + a + m] - prefix[start + a];
    if (j == nq - 1) {
      sum += prefix[end] - prefix[start + nq * m];
    }
    rawQ[j] = norm != 0 ? tool.of(sum, norm) : 0f;
    return rawQ[j] == 0f ? (ort ? m : norm) : 0;
  }

  /** The folds, Q values and both smoothings of c into the screen's groups; false if one fails. */
  @Override
  boolean prepare(int c) {
    int start = start(c);
    int end = end(c);
    int len = end - start;
    foldEnds(start, end);
    int m = len / nq;
    int nonzeroP = nonzeros(start, len, 0, len);
    int zerosQ = ort ? len - nq * m : len - nonzeroP;
    for (int j = 0; j < nq; j++) {
      zerosQ += groupQ(j, start, end, m);
    }
    groups = nq;
    if (!smooths(len, len - nonzeroP, zerosQ)) {
      return false;
    }
    for (int j = 0; j < nq; j++) {
      groupOf(j, j * m, groupEnd(j, len, m), rawQ[j]);
    }
    if (groupEnd(nq - 1, len, m) < len) {
      groupOf(nq, nq * m, len, 0f); // ORT's remainder positions: Q = 0
      groups = nq + 1;
    }
    return true;
  }

  /**
   * Whether numpy's {@code smooth_distribution(p, eps=0.0001)} succeeds on P and on Q, {@code len}
   * entries with {@code zerosP} and {@code zerosQ} zeros, then sets their shifts: eps1 = eps ·
   * zeros / nonzeros in float64, zeros become 1e-4f and the rest {@code p + float32(−eps1)}. Else
   * sets {@link #special} and notes a failed {@code assert eps1 < 1.0}; an all-zero P or Q (eps1 =
   * +Inf here) gives +Inf (ORT's None, MXNet 1.5's ValueError), but NaN for MXNet 1.5's Q (its NaN
   * bug, docs/design/algorithms.md §4.4).
   */
  private boolean smooths(int len, int zerosP, int zerosQ) {
    double epsP = 0.0001 * zerosP / (len - zerosP);
    double epsQ = 0.0001 * zerosQ / (len - zerosQ);
    boolean qSmoothed = ort || epsP < 1.0; // MXNet 1.5 stops at P's failure, ORT smooths both
    assertionFailed |= tooLarge(epsP) || (qSmoothed && tooLarge(epsQ));
    special = !ort && epsP < 1.0 && zerosQ == len ? Double.NaN : Double.POSITIVE_INFINITY;
    if (!(epsP < 1.0 && epsQ < 1.0)) {
      return false;
    }
    eP = (float) epsP;
    shiftQ = (float) -epsQ;
    return true;
  }

  /** Whether the tools' {@code assert eps1 < 1.0} fails (an all-zero input fails before it). */
  private static boolean tooLarge(double eps1) {
    return eps1 >= 1.0 && eps1 < Double.POSITIVE_INFINITY;
  }

  /** Puts window positions [a, b) with raw Q value q, smoothed by {@link #shiftQ}, at group g. */
  private void groupOf(int g, int a, int b, float q) {
    double smoothed = q == 0f ? EPS : q + shiftQ;
    screen.group(g, a, b, smoothed, tool.masked() ? EPS : smoothed);
  }

  /**
   * {@link #prepare}'s end groups and smoothing shifts in O(1), then {@link
   * KlClosedForm#addClasses}: an interior Q is positive, only ORT's empty windows add zeros to Q.
   */
  @Override
  boolean loadClasses(int c, double limit) {
    int start = start(c);
    int end = end(c);
    int len = end - start;
    int m = len / nq;
    if (nq < 3 || m < 1) {
      return false;
    }
    foldEnds(start, end);
    int nonzeroP = nonzeros(start, len, 0, len);
    int firstB = start + m;
    int lastB = start + (nq - 2) * m;
    tabulate(c, m); // ORT needs the empty windows' count before smoothing
    int lastEnd = groupEnd(nq - 1, len, m);
    int zerosQ = ort ? len - nq * m : len - nonzeroP;
    zerosQ += groupQ(0, start, end, m) + groupQ(nq - 1, start, end, m);
    if (ort) { // an empty interior window's Q is 0 on its m positions
      zerosQ += m * (nq - 2 - (int) classes.sums(firstB, lastB)[GroupClassSums.NE]);
    }
    if (!smooths(len, len - nonzeroP, zerosQ)) {
      return false;
    }
    groupOf(0, 0, m, rawQ[0]);
    groupOf(1, (nq - 1) * m, lastEnd, rawQ[nq - 1]);
    int g = 2;
    if (lastEnd < len) {
      groupOf(g++, lastEnd, len, 0f);
    }
    return screen.load(start, len, g, p0, pLast, eP)
        && screen.addClasses(firstB, nq - 2, -shiftQ, classes);
  }

  /** The tool's float32 KL of {@link #ps} and {@link #qs} (docs/design/algorithms.md §4.4). */
  @Override
  double kl(int len) {
    float pSum = NumpyPairwiseSum.sum(ps, 0, len);
    float qSum = NumpyPairwiseSum.sum(qs, 0, len);
    for (int k = 0; k < len; k++) {
      float pn = ps[k] / pSum;
      float qn = qs[k] / qSum;
      ps[k] =
          ort
              ? pn > 0f && qn > 0f ? pn * (float) Math.log(pn / qn) : Float.POSITIVE_INFINITY
              : (float) relEntr(pn, qn);
    }
    return NumpyPairwiseSum.sum(ps, 0, len);
  }

  /** {@code scipy.special.rel_entr} in float64. */
  private static double relEntr(double x, double y) {
    if (Double.isNaN(x) || Double.isNaN(y)) {
      return Double.NaN;
    }
    if (x > 0 && y > 0) {
      return x * Math.log(x / y);
    }
    return x == 0 && y >= 0 ? 0 : Double.POSITIVE_INFINITY;
  }
}
