package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;

/**
 * {@code entropy:ort}: ONNX Runtime's {@code HistogramCollector.get_entropy_threshold} ({@code
 * calibrate.py}, newest version) on qcal's signed histogram, quirks included
 * (docs/design/algorithms.md §3.4, §4.4); its default 128 bins give a single candidate. Screened
 * ({@link NumpyKlWindow}): the pick and objective are exactly the tool's, a curve point that could
 * not win is the middle of its interval (docs/design/entropy-screens.md §1).
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
    NumpyKlWindow.Result s =
        new NumpyKlWindow(histogram, quantizedBins, GroupClassSums.Tool.ORT).run(histogram);
    float dataMin = stats.range().min();
    float dataMax = stats.range().max();
    double lo = histogram.edge(s.start());
    double hi = histogram.edge(s.end());
    lo = lo < dataMin ? dataMin : lo;
    hi = hi > dataMax ? dataMax : hi;
    boolean inverted = lo > hi;
    ClipRange range =
        inverted ? new ClipRange(Math.min(lo, 0), Math.max(hi, 0)) : new ClipRange(lo, hi);
    CalibrationResult.Builder b =
        s.builder(
            NAME,
            range,
            quant,
            "ORT fails on an empty argmin",
            "the whole histogram, clipped to the data");
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
