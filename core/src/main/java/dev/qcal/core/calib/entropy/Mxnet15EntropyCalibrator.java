package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import java.util.Arrays;

/**
 * {@code entropy:mxnet15}: MXNet ≤ 1.5's {@code _get_optimal_threshold} ({@code apache/mxnet} @
 * 5e5a59ec, {@code python/mxnet/contrib/quantization.py}) on qcal's signed histogram, quirks
 * included, the NaN bug noted (docs/design/algorithms.md §4.1, §4.4). Screened as {@link
 * OrtEntropyCalibrator} is.
 */
public final class Mxnet15EntropyCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "entropy:mxnet15";

  /** MXNet's {@code num_quantized_bins}. */
  public static final int DEFAULT_QUANTIZED_BINS = 255;

  private final MxnetQuantizedDtype dtype;
  private final int quantizedBins;

  /** MXNet's defaults, 255 quantized bins, {@code quantized_dtype} from the run's scheme. */
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
    NumpyKlWindow.Result s =
        new NumpyKlWindow(histogram, nq, GroupClassSums.Tool.MXNET15).run(histogram);
    long nans = Arrays.stream(s.kl()).filter(Double::isNaN).count();
    double th = histogram.edge(s.end());
    CalibrationResult.Builder b =
        s.builder(NAME, dtype.range(min, th), quant, "MXNet fails", "the whole histogram");
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
    if (histogram.binCount() % 2 == 0) {
      b.note(String.format(SignedWindowSearch.EVEN_BINS_NOTE, "MXNet indexes past the edges for"));
    }
    return b.build();
  }
}
