package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.NumpyPairwiseSum;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;

/**
 * {@code entropy:ort}: ONNX Runtime's entropy calibration, {@code HistogramCollector
 * .get_entropy_threshold} ({@code onnxruntime/python/tools/quantization/calibrate.py}, newest
 * version, with {@code smooth_distribution} from {@code quant_utils.py}), on the same signed
 * histogram (design notes algorithms.md §3.4, §4.4).
 *
 * <p>Reference behaviour, quirks included: {@code zero = n // 2}, candidates {@code i = nq/2 ..
 * zero}, window {@code [zero − i, min(zero + i + 1, n))} (one bin wider on the right for an even
 * n); P (int64) with both outlier tails folded into its ends; {@code m = len // nq} and group sums
 * of the unfolded slice, the remainder into the last; Q (int64) = the group sum divided by the
 * number of non-zero P in the group, <b>truncated</b>, written to <b>every</b> position of the
 * group (no masking) while the remainder positions keep Q = 0; numpy's smoothing in float32 (no
 * normalisation first; all zero → KL = +Inf); the KL in float32 ({@code p/Σp}, {@code q/Σq}, {@code
 * Σ p·log(p/q)}, sums in numpy's pairwise order), stored as float32; the first argmin. The result
 * is {@code (max(e[start], min), min(e[end], max))}, usually asymmetric (for a ReLU output {@code
 * lo = 0}); when that pair is inverted (the data lies on one side of a window that does not reach
 * it), it becomes {@code [min(lo, 0), max(hi, 0)]}, which is what ORT's {@code compute_scale_zp}
 * makes of it.
 *
 * <p>Known difference: numpy's SIMD float32 log is a few ulps off the correctly rounded value for
 * some inputs (and differs between CPUs); qcal's log is correctly rounded, so a KL value can differ
 * from ORT's in its last bit. The reference vectors choose the same bin.
 *
 * <p>ORT's default {@code num_quantized_bins = 128} with its default 128-bin histogram has a single
 * candidate (the whole range); use a histogram of many more bins.
 *
 * <p>The search is screened (see {@link KlScreen}): every candidate is bounded in O(quantized bins)
 * and only those that can still be the minimum are evaluated bin by bin, so the threshold and the
 * objective are exactly the tool's; in the {@code kl} curve the other candidates carry the middle
 * of their interval, within about 5e-5 (relative) of their float32 KL.
 */
public final class OrtEntropyCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "entropy:ort";

  /** ORT's {@code num_quantized_bins}. */
  public static final int DEFAULT_QUANTIZED_BINS = 128;

  private final int quantizedBins;

  /** ORT's default, 128 quantized bins. */
  public OrtEntropyCalibrator() {
    this(DEFAULT_QUANTIZED_BINS);
  }

  /** ORT with {@code num_quantized_bins = nq}. */
  public OrtEntropyCalibrator(int quantizedBins) {
    super(NAME, Domain.SIGNED);
    this.quantizedBins = SignedWindowKl.checkQuantizedBins(quantizedBins);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    int n = histogram.binCount();
    int nq = quantizedBins;
    int zero = SignedWindowKl.zeroBin(n);
    int half = nq / 2;
    int count = SignedWindowKl.candidateCount(nq, zero);
    Scratch w = new Scratch(histogram, nq);
    double[] kl = new double[count];
    double[] upper = new double[count];
    boolean assertion = false;
    for (int c = 0; c < count; c++) {
      upper[c] = histogram.edge(Math.min(zero + half + c + 1, n));
    }
    int best;
    if (w.screen.usable()) {
      best = w.searchScreened(zero, half, count, kl);
      assertion = w.anyAssertion;
    } else {
      for (int c = 0; c < count; c++) {
        int i = half + c;
        kl[c] = w.divergence(zero - i, Math.min(zero + i + 1, n));
        assertion |= w.assertionFailed;
      }
      best = SignedWindowKl.numpyArgmin(kl, count);
    }
    int start = count > 0 ? zero - (half + best) : 0;
    int end = count > 0 ? Math.min(zero + half + best + 1, n) : n;
    float dataMin = stats.range().min();
    float dataMax = stats.range().max();
    double lo = histogram.edge(start);
    double hi = histogram.edge(end);
    lo = lo < dataMin ? dataMin : lo;
    hi = hi > dataMax ? dataMax : hi;
    boolean inverted = lo > hi;
    ClipRange range = inverted ? new ClipRange(Math.min(lo, 0), Math.max(hi, 0)) : new ClipRange(lo, hi);
    CalibrationResult.Builder b = CalibrationResult.builder(NAME, range, quant);
    if (count > 0) {
      b.objective(kl[best]).curve("kl", SignedWindowKl.curve(upper, kl, count));
    } else {
      b.note(
          String.format(
              "histogram of %d bins has no candidate for %d quantized bins (ORT fails on an empty"
                  + " argmin): fell back to the whole histogram, clipped to the data",
              n, nq));
    }

    if (count == 1) {
      b.note("a single candidate (bins <= quantized bins + 1): the result is the whole range, as in ORT");
    }

    if (assertion) {
      b.note("some candidates smooth with eps1 >= 1 (ORT's assertion fails there): their KL is +Inf");
    }

    if (inverted) {
      b.note(
          String.format(
              "ORT's pair (%s, %s) is inverted (the data is on one side of the window): widened to"
                  + " contain 0 as compute_scale_zp does",
              lo, hi));
    }
    return b.build();
  }

  /**
   * For tests: every candidate's KL and the pick, bin by bin ({@code exact}) or screened; {@code
   * out} receives the KL values, the pick is returned.
   */
  static int searchForTest(Histogram histogram, int nq, boolean exact, double[] out) {
    return searchForTest(histogram, nq, exact, out, null);
  }

  /** The same, and each screened candidate's interval into {@code intervals} (lo, hi pairs). */
  static int searchForTest(
      Histogram histogram, int nq, boolean exact, double[] out, double[] intervals) {
    int n = histogram.binCount();
    int zero = SignedWindowKl.zeroBin(n);
    int half = nq / 2;
    int count = SignedWindowKl.candidateCount(nq, zero);
    Scratch w = new Scratch(histogram, nq);
    w.intervals = intervals;
    if (!exact) {
      return w.searchScreened(zero, half, count, out);
    }
    for (int c = 0; c < count; c++) {
      int i = half + c;
      out[c] = w.divergence(zero - i, Math.min(zero + i + 1, n));
    }
    return SignedWindowKl.numpyArgmin(out, count);
  }

  /**
   * For tests: every candidate's O(1) class interval (the quick bound with no limit) into {@code
   * intervals} (lo, hi pairs; NaN where it does not apply); returns how many applied.
   */
  static int classIntervalsForTest(Histogram histogram, int nq, double[] intervals) {
    int n = histogram.binCount();
    int zero = SignedWindowKl.zeroBin(n);
    int count = SignedWindowKl.candidateCount(nq, zero);
    Scratch w = new Scratch(histogram, nq);
    int applied = 0;
    for (int c = 0; c < count; c++) {
      int i = nq / 2 + c;
      intervals[2 * c] = Double.NaN;
      intervals[2 * c + 1] = Double.NaN;
      if (w.classes != null && w.loadClasses(zero - i, Math.min(zero + i + 1, n))) {
        w.screen.interval(KlScreen.Sums.PAIRWISE, false, 0f, 0f, Double.NEGATIVE_INFINITY);
        if (w.screen.cleared()) {
          intervals[2 * c] = w.screen.lo;
          intervals[2 * c + 1] = w.screen.hi;
          applied++;
        }
      }
    }
    return applied;
  }

  /** Scratch arrays for one search, reused across candidates. */
  private static final class Scratch {
    private final long[] counts;
    private final long[] prefix;
    private final int nq;
    private final long[] p;
    private final long[] qb;
    private final float[] pf;
    private final float[] qf;
    private final float[] ps;
    private final float[] qs;
    private boolean assertionFailed;

    Scratch(Histogram h, int nq) {
      this.counts = h.counts();
      int n = counts.length;
      this.prefix = new long[n + 1];
      for (int j = 0; j < n; j++) {
        prefix[j + 1] = prefix[j] + counts[j];
      }
      this.nq = nq;
      this.p = new long[n];
      this.qb = new long[nq];
      this.pf = new float[n];
      this.qf = new float[n];
      this.ps = new float[n];
      this.qs = new float[n];
      float[] hv = new float[n];
      this.nonzeroPrefix = new int[n + 1];
      for (int j = 0; j < n; j++) {
        hv[j] = counts[j];
        nonzeroPrefix[j + 1] = nonzeroPrefix[j] + (counts[j] != 0 ? 1 : 0);
      }
      this.screen = new KlScreen(hv, nq + 1);
      boolean nonNegative = true;
      for (int j = 0; j < n && nonNegative; j++) {
        nonNegative = counts[j] >= 0;
      }
      // ORT's group Q: the int64 quotient of numpy's float64 division, truncated, as float32.
      this.classes =
          nonNegative && screen.usable()
              ? new GroupClassSums(prefix, nonzeroPrefix, GroupClassSums.Tool.ORT)
              : null;
    }

    private final int[] nonzeroPrefix;
    final KlScreen screen;
    boolean anyAssertion;
    /** For tests: when set, receives each screened candidate's interval (lo, hi). */
    double[] intervals;

    /**
     * The two-stage search (see {@link KlScreen}): every candidate is classified exactly (+Inf
     * when a smoothing fails) and bounded in O(nq); those whose lower bound is not above the
     * smallest upper bound are evaluated bin by bin, and numpy's argmin is taken over those exact
     * values (the others are strictly larger). A dropped candidate's value is the middle of its
     * interval, rounded to float.
     */
    int searchScreened(int zero, int half, int count, double[] kl) {
      int n = counts.length;
      double[] lo = new double[count];
      boolean[] exact = new boolean[count];
      double bound = Double.POSITIVE_INFINITY;
      // Seed the smallest upper bound from a sample of candidates, so that the quick bound of
      // KlScreen.interval rules most others out without a pass over their groups.
      for (int c = KlScreen.SEED_STRIDE / 2; c < count; c += KlScreen.SEED_STRIDE) {
        int i = half + c;
        int start = zero - i;
        int end = Math.min(zero + i + 1, n);
        if (prepare(start, end) && screen.load(start, end - start, groups, p0, pLast, eP)) {
          screen.interval(KlScreen.Sums.PAIRWISE, false, 0f, 0f);
          bound = Math.min(bound, screen.hi);
        }
      }
      anyAssertion = false;
      for (int c = 0; c < count; c++) {
        int i = half + c;
        int start = zero - i;
        int end = Math.min(zero + i + 1, n);
        if (classes != null && loadClasses(start, end)) {
          screen.interval(KlScreen.Sums.PAIRWISE, false, 0f, 0f, bound);
          if (screen.cleared()) {
            lo[c] = screen.lo;
            kl[c] = (float) screen.estimate;
            if (intervals != null) {
              intervals[2 * c] = screen.lo;
              intervals[2 * c + 1] = screen.hi;
            }
            continue; // its upper bound is above the limit: the bound stays
          }
        }
        if (!prepare(start, end)) {
          kl[c] = Double.POSITIVE_INFINITY;
          exact[c] = true;
        } else if (!screen.load(start, end - start, groups, p0, pLast, eP)) {
          kl[c] = divergence(start, end);
          exact[c] = true;
          bound = Math.min(bound, kl[c]);
        } else {
          screen.interval(KlScreen.Sums.PAIRWISE, false, 0f, 0f, bound);
          lo[c] = screen.lo;
          kl[c] = (float) screen.estimate;
          bound = Math.min(bound, screen.hi);
          if (intervals != null) {
            intervals[2 * c] = screen.lo;
            intervals[2 * c + 1] = screen.hi;
          }
        }
        anyAssertion |= assertionFailed;
      }
      for (int c = 0; c < count; c++) {
        if (!exact[c] && !(lo[c] > bound)) {
          int i = half + c;
          kl[c] = divergence(zero - i, Math.min(zero + i + 1, n));
          exact[c] = true;
        }
      }
      int best = -1;
      for (int c = 0; c < count; c++) {
        if (exact[c] && (best < 0 || kl[c] < kl[best])) {
          best = c;
        }
      }
      return Math.max(best, 0);
    }

    private float p0;
    private float pLast;
    private float eP;
    private int groups;

    /** The interior groups' sums in O(1) ({@link GroupClassSums}); null for negative counts. */
    private GroupClassSums classes;

    /**
     * {@link #prepare} in O(1) followed by {@link KlScreen#loadClasses}: the ends' folds, the end
     * groups' Q (group 0 holds the folded P[0]; group nq − 1 sums the remainder bins too; the
     * remainder group, Q = 0, and whichever holds the folded P[last]) and the smoothing shifts;
     * the interior groups add m zeros to Q per empty window (a window with a non-zero bin has Q ≥
     * 1). False when the candidate needs {@link #prepare}.
     */
    private boolean loadClasses(int start, int end) {
      int len = end - start;
      int m = len / nq;
      if (nq < 3 || m < 1) {
        return false;
      }
      long total = prefix[counts.length];
      p0 = counts[start] + prefix[start];
      pLast = counts[end - 1] + total - prefix[end];
      int nonzeroP = nonzeros(start, len, 0, len);
      int firstB = start + m;
      int lastB = start + (nq - 2) * m;
      if (classes.width() != m) {
        // Tabulate every window the candidates with this m use: their starts run down to the
        // widest one's (windows are [zero − i, min(zero + i + 1, n)), m = len/nq).
        int n = counts.length;
        int zero = SignedWindowKl.zeroBin(n);
        int iEnd = zero - start;
        while (iEnd + 1 <= zero && (Math.min(zero + iEnd + 2, n) - (zero - iEnd - 1)) / nq == m) {
          iEnd++;
        }
        classes.width(m, zero - iEnd + m, start + (nq - 2) * m);
      }
      int interior = nq - 2;
      double nonEmpty = classes.sum(GroupClassSums.NE, firstB, lastB);
      int zerosQ = len - nq * m + m * (interior - (int) nonEmpty);
      int norm0 = nonzeros(start, len, 0, m);
      float q0 = norm0 != 0 ? (long) ((double) (prefix[start + m] - prefix[start]) / norm0) : 0f;
      int a = (nq - 1) * m;
      long sumLast = prefix[start + a + m] - prefix[start + a] + (prefix[end] - prefix[start + nq * m]);
      int normLast = nonzeros(start, len, a, a + m);
      float qLast = normLast != 0 ? (long) ((double) sumLast / normLast) : 0f;
      zerosQ += (q0 == 0f ? m : 0) + (qLast == 0f ? m : 0);
      if (SignedWindowKl.numpySmoothing(len, len - nonzeroP) != SignedWindowKl.Smoothing.DONE
          || SignedWindowKl.numpySmoothing(len, zerosQ) != SignedWindowKl.Smoothing.DONE) {
        return false;
      }
      eP = -SignedWindowKl.numpyShift(len, len - nonzeroP);
      float shiftQ = SignedWindowKl.numpyShift(len, zerosQ);
      int g = 0;
      g = endGroup(g, 0, m, q0, shiftQ);
      g = endGroup(g, a, a + m, qLast, shiftQ);
      if (nq * m < len) {
        g = endGroup(g, nq * m, len, 0f, shiftQ);
      }
      return screen.loadClasses(
          start, len, g, p0, pLast, eP, -shiftQ, classes, firstB, lastB, interior);
    }

    /** Puts group [a, b) with Q value q, smoothed by {@code shiftQ}, at index g of the screen. */
    private int endGroup(int g, int a, int b, float q, float shiftQ) {
      double smoothed = q == 0f ? SignedWindowKl.EPS : q + shiftQ;
      screen.groupStart[g] = a;
      screen.groupEnd[g] = b;
      screen.qNz[g] = smoothed;
      screen.qZ[g] = smoothed;
      return g + 1;
    }

    /**
     * The candidate's O(nq) part, exactly as {@link #divergence} does it: the folds, the groups'
     * truncated Q values and both smoothings, into the screen's group arrays. False when the
     * KL is +Inf (a smoothing fails; {@link #assertionFailed} says whether eps1 ≥ 1).
     */
    private boolean prepare(int start, int end) {
      assertionFailed = false;
      int len = end - start;
      long total = prefix[counts.length];
      long l0 = counts[start] + prefix[start]; // len ≥ 2: the two ends are distinct
      long lLast = counts[end - 1] + total - prefix[end];
      p0 = l0;
      pLast = lLast;
      int m = len / nq;
      int nonzeroP = nonzeros(start, len, 0, len);
      int zerosQ = len - nq * m;
      for (int j = 0; j < nq; j++) {
        int a = j * m;
        int b = a + m;
        long qb = prefix[start + b] - prefix[start + a];
        if (j == nq - 1) {
          qb += prefix[end] - prefix[start + nq * m];
        }
        int norm = nonzeros(start, len, a, b);
        float q = norm != 0 ? (long) ((double) qb / norm) : 0f;
        screen.groupStart[j] = a;
        screen.groupEnd[j] = b;
        screen.qNz[j] = q; // smoothed below
        zerosQ += q == 0f ? m : 0;
      }
      groups = nq;
      if (nq * m < len) {
        screen.groupStart[nq] = nq * m;
        screen.groupEnd[nq] = len;
        screen.qNz[nq] = 0;
        groups = nq + 1;
      }
      SignedWindowKl.Smoothing sp = SignedWindowKl.numpySmoothing(len, len - nonzeroP);
      SignedWindowKl.Smoothing sq = SignedWindowKl.numpySmoothing(len, zerosQ);
      if (sp == SignedWindowKl.Smoothing.EPS_TOO_LARGE || sq == SignedWindowKl.Smoothing.EPS_TOO_LARGE) {
        assertionFailed = true;
        return false;
      }
      if (sp != SignedWindowKl.Smoothing.DONE || sq != SignedWindowKl.Smoothing.DONE) {
        return false;
      }
      eP = -SignedWindowKl.numpyShift(len, len - nonzeroP);
      float shiftQ = SignedWindowKl.numpyShift(len, zerosQ);
      for (int g = 0; g < groups; g++) {
        float q = (float) screen.qNz[g];
        double smoothed = q == 0f ? SignedWindowKl.EPS : q + shiftQ;
        screen.qNz[g] = smoothed;
        screen.qZ[g] = smoothed;
      }
      return true;
    }

    /** Number of non-zero P in window positions [a, b). */
    private int nonzeros(int start, int len, int a, int b) {
      int last = len - 1;
      int lo = Math.max(a, 1);
      int hi = Math.min(b, last);
      int nz = hi > lo ? nonzeroPrefix[start + hi] - nonzeroPrefix[start + lo] : 0;
      if (a == 0 && b > 0 && p0 != 0f) {
        nz++;
      }
      if (b == len && last > 0 && pLast != 0f) {
        nz++;
      }
      return nz;
    }

    double divergence(int start, int end) {
      assertionFailed = false;
      int len = end - start;
      System.arraycopy(counts, start, p, 0, len);
      p[0] += prefix[start];
      p[len - 1] += prefix[counts.length] - prefix[end];
      int m = len / nq;
      for (int j = 0; j < nq; j++) {
        qb[j] = prefix[start + (j + 1) * m] - prefix[start + j * m];
      }
      qb[nq - 1] += prefix[end] - prefix[start + nq * m];

      for (int k = 0; k < len; k++) {
        pf[k] = p[k];
        qf[k] = 0f;
      }
      for (int j = 0; j < nq; j++) {
        int a = j * m;
        int b = a + m; // the remainder positions [nq·m, len) keep Q = 0
        int norm = 0;
        for (int k = a; k < b; k++) {
          norm += p[k] != 0 ? 1 : 0;
        }
        if (norm != 0) {
          float q = (long) ((double) qb[j] / norm); // int64 array ← float64 quotient: truncated
          for (int k = a; k < b; k++) {
            qf[k] = q;
          }
        }
      }

      SignedWindowKl.Smoothing sp = SignedWindowKl.numpySmooth(pf, len, ps);
      SignedWindowKl.Smoothing sq = SignedWindowKl.numpySmooth(qf, len, qs);
      if (sp == SignedWindowKl.Smoothing.EPS_TOO_LARGE || sq == SignedWindowKl.Smoothing.EPS_TOO_LARGE) {
        assertionFailed = true;
        return Double.POSITIVE_INFINITY;
      }

      if (sp != SignedWindowKl.Smoothing.DONE || sq != SignedWindowKl.Smoothing.DONE) {
        return Double.POSITIVE_INFINITY;
      }
      return entropy(len);
    }

    /** ORT's own float32 {@code entropy(pk, qk)} (calibrate.py), stored as float32. */
    private float entropy(int len) {
      float pSum = NumpyPairwiseSum.sum(ps, 0, len);
      float qSum = NumpyPairwiseSum.sum(qs, 0, len);
      for (int k = 0; k < len; k++) {
        float pn = ps[k] / pSum;
        float qn = qs[k] / qSum;
        // rel_entr as ORT writes it: p·log(p/q), and +Inf unless p > 0 and q > 0.
        ps[k] = pn > 0f && qn > 0f ? pn * SignedWindowKl.logf(pn / qn) : Float.POSITIVE_INFINITY;
      }
      return NumpyPairwiseSum.sum(ps, 0, len);
    }
  }
}
