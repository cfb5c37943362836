package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;

/**
 * {@code entropy:mxnet15}: MXNet ≤ 1.5's KL calibration in Python, {@code _get_optimal_threshold}
 * ({@code apache/mxnet} @ 5e5a59ec, {@code python/mxnet/contrib/quantization.py}), on the same
 * signed histogram (docs/design/algorithms.md §4.1, §4.4).
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
 * unsigned case. The method key takes {@code quantized_dtype} from the run's scheme: {@code
 * --scheme unsigned} is MXNet's uint8 (so a non-negative tensor gets {@code 2·255 + 1} levels and
 * the range (0, th)), every other scheme int8.
 *
 * <p>The search ({@link NumpyKlWindow}) is screened, as {@link OrtEntropyCalibrator}'s.
 */
public final class Mxnet15EntropyCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "entropy:mxnet15";

  /** MXNet's {@code num_quantized_bins}. */
  public static final int DEFAULT_QUANTIZED_BINS = 255;

  private final MxnetQuantizedDtype dtype;
  private final int quantizedBins;

  /**
   * MXNet's defaults, 255 quantized bins, with {@code quantized_dtype} from the run's scheme
   * ({@link MxnetQuantizedDtype#SCHEME}): uint8 under {@code --scheme unsigned}, int8 otherwise.
   */
  public Mxnet15EntropyCalibrator() {
    this(MxnetQuantizedDtype.SCHEME, DEFAULT_QUANTIZED_BINS);
  }

  /** MXNet 1.5 with {@code quantized_dtype = dtype} and {@code num_quantized_bins = nq}. */
  public Mxnet15EntropyCalibrator(MxnetQuantizedDtype dtype, int quantizedBins) {
    super(NAME, Domain.SIGNED);
    if (dtype == null) {
      throw new IllegalArgumentException("Cannot build " + NAME + ": quantized dtype is null");
    }
    this.dtype = dtype;
    this.quantizedBins = SignedWindowSearch.checkQuantizedBins(quantizedBins);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    MxnetQuantizedDtype dtype = this.dtype.resolve(quant.scheme());
    double min = stats.range().min();
    int nq = dtype.quantizedBins(min, quantizedBins);
    int n = histogram.binCount();
    NumpyKlWindow.Result s =
        new NumpyKlWindow(histogram, nq, GroupClassSums.Tool.MXNET15).run(histogram);
    double[] kl = s.kl();
    int nans = 0;
    for (double v : kl) {
      nans += Double.isNaN(v) ? 1 : 0;
    }
    double th = histogram.edge(s.end());
    CalibrationResult.Builder b = s.builder(NAME, dtype.range(min, th), quant);
    if (s.count() == 0) {
      b.note(SignedWindowSearch.noCandidate(n, nq, "MXNet fails", "the whole histogram"));
    }

    if (nans > 0) {
      b.note(
          String.format(
              "MXNet 1.5 NaN bug: %d candidate(s) have an all-zero Q and KL = NaN%s",
              nans,
              Double.isNaN(s.objective())
                  ? "; np.argmin picked the first NaN, so the threshold collapsed to " + th
                  : "; a finite minimum came first"));
    }

    if (s.assertionFailed()) {
      b.note(
          "some candidates smooth with eps1 >= 1 (MXNet's assertion fails there): their KL is"
              + " +Inf");
    }

    if (n % 2 == 0) {
      b.note(String.format(SignedWindowSearch.EVEN_BINS_NOTE, "MXNet indexes past the edges for"));
    }
    return b.build();
  }
}
