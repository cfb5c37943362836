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
 * {@code entropy:mxnet}: MXNet ≥ 1.6's KL calibration, the C++ operator {@code
 * _contrib_calibrate_entropy} ({@code apache/mxnet} @ b84609d, {@code
 * src/operator/quantization/calibrate.cc}, {@code CalibrateComputeCPU}), on the same signed
 * histogram (docs/design/algorithms.md §4.2, §4.4).
 *
 * <p>Reference behaviour, quirks included: the counts are float32 (as the Python wrapper passes
 * them; counts above 2^24 are rounded, with a note); P[0] includes h[start] while the sliced array
 * for Q has slice[0] = 0; the non-zero count comes from the slice; Q only where P ≠ 0; smoothing in
 * float returns empty when all zero or eps1 ≥ 1 (KL = +Inf); KL in float; the first minimum by
 * strict {@code <} from FLT_MAX (NaN never wins). Threshold {@code e[zero + i + 1]}; layer range
 * {@code (0, th)} for a non-negative tensor with {@code uint8}/{@code auto}, else {@code (−th,
 * th)}. The search uses {@code nq} = 255 quantized bins, {@code 2·255 + 1} in the unsigned case.
 * The scale is qcal's (the quant spec's) for that range.
 *
 * <p>MXNet's collector grows the histogram by whole bins (an odd count when it starts at 8001); a
 * histogram with an even count gets windows {@code [−i·w, (i+1)·w)} and a note.
 *
 * <p>The search is screened (see {@link KlScreen}): every candidate is bounded in O(quantized bins)
 * and only those that can still be the minimum are evaluated bin by bin, so the threshold and the
 * objective are exactly the tool's; in the {@code kl} curve the other candidates carry the middle
 * of their interval, within about 5e-5 (relative) of their float32 KL.
 */
public final class MxnetEntropyCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "entropy:mxnet";

  /** MXNet's {@code num_quantized_bins}. */
  public static final int DEFAULT_QUANTIZED_BINS = 255;

  private final MxnetQuantizedDtype dtype;
  private final int quantizedBins;

  /**
   * MXNet's defaults, 255 quantized bins, with {@code quantized_dtype} from the run's scheme
   * ({@link MxnetQuantizedDtype#SCHEME}): uint8 under {@code --scheme unsigned}, int8 otherwise.
   */
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
    this.quantizedBins = SignedWindowKl.checkQuantizedBins(quantizedBins);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    MxnetQuantizedDtype dtype = this.dtype.resolve(quant.scheme());
    double min = stats.range().min();
    int nq = dtype.quantizedBins(min, quantizedBins);
    MinimizeKl.Search s =
        MinimizeKl.run(histogram, nq, MinimizeKl.Counts.FLOAT32, TieRule.FIRST_BELOW_FLT_MAX);
    int n = histogram.binCount();
    double th = s.count() > 0 ? s.thresholds()[s.best()] : histogram.edge(n);
    ClipRange range = dtype.range(min, th);
    CalibrationResult.Builder b =
        MinimizeKl.result(
            NAME,
            s,
            range,
            quant,
            n,
            "counts above 2^24 were rounded to float32, as MXNet passes them");
    if (s.count() == 0) {
      b.note(
          String.format(
              "histogram of %d bins has no candidate for %d quantized bins (MXNet fails):"
                  + " fell back to the whole histogram",
              n, nq));
    }
    return b.build();
  }
}
