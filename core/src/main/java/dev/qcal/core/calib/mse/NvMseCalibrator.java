package dev.qcal.core.calib.mse;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.calib.screen.ScreenedSearch;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.Scheme;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mse} method: NVIDIA pytorch-quantization / ModelOpt {@code calib/histogram.py
 * _compute_amax_mse} on the |x| histogram, reproduced in float32.
 *
 * <p>Reference behaviour (docs/design/algorithms.md §1.3): counts and edges cast to float32,
 * centres c = (e[j] + e[j+1])/2 in float32; candidates i = startBin .. n − 2 (upstream's {@code
 * range(start_bin, len(centers))} never tries the last centre); for each, fq = symmetric
 * narrow-range fake quantization of every centre at amax = c[i] (bound = 2^(B−1) − 1, or 2^B − 1
 * for the {@link Scheme#UNSIGNED} scheme, rint half to even), mse = mean((fq − c)² · counts) in
 * float32 (numpy's pairwise summation order), <b>first</b> argmin, amax = c[i]. Counts above 2^24
 * lose precision in the float32 cast, as upstream.
 *
 * <p>The search is screened (see {@link MseScreen}) from {@value #SCREEN_MIN_BINS} bins on: every
 * candidate's float32 MSE is bounded in O(levels) and only those that can still be the minimum are
 * evaluated bin by bin ((n − startBin) × n float32 fake quantizations unscreened), so the threshold
 * and the objective are exactly the tool's; in the {@code mse} curve the other candidates carry the
 * middle of their interval, within about 2e-6 (relative) of their float32 MSE for 8 bits. Without
 * the curve ({@link #calibrateWithoutCurves}) a candidate is screened only until a lower bound
 * rules it out, far less work on small tensors, with the same pick and objective. Fallback: a
 * histogram with no candidate (n − 1 ≤ startBin, where upstream raises on an empty argmin) searches
 * every centre from 0 and says so in a note. FP8 schemes are searched on the 8-bit integer grid
 * (NVIDIA's E4M3 path is not reproduced), with a note.
 */
public final class NvMseCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "mse";

  /** NVIDIA's default first candidate bin. */
  public static final int DEFAULT_START_BIN = 128;

  /** Below this many bins every candidate is evaluated exactly (the screen would not pay). */
  static final int SCREEN_MIN_BINS = 256;

  private final int startBin;

  /** The default, start bin {@value #DEFAULT_START_BIN}. */
  public NvMseCalibrator() {
    this(DEFAULT_START_BIN);
  }

  /**
   * NVIDIA's MSE search starting at bin {@code startBin}.
   *
   * @throws IllegalArgumentException if startBin is negative
   */
  public NvMseCalibrator(int startBin) {
    super(NAME, Domain.ABSOLUTE);
    if (startBin < 0) {
      throw new IllegalArgumentException(
          "Cannot build the mse calibrator: start bin must be >= 0 (" + startBin + ")");
    }
    this.startBin = startBin;
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    Inputs in = inputs(histogram, quant);
    ScreenedSearch.Outcome search = ScreenedSearch.run(in.candidates(false));
    List<SearchPoint> points = new ArrayList<>(in.last - in.first);
    for (int i = in.first; i < in.last; i++) {
      points.add(new SearchPoint(in.centres[i], search.value(i - in.first)));
    }
    return result(stats, quant, in, search.best(), search.value(search.best()), points);
  }

  /**
   * The same pick and objective, each other candidate screened only until it is ruled out. A method
   * of its own, apart from the curve's: the searches of a run without curves make this path hot,
   * and a detailed section's search with its curve then neither deoptimizes nor recompiles it
   * (HotSpot compiles a method for the branches it has seen taken).
   */
  @Override
  protected CalibrationResult searchWithoutCurves(
      TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    Inputs in = inputs(histogram, quant);
    NvMseSearch.Pick pick = in.candidates(true).pick();
    return result(stats, quant, in, pick.index(), pick.value(), null);
  }

  /**
   * The tool's float32 centres and counts, the candidates first .. last − 1 and the notes of a
   * search.
   */
  private static final class Inputs {
    final float[] centres;
    final float[] counts;
    final int first;
    final int last;
    final float bound;
    final List<String> notes;

    Inputs(float[] centres, float[] counts, int first, int last, float bound, List<String> notes) {
      this.centres = centres;
      this.counts = counts;
      this.first = first;
      this.last = last;
      this.bound = bound;
      this.notes = notes;
    }

    NvMseSearch candidates(boolean pickOnly) {
      return new NvMseSearch(
          centres, counts, first, last, bound, centres.length >= SCREEN_MIN_BINS, pickOnly);
    }
  }

  private Inputs inputs(Histogram histogram, QuantSpec quant) {
    int n = histogram.binCount();
    float[] centres = new float[n];
    float[] counts = new float[n];
    cast(histogram, centres, counts);
    List<String> notes = new ArrayList<>();
    int first = startBin;
    if (n - 1 <= first) {
      notes.add(
          "fewer than "
              + (startBin + 2)
              + " bins: searched every centre from bin 0"
              + " (upstream raises on an empty argmin)");
      first = 0;
    }
    if (quant.scheme() == Scheme.FP8_E4M3 || quant.scheme() == Scheme.FP8_E5M2) {
      notes.add("FP8 scheme: searched on the 8-bit integer grid");
    }
    float bound = quant.halfLevels() - 1;
    // n = 1 leaves no candidate at all: the only centre is the answer.
    int last = Math.max(first + 1, n - 1);
    return new Inputs(centres, counts, first, last, bound, notes);
  }

  /** The result of candidate {@code index} of value {@code value}, with the curve unless null. */
  private static CalibrationResult result(
      TensorStatistics stats,
      QuantSpec quant,
      Inputs in,
      int index,
      double value,
      List<SearchPoint> points) {
    int best = in.first + index;
    CalibrationResult.Builder result =
        CalibrationResult.builder(
                NAME, ClipRange.ofAmax(in.centres[best], stats.range(), quant), quant)
            .objective(value);
    if (points != null) {
      result.curve("mse", points);
    }
    result.detail("bin", best);
    in.notes.forEach(result::note);
    return result.build();
  }

  /**
   * The float32 centres and counts of {@code histogram}, as upstream casts them. A method of its
   * own so that {@link #search} keeps no loop: a per-channel run calls it for thousands of small
   * histograms, and its loop made C2 compile it on-stack (with the whole search inlined) besides
   * the search's own compilation (JFR {@code jdk.Compilation}).
   */
  private static void cast(Histogram histogram, float[] centres, float[] counts) {
    for (int j = 0; j < centres.length; j++) {
      centres[j] = ((float) histogram.edge(j) + (float) histogram.edge(j + 1)) / 2f;
      counts[j] = histogram.count(j);
    }
  }
}
