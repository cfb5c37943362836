package dev.qcal.core.calib.mse;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.Scheme;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mse} method: NVIDIA pytorch-quantization / ModelOpt
 * {@code calib/histogram.py _compute_amax_mse} on the |x| histogram, reproduced in float32.
 *
 * <p>Reference behaviour (design notes §1.3): counts and edges cast to float32, centres
 * c = (e[j] + e[j+1])/2 in float32; candidates i = startBin .. n − 2 (upstream's
 * {@code range(start_bin, len(centers))} never tries the last centre); for each,
 * fq = symmetric narrow-range fake quantization of every centre at amax = c[i]
 * (bound = 2^(B−1) − 1, or 2^B − 1 for the {@link Scheme#UNSIGNED} scheme, rint half to even),
 * mse = mean((fq − c)² · counts) in float32 (numpy's pairwise summation order), <b>first</b>
 * argmin, amax = c[i]. Counts above 2^24 lose precision in the float32 cast, as upstream.
 *
 * <p>Cost: (n − startBin) × n float32 fake quantizations (about 4M for 2048 bins, a few ms).
 * Fallback: a histogram with no candidate (n − 1 ≤ startBin, where upstream raises on an empty
 * argmin) searches every centre from 0 and says so in a note. FP8 schemes are searched on the
 * 8-bit integer grid (NVIDIA's E4M3 path is not reproduced), with a note.
 */
public final class NvMseCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "mse";

  /** NVIDIA's default first candidate bin. */
  public static final int DEFAULT_START_BIN = 128;

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
    int n = histogram.binCount();
    float[] centres = new float[n];
    float[] counts = new float[n];
    for (int j = 0; j < n; j++) {
      centres[j] = ((float) histogram.edge(j) + (float) histogram.edge(j + 1)) / 2f;
      counts[j] = histogram.count(j);
    }
    List<String> notes = new ArrayList<>();
    int first = startBin;
    if (n - 1 <= first) {
      notes.add(
          "fewer than " + (startBin + 2) + " bins: searched every centre from bin 0"
              + " (upstream raises on an empty argmin)");
      first = 0;
    }
    if (quant.scheme() == Scheme.FP8_E4M3 || quant.scheme() == Scheme.FP8_E5M2) {
      notes.add("FP8 scheme: searched on the 8-bit integer grid");
    }
    float bound = quant.halfLevels() - 1;
    float[] err = new float[n];
    // Empty bins add exactly +0 to every candidate's sum when (fq(c) − c)² is finite, which holds
    // when every |centre| < 1e18 (|fq(c)| ≤ amax, itself a centre): then only the non-empty bins
    // are computed and the others stay 0 in err, so the float32 pairwise sum, and the search, are
    // bit for bit the same. Tails of outlier-heavy tensors are mostly empty bins.
    int[] nonEmpty = new int[n];
    int m = 0;
    float maxAbs = 0;
    for (int j = 0; j < n; j++) {
      if (counts[j] != 0) {
        nonEmpty[m++] = j;
      }
      maxAbs = Math.max(maxAbs, Math.abs(centres[j]));
    }
    boolean sparse = m < n && maxAbs < 1e18f;
    List<SearchPoint> curve = new ArrayList<>(Math.max(0, n - 1 - first));
    int best = -1;
    float bestMse = Float.POSITIVE_INFINITY;
    // n = 1 leaves no candidate at all: the only centre is the answer.
    int last = Math.max(first + 1, n - 1);
    for (int i = first; i < last; i++) {
      float mse =
          sparse && centres[i] > Fp32.MIN_AMAX
              ? sparseMse(centres, counts, nonEmpty, m, centres[i], bound, err)
              : mse(centres, counts, centres[i], bound, err);
      curve.add(new SearchPoint(centres[i], mse));
      if (best < 0 || mse < bestMse) {
        best = i;
        bestMse = mse;
      }
    }
    CalibrationResult.Builder result =
        CalibrationResult.builder(NAME, ClipRange.ofAmax(centres[best], stats.range(), quant), quant)
            .objective(bestMse)
            .curve("mse", curve)
            .detail("bin", best);
    notes.forEach(result::note);
    return result.build();
  }

  /** {@link #mse} computing only the bins {@code nonEmpty[0, m)}; {@code err} is 0 elsewhere. */
  private static float sparseMse(
      float[] centres, float[] counts, int[] nonEmpty, int m, float amax, float bound, float[] err) {
    Fp32.fakeQuantSquaredErrors(centres, counts, nonEmpty, m, bound / amax, bound, err);
    return Fp32.sum(err) / centres.length;
  }

  /** mean((fq(c) − c)² · counts) in float32 at one amax; {@code err} is scratch space. */
  static float mse(float[] centres, float[] counts, float amax, float bound, float[] err) {
    int n = centres.length;
    if (amax <= Fp32.MIN_AMAX) {
      for (int j = 0; j < n; j++) {
        float d = centres[j];
        err[j] = d * d * counts[j];
      }
    } else {
      Fp32.fakeQuantSquaredErrors(centres, counts, bound / amax, bound, err);
    }
    return Fp32.sum(err) / n;
  }
}
