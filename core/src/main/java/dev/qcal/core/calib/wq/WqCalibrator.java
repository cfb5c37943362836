package dev.qcal.core.calib.wq;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code wq}: weighted-entropy quantization of weights (Park, Ahn, Yoo, CVPR 2017; caffe-WQ {@code
 * eh_functions.cu}, see {@link WeightedEntropyWeights} for the raw-value version) on the |x|
 * histogram. Non-uniform levels: {@code num_level} levels (default 2^bits), (num_level + 1)/2
 * magnitude clusters mirrored to ±, cluster 0 the zero level when num_level is odd.
 *
 * <p>The authors' search runs with each non-empty bin as one atom at its centre c_j with its count
 * (importance c_j²; the sorted order is the bin order), so the cluster boundaries fall on bin edges
 * (the lower edge of the first non-empty bin of each cluster). Empty bins are not atoms: they would
 * make the partial entropy flat over every empty region, and the bisection, which assumes a
 * unimodal function and moves right on ties, then drifts across those plateaus (on a 2048-bin
 * gaussian at 16 levels the first pass lowered H and the top cluster kept only the largest bin).
 * Same initial slices (the first edge whose prefix count reaches N·(k+1)//half), same bisection and
 * outer loop, in double with 0·ln 0 = 0 (upstream's empty-cluster NaN would only make the search
 * skip that candidate). Representatives are the RMS of the bin centres of each cluster.
 *
 * <p>Output: {@code details.levels} (double[], the representative magnitudes ascending, ± implied,
 * empty clusters left out with a note), {@code details.boundaries} (double[], the lower edge of
 * each cluster in |x|, boundaries[0] = 0: |x| maps to the level of the last boundary it reaches),
 * {@code details.slices} (long[], the clusters' exclusive end bins), {@code details.num_level}. The
 * range is ±amax with amax = the largest level, which is where the largest weights land. A
 * non-uniform quantizer has no single scale: the scale in the result is amax/qmax of the requested
 * grid, an informative value only (a note says so). Objective: the weighted entropy H (nats); curve
 * {@code wq.entropy}: H before the first pass and after each pass, against the top level.
 */
public final class WqCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "wq";

  private final int numLevel;

  private WqCalibrator(int numLevel) {
    super(NAME, Domain.ABSOLUTE);
    this.numLevel = numLevel;
  }

  /** num_level = 2^bits of the requested quantizer (the authors' script). */
  public static WqCalibrator create() {
    return new WqCalibrator(0);
  }

  /**
   * A fixed number of levels.
   *
   * @throws IllegalArgumentException if numLevel is not in [2, 65536]
   */
  public static WqCalibrator withLevels(int numLevel) {
    WeightedEntropyWeights.checkLevels(numLevel);
    return new WqCalibrator(numLevel);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    int levels = numLevel > 0 ? numLevel : 1 << Math.min(quant.bits(), 16);
    int half = (levels + 1) / 2;
    double[] edges = histogram.edges();
    int m = histogram.binCount();
    // One atom per NON-EMPTY bin: an empty bin holds no weight, and as an atom it would put a
    // plateau into the partial entropy, where the bisection (which assumes a unimodal function and
    // moves right on ties) drifts through whole empty regions and can lower H.
    int[] bin = new int[m + 1];
    long[] cumCount = new long[m + 1];
    double[] cumImportance = new double[m + 1];
    int atoms = 0;
    for (int j = 0; j < m; j++) {
      long c = histogram.count(j);
      if (c == 0) {
        continue;
      }
      double centre = (edges[j] + edges[j + 1]) / 2;
      bin[atoms] = j;
      cumCount[atoms + 1] = cumCount[atoms] + c;
      cumImportance[atoms + 1] = cumImportance[atoms] + c * centre * centre;
      atoms++;
    }
    bin[atoms] = m;
    cumCount = Arrays.copyOf(cumCount, atoms + 1);
    cumImportance = Arrays.copyOf(cumImportance, atoms + 1);
    WeightedEntropySlicer slicer =
        new WeightedEntropySlicer(cumCount, cumImportance, levels, Arithmetic.FLOAT64);
    WeightedEntropySlicer.Slicing s = slicer.run(slicer.initialSlices());
    int[] slices = s.slices();
    double[] reps = new double[half];
    double[] bdr = new double[half];
    for (int k = levels % 2; k < half; k++) {
      int from = k == 0 ? 0 : slices[k - 1];
      long count = cumCount[slices[k]] - cumCount[from];
      reps[k] = count > 0 ? Math.sqrt((cumImportance[slices[k]] - cumImportance[from]) / count) : 0;
    }
    for (int k = 0; k < half - 1; k++) {
      bdr[k + 1] = edges[bin[slices[k]]];
    }
    List<String> notes = new ArrayList<>();
    WeightedEntropyWeights.Solution sol =
        WeightedEntropyWeights.finish(levels, slices, reps, bdr, s, notes);
    long[] sliceDetail = new long[half];
    for (int k = 0; k < half; k++) {
      sliceDetail[k] = bin[slices[k]];
    }
    CalibrationResult.Builder result = result(sol, sliceDetail, levels, quant);
    if (histogram.above() > 0) {
      result.note(histogram.above() + " values above the histogram range (±Inf) left out");
    }
    sol.notes().forEach(result::note);
    if (sol.amax() == 0) {
      result.note("all levels are 0: scale set to 1");
    }
    return result.build();
  }

  /**
   * The weights' own method: the authors' code runs on the weights, so raw values are its input.
   */
  @Override
  public boolean acceptsValues() {
    return true;
  }

  /**
   * On raw values, exactly the authors' code ({@link WeightedEntropyWeights#onValues}, float32 as
   * upstream); {@code details.slices} are then the clusters' exclusive ends in the sorted values.
   */
  @Override
  protected CalibrationResult searchValues(
      TensorStatistics stats, float[] values, QuantSpec quant) {
    int levels = numLevel > 0 ? numLevel : 1 << Math.min(quant.bits(), 16);
    WeightedEntropyWeights.Solution sol = WeightedEntropyWeights.onValues(values, levels);
    long[] slices = new long[sol.slices().length];
    for (int k = 0; k < slices.length; k++) {
      slices[k] = sol.slices()[k];
    }
    CalibrationResult.Builder result =
        result(sol, slices, levels, quant).note("on " + values.length + " raw values");
    sol.notes().forEach(result::note);
    if (sol.amax() == 0) {
      result.note("all levels are 0: scale set to 1");
    }
    return result.build();
  }

  private static CalibrationResult.Builder result(
      WeightedEntropyWeights.Solution sol, long[] slices, int levels, QuantSpec quant) {
    return CalibrationResult.builder(NAME, ClipRange.symmetric(sol.amax()), quant)
        .objective(sol.entropy())
        .curve("wq.entropy", sol.trace())
        .detail("levels", sol.levels())
        .detail("boundaries", sol.boundaries())
        .detail("slices", slices)
        .detail("num_level", levels)
        .note("non-uniform levels: see details.levels (the scale amax/qmax is informative only)");
  }
}
