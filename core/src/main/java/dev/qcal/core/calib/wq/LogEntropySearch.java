package dev.qcal.core.calib.wq;

import dev.qcal.core.calib.SearchPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The log-domain level search of caffe-WQ's {@code WeightLogQuantReLU} ({@code
 * src/caffe/layers/weight_log_quant_relu_layer.cu} @ 2aa588e: {@code Forward_gpu}, {@code LQInfo}),
 * reproduced exactly, in float32 as upstream, on a histogram of ⌊16·log2 x⌋ of the positive values.
 *
 * <p>Input: {@code counts[b]} = number of positive x with 16·log2 x in [b + offset, b + offset + 1)
 * (upstream: 1024 bins, offset −640; qcal's LOG2 histogram: offset 16·lo). Steps:
 *
 * <ol>
 *   <li>C = inclusive cumulative sum; lo = last index with C = 0 (−1 when bin 0 is not empty; C[−1]
 *       is then 0, an index upstream never actually reads), hi = first index reaching max C, length
 *       = hi − lo + 1, C'[j] = C[lo + j], offset' = offset + lo, N = C[hi] (the positive values
 *       only: zeros and negatives are not in N, following upstream's histogram).
 *   <li>For half-step h = 1..16 and fsr = 40 .. length − h·(2L − 5) − 1: level k = 1..L−1 covers
 *       the sub-bins [fsr + (2k−3)h, fsr + (2k−1)h) (the top level is open above), p_k = counts/N,
 *       v_k = 2^((fsr + (k−1)·2h + offset')/16) (the level's value as its importance), H = −Σ
 *       v_k·p_k·ln p_k over p_k > 0. The first strictly larger H wins, starting from 0.
 *   <li>Levels: {0} ∪ {2^((O + k·2h)/16), k = 0..L−2} with O = fsr + offset' (1/16-octave units).
 * </ol>
 *
 * <p>Where upstream has no answer (no positive value, or fewer sub-bins than one candidate needs:
 * it would keep fsr = h = 0 and emit levels derived from the search offset alone), {@link #search}
 * returns a result with {@link Result#found()} false and the reason.
 */
public final class LogEntropySearch {
  /** Sub-bins per octave (upstream BASE_SIZE). */
  public static final int PER_OCTAVE = 16;

  /** Upstream's first fsr candidate. */
  public static final int FIRST_FSR = 40;

  /** Upstream's largest half-step. */
  public static final int MAX_HALF_STEP = 16;

  /**
   * The search's outcome.
   *
   * @param reason why nothing was found (empty when a candidate had H > 0)
   * @param fsr the chosen fsr, relative to lo (upstream's {@code max_fsr})
   * @param halfStep h (upstream's {@code max_half_step}); the step is 2h
   * @param offset O = fsr + offset + lo, the first non-zero level in 1/16 octaves
   * @param entropy H at the choice
   * @param levels {0, 2^(O/16), 2^((O + 2h)/16), …}, float32 as upstream, ascending
   * @param positives N, the number of positive values in the histogram
   * @param curve H against the top level for every fsr of the chosen h
   */
  public record Result(
      String reason,
      int fsr,
      int halfStep,
      int offset,
      double entropy,
      double[] levels,
      long positives,
      List<SearchPoint> curve) {

    /** True when a candidate had H > 0. */
    public boolean found() {
      return reason.isEmpty();
    }

    /** The step between levels in 1/16 octaves (2h). */
    public int step() {
      return 2 * halfStep;
    }

    /** The top level, 2^((O + (L−2)·2h)/16); 0 when nothing was found. */
    public double amax() {
      return levels.length == 0 ? 0 : levels[levels.length - 1];
    }
  }

  private final long[] cum;
  private final int lo;
  private final int length;
  private final int offsetPrime;
  private final long n;
  private final float nf;
  private final int numLevel;

  private LogEntropySearch(long[] counts, int offset, int numLevel) {
    this.numLevel = numLevel;
    cum = new long[counts.length];
    long acc = 0;
    for (int b = 0; b < counts.length; b++) {
      acc += counts[b];
      cum[b] = acc;
    }
    int last = -1;
    int first = 0;
    for (int b = 0; b < cum.length; b++) {
      if (cum[b] == 0) {
        last = b;
      }
      if (cum[b] > cum[first]) {
        first = b;
      }
    }
    this.lo = last;
    this.length = first - last + 1;
    this.offsetPrime = offset + last;
    this.n = acc;
    this.nf = (float) acc;
  }

  /**
   * Runs the search.
   *
   * @param counts the log histogram (not modified)
   * @param offset 16·log2 of the lower edge of bin 0
   * @param numLevel L, the number of levels including 0 (≥ 2)
   * @throws IllegalArgumentException if numLevel < 2 or counts is empty or has a negative count
   */
  public static Result search(long[] counts, int offset, int numLevel) {
    if (numLevel < 2) {
      throw new IllegalArgumentException(
          "Cannot run the log-domain weighted-entropy search: num_level must be at least 2 ("
              + numLevel
              + ")");
    }
    if (counts.length == 0) {
      throw new IllegalArgumentException(
          "Cannot run the log-domain weighted-entropy search: no bins");
    }
    for (long c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException(
            "Cannot run the log-domain weighted-entropy search: negative count (" + c + ")");
      }
    }
    return new LogEntropySearch(counts, offset, numLevel).run();
  }

  private Result run() {
    if (n == 0) {
      return notFound("no positive values (upstream reads past its histogram here)");
    }
    float best = 0;
    int bestFsr = 0;
    int bestHalf = 0;
    for (int h = 1; h <= MAX_HALF_STEP; h++) {
      int end = length - h * (2 * numLevel - 5);
      for (int fsr = FIRST_FSR; fsr < end; fsr++) {
        float ent = entropy(fsr, h);
        if (ent > best) {
          best = ent;
          bestFsr = fsr;
          bestHalf = h;
        }
      }
    }
    if (bestHalf == 0) {
      return notFound(
          "no (fsr, step) candidate: the positive values span "
              + length
              + " sub-octave bins, the search needs more than "
              + (FIRST_FSR + 2 * numLevel - 5)
              + " (upstream keeps fsr = step = 0)");
    }
    List<SearchPoint> curve = new ArrayList<>();
    int end = length - bestHalf * (2 * numLevel - 5);
    for (int fsr = FIRST_FSR; fsr < end; fsr++) {
      curve.add(
          new SearchPoint(
              level(fsr + offsetPrime, numLevel - 1, bestHalf), entropy(fsr, bestHalf)));
    }
    int o = bestFsr + offsetPrime;
    double[] levels = new double[numLevel];
    for (int k = 1; k < numLevel; k++) {
      levels[k] = level(o, k, bestHalf);
    }
    return new Result("", bestFsr, bestHalf, o, best, levels, n, curve);
  }

  private Result notFound(String reason) {
    return new Result(reason, 0, 0, 0, 0, new double[0], n, List.of());
  }

  /** Upstream's {@code rep[k] = pow(2, (float)(O + 2(k−1)h)/16)}, stored as float32. */
  private static double level(int o, int k, int h) {
    float exponent = (float) (o + 2 * (k - 1) * h) / PER_OCTAVE;
    return (float) Math.pow(2.0, exponent);
  }

  /** C'[j] = C[lo + j], with C[−1] = 0 and reads past the end clamped (never reached). */
  private long shifted(int j) {
    int i = lo + j;
    if (i < 0) {
      return 0;
    }
    return cum[Math.min(i, cum.length - 1)];
  }

  /** p_k, upstream's {@code LQInfo::p}: float32(count)/float32(N). */
  private float p(int k, int fsr, int h) {
    int begin = fsr + h * (2 * k - 3);
    if (k == numLevel - 1) {
      return (float) (n - shifted(begin - 1)) / nf;
    }
    int end = fsr + h * (2 * k - 1);
    return (float) (shifted(end - 1) - shifted(begin - 1)) / nf;
  }

  /** Upstream's {@code LQInfo::wEnt}, in float32. */
  private float entropy(int fsr, int h) {
    float ent = 0;
    for (int k = 1; k < numLevel; k++) {
      float prob = p(k, fsr, h);
      if (prob > 0) {
        float w = (float) Math.pow(2.0, (float) (fsr + (k - 1) * 2 * h + offsetPrime) / PER_OCTAVE);
        ent -= w * prob * (float) Math.log(prob);
      }
    }
    return ent;
  }
}
