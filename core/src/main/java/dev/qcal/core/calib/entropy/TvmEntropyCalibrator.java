package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.calib.screen.TieRule;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.QuantSpec;

/**
 * {@code entropy:tvm}: TVM relay's {@code MinimizeKL} ({@code apache/tvm} @ 21095b98, {@code
 * src/relay/quantize/calibrate.cc}), MXNet's C++ search on int32 counts with TVM's scale
 * (docs/design/algorithms.md §4.3). Screened as {@link OrtEntropyCalibrator} is.
 */
public final class TvmEntropyCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "entropy:tvm";

  /** TVM's {@code num_quantized_bins}. */
  public static final int DEFAULT_QUANTIZED_BINS = 255;

  private final int quantizedBins;

  /** TVM's defaults (255 quantized bins). */
  public TvmEntropyCalibrator() {
    this(DEFAULT_QUANTIZED_BINS);
  }

  /** TVM with {@code num_quantized_bins = nq}. */
  public TvmEntropyCalibrator(int quantizedBins) {
    super(NAME, Domain.SIGNED);
    this.quantizedBins = SignedWindowSearch.checkQuantizedBins(quantizedBins);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    SignedWindowSearch.Result s =
        CppKlWindow.search(
            histogram, quantizedBins, CppKlWindow.Counts.INT32, TieRule.FIRST_MINIMUM);
    double th = histogram.edge(s.end());
    return s.cppBuilder(
            NAME,
            ClipRange.symmetric(th),
            quant,
            "TVM",
            "counts above 2^31-1 wrapped to int32, as TVM passes them")
        .params(tvmParams(th, quant.bits()))
        .build();
  }

  /**
   * TVM's scale: {@code th / 2^(nbit − sign)} with sign = 1 ({@code quantize/_calibrate.py}), clip
   * ±(2^(B−1) − 1); a zero threshold gets scale 1.
   */
  static QuantParams tvmParams(double th, int bits) {
    long bound = (1L << (bits - 1)) - 1;
    float scale = (float) (th / (double) (1L << (bits - 1)));
    if (!(scale >= Float.MIN_NORMAL) || !Float.isFinite(scale)) {
      scale = 1f;
    }
    return new QuantParams(scale, 0, -bound, bound);
  }

  @Override
  protected QuantParams toolParams(ClipRange range, QuantSpec quant) {
    return tvmParams(range.amax(), quant.bits());
  }
}
