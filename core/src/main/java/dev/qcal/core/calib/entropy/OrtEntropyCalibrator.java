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
 * histogram (docs/design/algorithms.md §3.4, §4.4).
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
 * <p>The search ({@link NumpyKlWindow}) is screened: the threshold and the objective are exactly
 * the tool's; in the {@code kl} curve the candidates that could not win carry the middle of their
 * interval, within about 5e-5 (relative) of their float32 KL.
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
    this.quantizedBins = SignedWindowSearch.checkQuantizedBins(quantizedBins);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    int n = histogram.binCount();
    int nq = quantizedBins;
    NumpyKlWindow.Result s =
        new NumpyKlWindow(histogram, nq, GroupClassSums.Tool.ORT).run(histogram);
    float dataMin = stats.range().min();
    float dataMax = stats.range().max();
    double lo = histogram.edge(s.start());
    double hi = histogram.edge(s.end());
    lo = lo < dataMin ? dataMin : lo;
    hi = hi > dataMax ? dataMax : hi;
    boolean inverted = lo > hi;
    ClipRange range =
        inverted ? new ClipRange(Math.min(lo, 0), Math.max(hi, 0)) : new ClipRange(lo, hi);
    CalibrationResult.Builder b = s.builder(NAME, range, quant);
    if (s.count() == 0) {
      b.note(
          SignedWindowSearch.noCandidate(
              n, nq, "ORT fails on an empty argmin", "the whole histogram, clipped to the data"));
    }

    if (s.count() == 1) {
      b.note(
          "a single candidate (bins <= quantized bins + 1): the result is the whole range, as in"
              + " ORT");
    }

    if (s.assertionFailed()) {
      b.note(
          "some candidates smooth with eps1 >= 1 (ORT's assertion fails there): their KL is +Inf");
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
}
