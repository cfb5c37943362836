package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.calib.screen.ScreenedSearch;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code entropy:ncnn}: ncnn's KL calibration ({@code Tencent/ncnn tools/quantize/ncnn2table.cpp,
 * QuantNet::quantize_KL}), reproduced operation by operation in float32 (docs/design/algorithms.md
 * §2).
 *
 * <ul>
 *   <li>The histogram is normalised once, {@code hn_j = (float)(h_j / (double) Σh)}.
 *   <li>Candidates t = 128 … n−1 (ncnn: n = 2048, so 2048 itself is never tried); above 8 bits the
 *       first candidate is nq, so that every interval spans at least one bin.
 *   <li>P_j = 1e-4f + hn_j for j &lt; t, then the outliers hn_j (j ≥ t) are added one by one to
 *       P_{t−1}. Nothing is renormalised.
 *   <li>Q: [0, t) is cut into nq = {@link QuantSpec#halfLevels()} (128 for int8) intervals of t/nq
 *       bins with float32 ends {@code j·(t/nq)} (the last starting at {@code t − t/nq}); each
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
 * <p>The search ({@link NcnnSearch}) is screened (see {@link NcnnScreen}) from {@value
 * #SCREEN_MIN_BINS} bins on: every candidate's float32 KL is bounded in O(levels) and only those
 * that can still be the minimum are evaluated bin by bin, so the threshold and the objective are
 * exactly ncnn's; in the {@code kl} curve the other candidates carry the middle of their interval
 * (within about 1e-5 absolute of their float32 KL for 2048 bins and int8).
 *
 * <p>ncnn's histogram skips exact zeros ({@code if (ptr[k] == 0.f) continue}) and bins with {@code
 * min((int)(|x|/absmax·2048), 2047)}; a qcal |x| histogram counts zeros in bin 0, so on a tensor
 * with many exact zeros the result matches ncnn only when the histogram was built without them. The
 * threshold formula assumes the histogram starts at 0 (noted otherwise).
 */
public final class NcnnEntropyCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "entropy:ncnn";

  /** ncnn's {@code target_bin}: the first candidate. */
  public static final int START_BIN = 128;

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
    ScreenedSearch.Outcome search =
        ScreenedSearch.run(new NcnnSearch(hn, first, levels, n >= SCREEN_MIN_BINS));
    int best = first + search.best();
    double bestKl = search.value(search.best());
    List<SearchPoint> curve = new ArrayList<>(n - first);
    for (int t = first; t < n; t++) {
      curve.add(new SearchPoint(threshold(t, absmax, n), search.value(t - first)));
    }
    CalibrationResult.Builder result =
        CalibrationResult.builder(NAME, ClipRange.symmetric(threshold(best, absmax, n)), quant)
            .objective(bestKl == Float.MAX_VALUE ? Double.POSITIVE_INFINITY : bestKl)
            .curve("kl", curve)
            .detail("bin", best);
    notes.forEach(result::note);
    return result.build();
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
}
