package dev.qcal.core.calib.wq;

import dev.qcal.core.calib.SearchPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Weighted-entropy weight quantization on raw values, exactly as the authors' code: caffe-WQ @
 * 2aa588e {@code src/caffe/util/eh_functions.cu} ({@code eh_weight_quant_update}, option 0, scale
 * 1) with the initial slices of {@code script_for_WQ/quantization_alexnet.py}.
 *
 * <p>Steps: s = sort(w²) ascending (w² in float32), S = float32 inclusive prefix sums summed
 * sequentially (upstream {@code thrust::inclusive_scan}; the order matters in float32), slice[k] =
 * N·(k+1)//half, then the search of {@link WeightedEntropySlicer} in float32 with upstream's NaN
 * for an empty cluster. Outputs: rep_k = sqrt(float32((S[slice[k]−1] − S[slice[k−1]−1]) / count_k))
 * (the RMS; 0 for the zero cluster of an odd num_level), bdr_0 = 0 and bdr_{k+1} = sqrt(S[slice[k]]
 * − S[slice[k]−1]) (|w| of the first weight of cluster k + 1, through the prefix sums as upstream).
 * A weight w maps to sign(w)·rep_k for the last k with |w| ≥ bdr_k.
 *
 * <p>Differences, all where upstream is undefined: NaN and ±Inf are left out (upstream sorts them
 * into the data); S[−1], read out of bounds upstream when a slice is 0, is 0; a boundary search
 * with a single candidate takes it (upstream recurses forever); an empty cluster has no
 * representative (upstream: 0/0 = NaN) and is left out of {@link Solution#levels()} with a note.
 */
public final class WeightedEntropyWeights {

  /**
   * The levels of one weight tensor.
   *
   * @param slices the exclusive end index of each magnitude cluster in the sorted order (length
   *     (numLevel + 1)/2, the last is N)
   * @param levels the representative magnitudes of the non-empty clusters, ascending (mirrored to
   *     ±; 0 is the zero level of an odd num_level)
   * @param boundaries bdr_k, the smallest magnitude of cluster k (bdr_0 = 0), one per cluster
   * @param entropy the weighted entropy H at the final slices
   * @param trace (top level, H) before the first pass and after each pass
   * @param notes fallbacks taken
   */
  public record Solution(
      int[] slices,
      double[] levels,
      double[] boundaries,
      double entropy,
      List<SearchPoint> trace,
      List<String> notes) {

    /** The largest level: the magnitude the top cluster is quantized to. */
    public double amax() {
      return levels.length == 0 ? 0 : levels[levels.length - 1];
    }
  }

  private WeightedEntropyWeights() {}

  /**
   * The authors' levels for {@code values} with {@code numLevel} levels.
   *
   * @throws IllegalArgumentException if numLevel is not in [2, 65536]
   */
  public static Solution onValues(float[] values, int numLevel) {
    checkLevels(numLevel);
    int half = (numLevel + 1) / 2;
    float[] sq = new float[values.length];
    int n = 0;
    for (float w : values) {
      if (Float.isFinite(w)) {
        sq[n++] = w * w;
      }
    }
    sq = Arrays.copyOf(sq, n);
    Arrays.sort(sq);
    long[] cumCount = new long[n + 1];
    double[] cum = new double[n + 1];
    float acc = 0f;
    for (int i = 0; i < n; i++) {
      acc += sq[i];
      cum[i + 1] = acc;
      cumCount[i + 1] = i + 1L;
    }
    List<String> notes = new ArrayList<>();
    if (n < values.length) {
      notes.add((values.length - n) + " NaN/Inf weights left out");
    }
    if (n == 0) {
      notes.add("no finite weights: all levels 0");
      return new Solution(new int[half], new double[] {0}, new double[] {0}, 0, List.of(), notes);
    }
    WeightedEntropySlicer slicer =
        new WeightedEntropySlicer(cumCount, cum, numLevel, Arithmetic.AUTHORS_FLOAT32);
    WeightedEntropySlicer.Slicing s = slicer.run(slicer.initialSlices());
    int[] slices = s.slices();
    double[] reps = new double[half];
    double[] bdr = new double[half];
    for (int k = numLevel % 2; k < half; k++) {
      int from = k == 0 ? 0 : slices[k - 1];
      // QuantInfo::w: float32 (S diff) / float32 count; 0/0 = NaN for an empty cluster.
      float diff = (float) (cum[slices[k]] - cum[from]);
      reps[k] = (float) Math.sqrt(diff / (float) (slices[k] - from));
    }
    for (int k = 0; k < half - 1; k++) {
      int j = slices[k];
      bdr[k + 1] = (float) Math.sqrt((float) (cum[j + 1] - cum[j]));
    }
    return finish(numLevel, slices, reps, bdr, s, notes);
  }

  /**
   * The solution without the empty clusters (the zero level of an odd num_level always stays: 0 is
   * a level even when no weight maps to it).
   */
  static Solution finish(
      int numLevel,
      int[] slices,
      double[] reps,
      double[] bdr,
      WeightedEntropySlicer.Slicing s,
      List<String> notes) {
    int half = slices.length;
    double[] levels = new double[half];
    double[] bounds = new double[half];
    int kept = 0;
    for (int k = 0; k < half; k++) {
      int from = k == 0 ? 0 : slices[k - 1];
      if (slices[k] > from || (k == 0 && numLevel % 2 == 1)) {
        levels[kept] = reps[k];
        bounds[kept] = bdr[k];
        kept++;
      }
    }
    if (kept < half) {
      notes.add((half - kept) + " empty clusters have no representative: left out of the levels");
    }
    if (s.singleCandidates() > 0) {
      notes.add(
          s.singleCandidates()
              + " boundary searches had a single candidate (upstream recUpdate recurses forever"
              + " there)");
    }
    if (kept == 0) {
      return new Solution(
          slices, new double[] {0}, new double[] {0}, s.entropy(), s.trace(), notes);
    }
    return new Solution(
        slices,
        Arrays.copyOf(levels, kept),
        Arrays.copyOf(bounds, kept),
        s.entropy(),
        s.trace(),
        notes);
  }

  static void checkLevels(int numLevel) {
    if (numLevel < 2 || numLevel > 65536) {
      throw new IllegalArgumentException(
          "Cannot run weighted-entropy quantization: num_level must be in [2, 65536] ("
              + numLevel
              + ")");
    }
  }
}
