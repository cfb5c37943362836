package dev.qcal.core.calib.mse;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.QuantSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mse:ppq} and {@code mse:ppq-affine} variants: PPQ {@code
 * ppq/quantization/observer/range.py TorchMSEObserver.hist_to_scale_offset} (openppl-public/ppq at
 * e39eecb, docs/design/algorithms.md §5.4) with the bin-unit error model of {@link PpqBinLoss}.
 *
 * <p>levels = qmax − qmin + 1 = 2^B (PPQ's int8 config is [−128, 127] symmetric, [0, 255]
 * asymmetric); hs = the histogram's bin width. The candidate list starts with a baseline (start 0,
 * step n/levels + 1, end levels·step), then:
 *
 * <ul>
 *   <li>{@link #symmetric} ({@code mse:ppq}, |x| histogram): step = 1 .. n/levels, end =
 *       levels·step; range ±end·hs. Scale per PPQ's {@code minmax_to_scale_offset}: 2·amax/(qmax −
 *       qmin) = amax/127.5 for int8, at least 1e-8, zero point 0 on the grid [−2^(B−1), 2^(B−1) −
 *       1]. <b>Quirk reproduced:</b> the loss models {@code levels} grid steps over [0, end] of the
 *       |x| axis, but the symmetric scale spends only half the levels on [0, amax], so the modelled
 *       step is half the real one (off by a factor of 2).
 *   <li>{@link #asymmetric} ({@code mse:ppq-affine}, signed histogram, min = its first edge): start
 *       = 0, 8, 16, … while start·hs + min ≤ 0; step = 1 .. n/levels; end = start + levels·step
 *       (break when end > n + levels); range (start·hs + min, end·hs + min). Scale (max⁺ −
 *       min⁻)/(qmax − qmin) ≥ 1e-8, offset rint(−min⁻/scale) on [0, 2^B − 1].
 * </ul>
 *
 * The first minimum in candidate order wins ({@code sorted(losses)[0]} is stable). PPQ's histogram
 * spans [0, max|x|] (symmetric) or the data [min, max] (asymmetric); qcal's signed histogram spans
 * [−T, T], so {@code mse:ppq-affine} equals PPQ only on a [min, max] histogram. The quant spec
 * contributes its bit width and power-of-two rounding; the grid is PPQ's.
 */
public final class PpqMseCalibrator extends HistogramCalibrator {
  /** The key of the symmetric variant. */
  public static final String SYMMETRIC_NAME = "mse:ppq";

  /** The key of the asymmetric variant. */
  public static final String ASYMMETRIC_NAME = "mse:ppq-affine";

  /** PPQ's {@code OBSERVER_MSE_COMPUTE_INTERVAL}: the stride of asymmetric start bins. */
  static final int START_INTERVAL = 8;

  /** PPQ's {@code OBSERVER_MIN_SCALE}. */
  static final double MIN_SCALE = 1e-8;

  private final boolean symmetric;

  private PpqMseCalibrator(String name, Domain domain) {
    super(name, domain);
    this.symmetric = domain == Domain.ABSOLUTE;
  }

  /** PPQ's symmetric per-tensor MSE observer, on the |x| histogram. */
  public static PpqMseCalibrator symmetric() {
    return new PpqMseCalibrator(SYMMETRIC_NAME, Domain.ABSOLUTE);
  }

  /** PPQ's asymmetric per-tensor MSE observer, on the signed histogram. */
  public static PpqMseCalibrator asymmetric() {
    return new PpqMseCalibrator(ASYMMETRIC_NAME, Domain.SIGNED);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    int n = histogram.binCount();
    double[] counts = new double[n];
    double total = 0;
    for (int j = 0; j < n; j++) {
      counts[j] = histogram.count(j);
      total += counts[j];
    }
    double min = histogram.edge(0);
    double hs = (histogram.edge(n) - min) / n;
    int levels = 1 << quant.bits();
    List<int[]> candidates = candidates(n, levels, hs, min);
    List<SearchPoint> curve = new ArrayList<>(candidates.size());
    int best = 0;
    double bestLoss = Double.POSITIVE_INFINITY;
    // The candidates of one start are evaluated together (PpqBinLoss.losses, the same values as
    // one loss call each), then taken in PPQ's order.
    int size = candidates.size();
    int maxStep = 1;
    for (int[] c : candidates) {
      maxStep = Math.max(maxStep, c[1]);
    }
    PpqBinLoss.Table table = null;
    int[] steps = new int[size];
    int[] ends = new int[size];
    double[] losses = new double[size];
    for (int k = 0; k < size; ) {
      int start = candidates.get(k)[0];
      int run = 0;
      while (k + run < size && candidates.get(k + run)[0] == start) {
        steps[run] = candidates.get(k + run)[1];
        ends[run] = candidates.get(k + run)[2];
        run++;
      }
      // The table costs a division per bin and code: worth it for many grids (the asymmetric
      // search's 128 starts), not for the symmetric search's few.
      if (run < 4 || size < 4 * (maxStep + 1)) {
        for (int j = 0; j < run; j++) {
          losses[k + j] = PpqBinLoss.loss(counts, total, start, steps[j], ends[j]);
        }
      } else {
        if (table == null) {
          // A grid of step s has errors of codes ≤ s; more than 16 codes are computed directly.
          table = new PpqBinLoss.Table(counts, total, Math.min(16, maxStep + 1));
        }
        double[] out = new double[run];
        PpqBinLoss.losses(counts, total, table, start, steps, ends, run, out);
        System.arraycopy(out, 0, losses, k, run);
      }
      k += run;
    }
    for (int k = 0; k < size; k++) {
      int[] c = candidates.get(k);
      double loss = losses[k];
      curve.add(new SearchPoint(symmetric ? c[2] * hs : c[2] * hs + min, loss));
      if (loss < bestLoss) {
        best = k;
        bestLoss = loss;
      }
    }
    int[] c = candidates.get(best);
    CalibrationResult.Builder result;
    if (symmetric) {
      double amax = c[2] * hs;
      result =
          CalibrationResult.builder(name(), ClipRange.symmetric(amax), quant)
              .params(symmetricParams(amax, quant));
    } else {
      ClipRange range = new ClipRange(c[0] * hs + min, c[2] * hs + min);
      result = CalibrationResult.builder(name(), range, quant).params(affineParams(range, quant));
    }
    return result
        .objective(bestLoss)
        .curve("mse", curve)
        .detail("startBin", c[0])
        .detail("step", c[1])
        .detail("endBin", c[2])
        .note("PPQ grid of " + levels + " levels and scale convention")
        .build();
  }

  /** (start, step, end) in PPQ's order, baseline first. */
  private List<int[]> candidates(int n, int levels, double hs, double min) {
    List<int[]> out = new ArrayList<>();
    int baseStep = n / levels + 1;
    out.add(new int[] {0, baseStep, levels * baseStep});
    if (symmetric) {
      for (int step = 1; step <= n / levels; step++) {
        int end = levels * step;
        if (end > n + levels) {
          break;
        }
        out.add(new int[] {0, step, end});
      }
      return out;
    }
    for (int start = 0; start < n; start += START_INTERVAL) {
      if (start * hs + min > 0) {
        break;
      }
      for (int step = 1; step <= n / levels; step++) {
        int end = start + levels * step;
        if (end > n + levels) {
          break;
        }
        out.add(new int[] {start, step, end});
      }
    }
    return out;
  }

  /**
   * PPQ symmetric: scale = 2·amax/(qmax − qmin) ≥ 1e-8, zero point 0, grid [−2^(B−1), 2^(B−1) − 1].
   */
  static QuantParams symmetricParams(double amax, QuantSpec quant) {
    long qmax = (1L << (quant.bits() - 1)) - 1;
    long qmin = -(1L << (quant.bits() - 1));
    double scale = Math.max(2 * amax / (qmax - qmin), MIN_SCALE);
    return new QuantParams(quant.powerOfTwo().apply((float) scale), 0, qmin, qmax);
  }

  /**
   * PPQ asymmetric ({@code minmax_to_scale_offset}): min⁻ = min(min, 0), max⁺ = max(max, 0), scale
   * = (max⁺ − min⁻)/(qmax − qmin) ≥ 1e-8, offset = rint(−min⁻/scale) (half to even, as PPQ's
   * Decimal rounding), grid [0, 2^B − 1].
   */
  static QuantParams affineParams(ClipRange range, QuantSpec quant) {
    long qmax = (1L << quant.bits()) - 1;
    double lo = Math.min(range.min(), 0);
    double hi = Math.max(range.max(), 0);
    double scale = Math.max((hi - lo) / qmax, MIN_SCALE);
    float stored = quant.powerOfTwo().apply((float) scale);
    double effective = stored == (float) scale ? scale : stored;
    long offset = (long) Math.rint(-lo / effective);
    return new QuantParams(stored, (int) Math.min(offset, qmax), 0, qmax);
  }

  @Override
  protected QuantParams toolParams(ClipRange range, QuantSpec quant) {
    return symmetric ? symmetricParams(range.amax(), quant) : affineParams(range, quant);
  }
}
