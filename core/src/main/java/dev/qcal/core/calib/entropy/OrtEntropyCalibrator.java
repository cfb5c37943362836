package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
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
      int i = half + c;
      int start = zero - i;
      int end = Math.min(zero + i + 1, n);
      upper[c] = histogram.edge(end);
      kl[c] = w.divergence(start, end);
      assertion |= w.assertionFailed;
    }

    int best = SignedWindowKl.numpyArgmin(kl, count);
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
      float pSum = SignedWindowKl.pairwiseSum(ps, 0, len);
      float qSum = SignedWindowKl.pairwiseSum(qs, 0, len);
      for (int k = 0; k < len; k++) {
        float pn = ps[k] / pSum;
        float qn = qs[k] / qSum;
        // rel_entr as ORT writes it: p·log(p/q), and +Inf unless p > 0 and q > 0.
        ps[k] = pn > 0f && qn > 0f ? pn * SignedWindowKl.logf(pn / qn) : Float.POSITIVE_INFINITY;
      }
      return SignedWindowKl.pairwiseSum(ps, 0, len);
    }
  }
}
