package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.calib.screen.TieRule;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;

/**
 * {@code entropy:mxnet}: MXNet ≥ 1.6's C++ operator {@code _contrib_calibrate_entropy} ({@code
 * apache/mxnet} @ b84609d, {@code src/operator/quantization/calibrate.cc}) on qcal's signed
 * histogram, quirks included and noted (docs/design/algorithms.md §4.2, §4.4); the scale is the
 * quant spec's. Screened ({@link CppKlWindow}) as {@link OrtEntropyCalibrator} is.
 */
public final class MxnetEntropyCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "entropy:mxnet";

  /** MXNet's {@code num_quantized_bins}. */
  public static final int DEFAULT_QUANTIZED_BINS = 255;

  private final MxnetQuantizedDtype dtype;
  private final int quantizedBins;

  /** MXNet's defaults, 255 quantized bins, {@code quantized_dtype} from the run's scheme. */
  public MxnetEntropyCalibrator() {
    this(MxnetQuantizedDtype.SCHEME, DEFAULT_QUANTIZED_BINS);
  }

  /** MXNet with {@code quantized_dtype = dtype} and {@code num_quantized_bins = nq}. */
  public MxnetEntropyCalibrator(MxnetQuantizedDtype dtype, int quantizedBins) {
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
    SignedWindowSearch.Result s =
        CppKlWindow.search(histogram, nq, CppKlWindow.Counts.FLOAT32, TieRule.FIRST_BELOW_FLT_MAX);
    ClipRange range = dtype.range(min, histogram.edge(s.end()));
    return s.cppBuilder(
            NAME,
            range,
            quant,
            "MXNet",
            "counts above 2^24 were rounded to float32, as MXNet passes them")
        .build();
  }
}
