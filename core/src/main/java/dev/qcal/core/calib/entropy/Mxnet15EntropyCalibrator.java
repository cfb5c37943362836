package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.calib.screen.ScreenedSearch;
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
 * <p>The search ({@link NumpyKlSearch}) is screened (see {@link KlScreen}): every candidate is
 * bounded in O(quantized bins) and only those that can still be the minimum are evaluated bin by
 * bin, so the threshold and the objective are exactly the tool's; in the {@code kl} curve the other
 * candidates carry the middle of their interval, within about 5e-5 (relative) of their float32 KL.
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
    this.quantizedBins = SignedWindowKl.checkQuantizedBins(quantizedBins);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    MxnetQuantizedDtype dtype = this.dtype.resolve(quant.scheme());
    double min = stats.range().min();
    int nq = dtype.quantizedBins(min, quantizedBins);
    int n = histogram.binCount();
    NumpyKlSearch candidates = new NumpyKlSearch(histogram, nq, GroupClassSums.Tool.MXNET15);
    ScreenedSearch.Outcome search = ScreenedSearch.run(candidates);
    int count = search.count();
    double[] kl = search.values();
    double[] thresholds = new double[count];
    for (int c = 0; c < count; c++) {
      thresholds[c] = histogram.edge(candidates.end(c));
    }
    int best = search.best();
    boolean assertion = candidates.assertionFailed();
    int nans = 0;
    for (int c = 0; c < count; c++) {
      nans += Double.isNaN(kl[c]) ? 1 : 0;
    }
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
      b.note(
          "some candidates smooth with eps1 >= 1 (MXNet's assertion fails there): their KL is"
              + " +Inf");
    }

    if (n % 2 == 0) {
      b.note(
          "even bin count: windows are [-i*w, (i+1)*w) and the last candidate (i = n/2), which"
              + " MXNet indexes past the edges for, is skipped");
    }
    return b.build();
  }
}
