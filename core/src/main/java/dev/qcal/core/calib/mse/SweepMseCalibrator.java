package dev.qcal.core.calib.mse;

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
 * The {@code mse:sweep} variant: the candidate grid of NVIDIA TensorRT-Model-Optimizer's {@code
 * modelopt/torch/quantization/calib/mse.py MseCalibrator} (docs/design/algorithms.md §1.6),
 * evaluated on the |x| histogram.
 *
 * <p>Candidates: amax₀ · {@code torch.linspace(0.25, 4.0, 10)} in float32, with amax₀ = max|x|
 * (ModelOpt runs its max calibrator first). Loss: Σ_j h_j·(fq(c_j) − c_j)² over the bin centres
 * c_j, fq the symmetric fake quantization of {@link NvMseCalibrator} (float32, rint, bound 2^(B−1)
 * − 1; the lower clamp never acts on |x|), summed in float64. First argmin.
 *
 * <p><b>An approximation:</b> ModelOpt sums (x − Q(x))² over the raw values of every batch; qcal
 * never keeps raw values, so each value is represented by its bin centre. The error inside a bin
 * (up to half a bin width per value) is ignored, which matters only when the quantization step is
 * comparable to the bin width. The grid itself is ModelOpt's and is coarse: the multipliers are
 * 0.25, 0.667, 1.083, …, 4.0, so only the first two candidates clip at all.
 */
public final class SweepMseCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "mse:sweep";

  /** Number of grid points (ModelOpt's {@code num_steps}). */
  static final int STEPS = 10;

  /** ModelOpt's MSE sweep on the |x| histogram. */
  public SweepMseCalibrator() {
    super(NAME, Domain.ABSOLUTE);
  }

  /**
   * {@code torch.linspace(0.25, 4.0, 10)} in float32: step = (4 − 0.25)/9, the first half counted
   * up from the start and the second half down from the end (ATen {@code RangeFactoriesKernel}).
   */
  static float[] multipliers() {
    float start = 0.25f;
    float end = 4.0f;
    float step = (end - start) / (STEPS - 1);
    float[] m = new float[STEPS];
    int halfway = STEPS / 2;
    for (int i = 0; i < STEPS; i++) {
      m[i] = i < halfway ? start + step * i : end - step * (STEPS - i - 1);
    }
    return m;
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    int n = histogram.binCount();
    float[] centres = new float[n];
    for (int j = 0; j < n; j++) {
      centres[j] = ((float) histogram.edge(j) + (float) histogram.edge(j + 1)) / 2f;
    }
    float amax0 = stats.range().absMax();
    float bound = quant.halfLevels() - 1;
    List<SearchPoint> curve = new ArrayList<>(STEPS);
    float best = 0f;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (float m : multipliers()) {
      float amax = amax0 * m;
      double loss = loss(histogram, centres, amax, bound);
      curve.add(new SearchPoint(amax, loss));
      if (loss < bestLoss) {
        best = amax;
        bestLoss = loss;
      }
    }
    return CalibrationResult.builder(NAME, ClipRange.ofAmax(best, stats.range(), quant), quant)
        .objective(bestLoss)
        .curve("mse", curve)
        .detail("amax0", (double) amax0)
        .note("ModelOpt's raw-data loss approximated on bin centres")
        .build();
  }

  private static double loss(Histogram histogram, float[] centres, float amax, float bound) {
    float scale = bound / amax;
    boolean zero = amax <= ReferenceFloat32.MIN_AMAX;
    double sum = 0;
    for (int j = 0; j < centres.length; j++) {
      long h = histogram.count(j);
      if (h != 0) {
        float fq = zero ? 0f : ReferenceFloat32.fakeQuant(centres[j], scale, bound);
        double d = (double) fq - centres[j];
        sum += h * d * d;
      }
    }
    return sum;
  }

  /** The sweep scales max|x| itself (up to 4×): its range is not bounded by the histogram. */
  @Override
  protected boolean boundedByHistogram() {
    return false;
  }
}
