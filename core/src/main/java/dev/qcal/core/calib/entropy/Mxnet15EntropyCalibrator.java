package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;

/**
 * {@code entropy:mxnet15}: MXNet ≤ 1.5's KL calibration in Python, {@code _get_optimal_threshold}
 * ({@code apache/mxnet} @ 5e5a59ec, {@code python/mxnet/contrib/quantization.py}), on the same
 * signed histogram (design notes algorithms.md §4.1, §4.4).
 *
 * <p>Reference behaviour, quirks included: candidates {@code i = nq/2 .. n/2}, window {@code [zero
 * − i, zero + i + 1)}, threshold {@code e[zero + i + 1] = (i + ½)·w}; P (int64) with both tails
 * folded; the group sums in an <b>int32</b> array (they wrap above 2^31 − 1); Q (float32) = group
 * sum / number of non-zero P of the group, the last group running to the end of the window, then
 * {@code Q[P == 0] = 0}; numpy's smoothing; {@code scipy.stats.entropy} (float32 normalisation and
 * sums in numpy's pairwise order, {@code rel_entr} in float64 rounded to float32); the first
 * argmin. <b>The NaN bug</b>: when Q is all zero (the window holds no data, all the mass is in the
 * folded tails), smoothing Q raises, the +Inf set in the {@code except} is overwritten by {@code
 * entropy(P, zeros)} = NaN, and {@code np.argmin} returns the first NaN; this is reproduced, with a
 * note. The layer range is {@code (0, th)} for a non-negative tensor with {@code uint8}/{@code
 * auto}, else {@code (−th, th)}; the search uses 255 quantized bins, {@code 2·255 + 1} in that
 * unsigned case.
 */
public final class Mxnet15EntropyCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "entropy:mxnet15";

  /** MXNet's {@code num_quantized_bins}. */
  public static final int DEFAULT_QUANTIZED_BINS = 255;

  private final MxnetQuantizedDtype dtype;
  private final int quantizedBins;

  /** MXNet's defaults: int8, 255 quantized bins. */
  public Mxnet15EntropyCalibrator() {
    this(MxnetQuantizedDtype.INT8, DEFAULT_QUANTIZED_BINS);
  }

  /** MXNet 1.5 with {@code quantized_dtype = dtype} and {@code num_quantized_bins = nq}. */
  public Mxnet15EntropyCalibrator(MxnetQuantizedDtype dtype, int quantizedBins) {
    super(NAME, Domain.SIGNED);
    if (dtype == null) {
      throw new IllegalArgumentException("Cannot build " + NAME + ": quantized dtype is null");
    }
    this.dtype = dtype;
    this.quantizedBins = SignedWindowKl.checkQuantizedBins(quantizedBins);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    double min = stats.range().min();
    int nq = dtype.quantizedBins(min, quantizedBins);
    int n = histogram.binCount();
    int zero = SignedWindowKl.zeroBin(n);
    int half = nq / 2;
    int count = SignedWindowKl.candidateCount(nq, MinimizeKl.lastCandidate(n));
    Scratch w = new Scratch(histogram, nq);
    double[] kl = new double[count];
    double[] thresholds = new double[count];
    int nans = 0;
    boolean assertion = false;
    for (int c = 0; c < count; c++) {
      int i = half + c;
      thresholds[c] = histogram.edge(zero + i + 1);
      kl[c] = w.divergence(zero - i, zero + i + 1);
      nans += Double.isNaN(kl[c]) ? 1 : 0;
      assertion |= w.assertionFailed;
    }

    int best = SignedWindowKl.numpyArgmin(kl, count);
    double th = count > 0 ? thresholds[best] : histogram.edge(n);
    ClipRange range = dtype.range(min, th);
    CalibrationResult.Builder b = CalibrationResult.builder(NAME, range, quant);
    if (count > 0) {
      b.objective(kl[best]).curve("kl", SignedWindowKl.curve(thresholds, kl, count));
    } else {
      b.note(
          String.format(
              "histogram of %d bins has no candidate for %d quantized bins (MXNet fails):"
                  + " fell back to the whole histogram",
              n, nq));
    }

    if (nans > 0) {
      b.note(
          String.format(
              "MXNet 1.5 NaN bug: %d candidate(s) have an all-zero Q and KL = NaN%s",
              nans,
              Double.isNaN(kl[best])
                  ? "; np.argmin picked the first NaN, so the threshold collapsed to " + th
                  : "; a finite minimum came first"));
    }

    if (assertion) {
      b.note("some candidates smooth with eps1 >= 1 (MXNet's assertion fails there): their KL is +Inf");
    }

    if (n % 2 == 0) {
      b.note(
          "even bin count: windows are [-i*w, (i+1)*w) and the last candidate (i = n/2), which"
              + " MXNet indexes past the edges for, is skipped");
    }
    return b.build();
  }

  /** Scratch arrays for one search, reused across candidates. */
  private static final class Scratch {
    private final long[] counts;
    private final long[] prefix;
    private final int nq;
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
      this.pf = new float[n];
      this.qf = new float[n];
      this.ps = new float[n];
      this.qs = new float[n];
    }

    double divergence(int start, int stop) {
      assertionFailed = false;
      int len = stop - start;
      int m = len / nq;
      for (int k = 0; k < len; k++) {
        pf[k] = counts[start + k];
        qf[k] = 0f;
      }
      pf[0] = counts[start] + prefix[start];
      pf[len - 1] = counts[stop - 1] + prefix[counts.length] - prefix[stop];
      // The original int64 P decides the zeros: (float) c == 0 exactly when c == 0.
      for (int j = 0; j < nq; j++) {
        int a = j * m;
        int b = j == nq - 1 ? len : a + m;
        int qb = (int) (prefix[start + a + m] - prefix[start + a]); // np.int32 array element
        if (j == nq - 1) {
          qb = (int) ((long) qb + (prefix[stop] - prefix[start + nq * m]));
        }
        int norm = 0;
        for (int k = a; k < b; k++) {
          norm += pf[k] != 0f ? 1 : 0;
        }
        if (norm != 0) {
          float q = (float) ((double) qb / norm);
          for (int k = a; k < b; k++) {
            qf[k] = pf[k] != 0f ? q : 0f; // q[p == 0] = 0
          }
        }
      }

      SignedWindowKl.Smoothing sp = SignedWindowKl.numpySmooth(pf, len, ps);
      if (sp != SignedWindowKl.Smoothing.DONE) {
        assertionFailed = sp == SignedWindowKl.Smoothing.EPS_TOO_LARGE;
        return Double.POSITIVE_INFINITY;
      }

      SignedWindowKl.Smoothing sq = SignedWindowKl.numpySmooth(qf, len, qs);
      if (sq == SignedWindowKl.Smoothing.EPS_TOO_LARGE) {
        assertionFailed = true;
        return Double.POSITIVE_INFINITY;
      }

      if (sq == SignedWindowKl.Smoothing.ALL_ZERO) {
        // The bug: the ValueError's +Inf is overwritten by entropy(P, zeros), where q/Σq is 0/0.
        return Double.NaN;
      }
      return scipyEntropy(len);
    }

    /** {@code scipy.stats.entropy(p, q)} on float32 arrays, a float32 result. */
    private float scipyEntropy(int len) {
      float pSum = SignedWindowKl.pairwiseSum(ps, 0, len);
      float qSum = SignedWindowKl.pairwiseSum(qs, 0, len);
      for (int k = 0; k < len; k++) {
        double pn = ps[k] / pSum;
        double qn = qs[k] / qSum;
        ps[k] = (float) relEntr(pn, qn);
      }
      return SignedWindowKl.pairwiseSum(ps, 0, len);
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
}
