package dev.qcal.core.calib.wq;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;

/**
 * {@code wq:log}: weighted-entropy log-domain quantization of (ReLU) activations (Park, Ahn, Yoo,
 * CVPR 2017; caffe-WQ {@code weight_log_quant_relu_layer.cu}), searched exactly as upstream by
 * {@link LogEntropySearch} on qcal's LOG2 histogram (16 sub-bins per octave, 1024 bins over the 64
 * octaves below ⌈log2 max|x|⌉, so bin b covers 16·log2 x in [b + 16·lo, b + 16·lo + 1)). num_level
 * = 2^bits by default (the authors' script), including the zero level.
 *
 * <p>As upstream, only positive values are in N: non-positive values (and positive ones below 2^lo,
 * which qcal counts in {@code below()} where upstream clamps them into bin 0) quantize to the zero
 * level and do not enter the entropy. The search's offset does not change the answer: it shifts to
 * the last empty bin below the data either way.
 *
 * <p>Output: range (0, amax) with amax the top level 2^((O + (L−2)·step)/16); details {@code
 * offset} (O, 1/16-octave units), {@code step} (2h), {@code fsr} and {@code half_step} (upstream's
 * search indices), {@code levels} (double[]: 0 and 2^((O + k·step)/16), float32 as upstream),
 * {@code num_level}; objective H; curve {@code wq.entropy} (H against the top level for every fsr
 * of the chosen step). The scale amax/qmax is informative only (a note says so). Where upstream has
 * no candidate (too narrow a spread for the fsr ≥ 40 start, e.g. large num_level) the result falls
 * back to (0, max) with a note.
 */
public final class WqLogCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "wq:log";

  private final int numLevel;

  private WqLogCalibrator(int numLevel) {
    super(NAME, Domain.LOG2);
    this.numLevel = numLevel;
  }

  /** num_level = 2^bits of the requested quantizer. */
  public static WqLogCalibrator create() {
    return new WqLogCalibrator(0);
  }

  /**
   * A fixed number of levels (upstream's layer default is 8).
   *
   * @throws IllegalArgumentException if numLevel is not in [2, 65536]
   */
  public static WqLogCalibrator withLevels(int numLevel) {
    WeightedEntropyWeights.checkLevels(numLevel);
    return new WqLogCalibrator(numLevel);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    int levels = numLevel > 0 ? numLevel : 1 << Math.min(quant.bits(), 16);
    LogEntropySearch.Result r =
        LogEntropySearch.search(histogram.counts(), offset(histogram), levels);
    if (!r.found()) {
      double max = Math.max(0, stats.range().max());
      return CalibrationResult.builder(NAME, new ClipRange(0, max), quant)
          .detail("num_level", levels)
          .note("wq:log: " + r.reason() + ": fell back to max")
          .build();
    }
    CalibrationResult.Builder result =
        CalibrationResult.builder(NAME, new ClipRange(0, r.amax()), quant)
            .objective(r.entropy())
            .curve("wq.entropy", r.curve())
            .detail("offset", r.offset())
            .detail("step", r.step())
            .detail("fsr", r.fsr())
            .detail("half_step", r.halfStep())
            .detail("levels", r.levels())
            .detail("num_level", levels)
            .note(
                "non-uniform levels: see details.levels (the scale amax/qmax is informative only)");
    if (histogram.below() > 0) {
      result.note(
          histogram.below()
              + " values ≤ 0 (or below the log range) map to the zero level, outside N as"
              + " upstream");
    }
    if (histogram.above() > 0) {
      result.note(histogram.above() + " values above the log range (+Inf) left out");
    }
    return result.build();
  }

  /**
   * 16·log2 of the lower edge of bin 0: 16·lo of the spec, or of the first edge of a histogram with
   * explicit edges (which must then be a whole number of sub-octaves).
   */
  static int offset(Histogram h) {
    HistogramSpec spec = h.spec();
    double lo =
        spec != null
            ? spec.lo() * LogEntropySearch.PER_OCTAVE
            : LogEntropySearch.PER_OCTAVE * Math.log(h.edge(0)) / Math.log(2);
    double rounded = Math.rint(lo);
    if (Math.abs(lo - rounded) > 1e-6) {
      throw new IllegalArgumentException(
          "Cannot run wq:log: the log histogram does not start on a 1/16 octave (16·log2 = "
              + lo
              + ")");
    }
    return (int) rounded;
  }
}
