package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code entropy:ncnn}: ncnn's KL calibration ({@code Tencent/ncnn tools/quantize/ncnn2table.cpp,
 * QuantNet::quantize_KL}), reproduced operation by operation in float32 (design notes,
 * algorithms.md §2).
 *
 * <ul>
 *   <li>The histogram is normalised once, {@code hn_j = (float)(h_j / (double) Σh)}.
 *   <li>Candidates t = 128 … n−1 (ncnn: n = 2048, so 2048 itself is never tried); above 8 bits
 *       the first candidate is nq, so that every interval spans at least one bin.
 *   <li>P_j = 1e-4f + hn_j for j &lt; t, then the outliers hn_j (j ≥ t) are added one by one to
 *       P_{t−1}. Nothing is renormalised.
 *   <li>Q: [0, t) is cut into nq = {@link QuantSpec#halfLevels()} (128 for int8) intervals of
 *       t/nq bins with float32 ends {@code j·(t/nq)} (the last starting at {@code t − t/nq}); each
 *       interval's value is its mass, partially covered bins counted by their overlap, divided by
 *       its length; it is expanded back with the same overlaps onto bins starting at 1e-4f. Empty
 *       bins are <b>not</b> preserved.
 *   <li>KL = Σ P_j·ln(P_j/Q_j) accumulated in float32 (ncnn calls {@code logf}; Java has only a
 *       double log, rounded to float here, which may differ from glibc's {@code logf} by one ulp on
 *       rare arguments).
 *   <li>The first strict minimum (starting from {@code FLT_MAX}, so the first candidate if every
 *       divergence is infinite); threshold = {@code (t + 0.5f)·absmax/n} in float32, with absmax
 *       the histogram's last edge. ncnn then stores {@code 127/threshold}, the reciprocal of the
 *       scale {@link QuantSpec} gives for (−threshold, threshold).
 * </ul>
 *
 * <p>The search is screened (see {@link NcnnScreen}) from {@value #SCREEN_MIN_BINS} bins on: every
 * candidate's float32 KL is bounded in O(levels) and only those that can still be the minimum are
 * evaluated bin by bin, so the threshold and the objective are exactly ncnn's; in the {@code kl}
 * curve the other candidates carry the middle of their interval (within about 1e-5 absolute of
 * their float32 KL for 2048 bins and int8).
 *
 * <p>ncnn's histogram skips exact zeros ({@code if (ptr[k] == 0.f) continue}) and bins with
 * {@code min((int)(|x|/absmax·2048), 2047)}; a qcal |x| histogram counts zeros in bin 0, so on a
 * tensor with many exact zeros the result matches ncnn only when the histogram was built without
 * them. The threshold formula assumes the histogram starts at 0 (noted otherwise).
 */
public final class NcnnEntropyCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "entropy:ncnn";

  /** ncnn's {@code target_bin}: the first candidate. */
  public static final int START_BIN = 128;

  private static final float KL_EPS = 0.0001f;

  /** Below this many bins every candidate is evaluated exactly (the screen would not pay). */
  static final int SCREEN_MIN_BINS = 256;

  /** ncnn's search. */
  public NcnnEntropyCalibrator() {
    super(NAME, Domain.ABSOLUTE);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    int n = histogram.binCount();
    float absmax = (float) histogram.edge(n);
    int levels = quant.halfLevels();
    List<String> notes = new ArrayList<>();
    if (histogram.edge(0) != 0) {
      notes.add("histogram does not start at 0: ncnn's threshold (t+0.5)*absmax/n assumes it does");
    }
    // ncnn's intervals need at least one bin each (t ≥ nq); only matters above 8 bits.
    int first = Math.max(START_BIN, levels);
    if (n - 1 < first) {
      CalibrationResult.Builder r =
          CalibrationResult.builder(NAME, ClipRange.symmetric(absmax), quant)
              .note(
                  String.format(
                      "histogram has %d bins: no candidate in [%d, %d), fell back to the"
                          + " histogram's max",
                      n, first, n));
      notes.forEach(r::note);
      return r.build();
    }
    float[] hn = normalised(histogram);
    float[] kl = new float[n - first];
    int best = search(hn, first, levels, kl, n >= SCREEN_MIN_BINS, null);
    float bestKl = kl[best - first];
    List<SearchPoint> curve = new ArrayList<>(n - first);
    for (int t = first; t < n; t++) {
      curve.add(new SearchPoint(threshold(t, absmax, n), kl[t - first]));
    }
    CalibrationResult.Builder result =
        CalibrationResult.builder(NAME, ClipRange.symmetric(threshold(best, absmax, n)), quant)
            .objective(bestKl == Float.MAX_VALUE ? Double.POSITIVE_INFINITY : bestKl)
            .curve("kl", curve)
            .detail("bin", best);
    notes.forEach(result::note);
    return result.build();
  }

  /**
   * ncnn's pick among candidates {@code first .. n − 1} (n = hn.length): the first strict minimum
   * from {@code FLT_MAX}. Fills {@code kl[t − first]}: every candidate's float32 KL when {@code
   * screened} is false; when true, exact for the candidates the {@link NcnnScreen} cannot rule out
   * and the middle of the interval for the others. {@code intervals}, when not null, receives each
   * candidate's screen interval (lo, hi pairs; for tests).
   */
  static int search(
      float[] hn, int first, int levels, float[] kl, boolean screened, double[] intervals) {
    int n = hn.length;
    float[] clip = new float[n];
    float[] quantized = new float[levels];
    float[] expanded = new float[n];
    NcnnScreen screen = screened ? new NcnnScreen(hn, levels) : null;
    boolean useScreen = screen != null && screen.usable();
    double[] lo = null;
    double limit = Double.POSITIVE_INFINITY;
    if (useScreen) {
      lo = new double[n - first];
      for (int t = first; t < n; t++) {
        screen.interval(t);
        lo[t - first] = screen.lo;
        limit = Math.min(limit, screen.hi);
        kl[t - first] = (float) screen.estimate;
        if (intervals != null) {
          intervals[2 * (t - first)] = screen.lo;
          intervals[2 * (t - first) + 1] = screen.hi;
        }
      }
    }
    int best = first;
    float bestKl = Float.MAX_VALUE;
    for (int t = first; t < n; t++) {
      // Above some candidate's upper bound: not the minimum. Every candidate at the minimum is
      // evaluated exactly, in order, so the first strict minimum is ncnn's.
      if (useScreen && lo[t - first] > limit) {
        continue;
      }
      float value = kl(hn, t, levels, clip, quantized, expanded);
      kl[t - first] = value;
      if (value < bestKl) {
        bestKl = value;
        best = t;
      }
    }
    return best;
  }

  /** ncnn's float32 KL of candidate t; the arrays are scratch space. */
  static float kl(
      float[] hn, int t, int levels, float[] clip, float[] quantized, float[] expanded) {
    clipped(hn, t, clip);
    float perBin = (float) t / levels;
    quantize(hn, t, perBin, quantized);
    expand(quantized, t, perBin, expanded);
    float kl = 0;
    for (int j = 0; j < t; j++) {
      kl += clip[j] * Float32Log.log(clip[j] / expanded[j]);
    }
    return kl;
  }

  /** ncnn: {@code (target_threshold + 0.5f) * absmax / num_histogram_bins}, in float32. */
  private static float threshold(int t, float absmax, int n) {
    return (t + 0.5f) * absmax / n;
  }

  static float[] normalised(Histogram histogram) {
    int n = histogram.binCount();
    long sum = histogram.total();
    float[] hn = new float[n];
    for (int j = 0; j < n; j++) {
      hn[j] = (float) (histogram.count(j) / (double) sum);
    }
    return hn;
  }

  /** P: 1e-4 + hn on [0, t), the outliers added one by one to the last kept bin. */
  private static void clipped(float[] hn, int t, float[] clip) {
    for (int j = 0; j < t; j++) {
      clip[j] = KL_EPS;
      clip[j] += hn[j];
    }
    for (int j = t; j < hn.length; j++) {
      clip[t - 1] += hn[j];
    }
  }

  /** The nq interval values (mass over length), with fractional overlaps, as ncnn orders them. */
  private static void quantize(float[] hn, int t, float perBin, float[] q) {
    int levels = q.length;
    java.util.Arrays.fill(q, 0f);
    {
      float end = perBin;
      int rightLower = (int) Math.floor(end);
      float rightScale = end - rightLower;
      if (rightScale > 0) {
        q[0] += rightScale * hn[rightLower];
      }
      for (int k = 0; k < rightLower; k++) {
        q[0] += hn[k];
      }
      q[0] /= rightLower + rightScale;
    }
    for (int j = 1; j < levels - 1; j++) {
      float start = j * perBin;
      float end = (j + 1) * perBin;
      int leftUpper = (int) Math.ceil(start);
      float leftScale = leftUpper - start;
      int rightLower = (int) Math.floor(end);
      float rightScale = end - rightLower;
      if (leftScale > 0) {
        q[j] += leftScale * hn[leftUpper - 1];
      }
      if (rightScale > 0) {
        q[j] += rightScale * hn[rightLower];
      }
      for (int k = leftUpper; k < rightLower; k++) {
        q[j] += hn[k];
      }
      q[j] /= rightLower - leftUpper + leftScale + rightScale;
    }
    {
      float start = t - perBin;
      int leftUpper = (int) Math.ceil(start);
      float leftScale = leftUpper - start;
      if (leftScale > 0) {
        q[levels - 1] += leftScale * hn[leftUpper - 1];
      }
      for (int k = leftUpper; k < t; k++) {
        q[levels - 1] += hn[k];
      }
      q[levels - 1] /= t - leftUpper + leftScale;
    }
  }

  /** Q: the interval values spread back over [0, t) with the same overlaps, from 1e-4. */
  private static void expand(float[] q, int t, float perBin, float[] out) {
    int levels = q.length;
    for (int j = 0; j < t; j++) {
      out[j] = KL_EPS;
    }
    {
      float end = perBin;
      int rightLower = (int) Math.floor(end);
      float rightScale = end - rightLower;
      if (rightScale > 0) {
        out[rightLower] += rightScale * q[0];
      }
      for (int k = 0; k < rightLower; k++) {
        out[k] += q[0];
      }
    }
    for (int j = 1; j < levels - 1; j++) {
      float start = j * perBin;
      float end = (j + 1) * perBin;
      int leftUpper = (int) Math.ceil(start);
      float leftScale = leftUpper - start;
      int rightLower = (int) Math.floor(end);
      float rightScale = end - rightLower;
      if (leftScale > 0) {
        out[leftUpper - 1] += leftScale * q[j];
      }
      if (rightScale > 0) {
        out[rightLower] += rightScale * q[j];
      }
      for (int k = leftUpper; k < rightLower; k++) {
        out[k] += q[j];
      }
    }
    {
      float start = t - perBin;
      int leftUpper = (int) Math.ceil(start);
      float leftScale = leftUpper - start;
      if (leftScale > 0) {
        out[leftUpper - 1] += leftScale * q[levels - 1];
      }
      for (int k = leftUpper; k < t; k++) {
        out[k] += q[levels - 1];
      }
    }
  }
}
