package dev.qcal.core.calib.mse;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.WeightedHistogram;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.Scheme;

/**
 * The {@code mse:torch} variant: PyTorch {@code torch/ao/quantization/observer.py
 * HistogramObserver} — {@code _non_linear_param_search} (a port of caffe2 dnnlowp's L2
 * "NormMinimization"), {@code _compute_quantization_error} ({@link TorchQuantError}) and {@code
 * _calculate_qparams} — on the signed histogram (docs/design/algorithms.md §6.2, §6.4).
 *
 * <p>Search: bw = (max − min)/bins, cSum = cumsum(hist) as float32, α = 0, β = 1, step 1e-5,
 * [start, end] = [0, bins − 1]. While α < β: l = first index ≥ start with cSum[l] ≥ (α +
 * 1e-5)·total (capped at end), r = last index ≤ end with cSum[r] ≤ (β − 1e-5)·total (floored at
 * start), both compared in float32; move the side that jumps more bins (the start on l − start >
 * end − r, which advances α, else the end, which lowers β); skip if nothing moved; otherwise
 * compute the error of the new range and <b>stop at the first increase</b> (greedy, the first local
 * minimum), else accept. The range is [min + bw·start, min + bw·(end + 1)] in float32.
 *
 * <p><b>Quirk reproduced:</b> the error model uses dst_nbins = 2^bits of torch's dtype = 256 for
 * every 8-bit dtype, even when a custom quant_min/quant_max gives fewer levels (e.g. 4-bit), so the
 * search ignores the real number of levels. qcal uses 256 for bit widths ≤ 8 (as torch does for
 * quint8/qint8 with any custom range) and 65536 for 9..16 bits (torch's int16/uint16 dtypes).
 *
 * <p>Scale and zero point per {@code _calculate_qparams} in float32 (min⁻ = min(lo, 0), max⁺ =
 * max(hi, 0), eps = float32 epsilon, torch.round = half to even): affine schemes (default quint8,
 * per_tensor_affine) scale = (max⁺ − min⁻)/(qmax − qmin), zp = clamp(qmin − round(min⁻/scale)) on
 * the scheme's grid; {@link Scheme#SYMMETRIC} follows torch's per_tensor_symmetric qint8: scale =
 * max(−min⁻, max⁺)/((qmax − qmin)/2) on [−2^(B−1), 2^(B−1) − 1] (amax/127.5), zp 0; other schemes
 * keep qcal's parameters (with a note).
 *
 * <p>Torch's histogram spans the data [min, max]; qcal's signed histogram spans [−T, T]. This
 * calibrator uses the histogram's own edges, so it equals torch exactly on a [min, max] histogram,
 * and on [−T, T] it starts from the wider range (the empty outer bins are shrunk away first).
 */
public final class TorchHistogramCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "mse:torch";

  private static final float EPS = Math.ulp(1f);

  /** PyTorch's HistogramObserver search. */
  public TorchHistogramCalibrator() {
    super(NAME, Domain.SIGNED);
  }

  /** Torch's destination bin count for a bit width: 2^8 up to 8 bits, 2^16 above. */
  static int dstBins(int bits) {
    return bits <= 8 ? 256 : 65536;
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    int bins = histogram.binCount();
    float[] hist = new float[bins];
    for (int j = 0; j < bins; j++) {
      hist[j] = histogram.count(j);
    }
    return search(hist, histogram.edge(0), histogram.edge(bins), quant);
  }

  /**
   * PyTorch keeps its histogram in float32: a HistogramObserver's fractional counts are searched as
   * they are.
   */
  @Override
  public boolean acceptsFractionalCounts() {
    return true;
  }

  @Override
  protected CalibrationResult searchWeighted(
      TensorStatistics stats, WeightedHistogram histogram, QuantSpec quant) {
    return search(
        histogram.floatCounts(), histogram.edge(0), histogram.edge(histogram.binCount()), quant);
  }

  private static CalibrationResult search(float[] hist, double lo, double hi, QuantSpec quant) {
    TorchRangeSearch.Outcome o =
        TorchRangeSearch.run(hist, (float) lo, (float) hi, dstBins(quant.bits()));
    CalibrationResult.Builder result = result(o.lo(), o.hi(), quant);
    if (o.curve().isEmpty()) {
      result.note("no narrower range was tried: kept the whole histogram range");
    }
    return result
        .objective(o.curve().isEmpty() ? Double.NaN : o.norm())
        .curve("mse", o.curve())
        .detail("startBin", o.start())
        .detail("endBin", o.end())
        .detail("min", (double) o.lo())
        .detail("max", (double) o.hi())
        .build();
  }

  static CalibrationResult.Builder result(float lo, float hi, QuantSpec quant) {
    float minNeg = Math.min(lo, 0f);
    float maxPos = Math.max(hi, 0f);
    switch (quant.scheme()) {
      case AFFINE:
      case AFFINE_SIGNED:
        return CalibrationResult.builder(NAME, new ClipRange(lo, hi), quant)
            .params(affineParams(minNeg, maxPos, quant.qmin(), quant.qmax()));
      case SYMMETRIC:
        float amax = Math.max(-minNeg, maxPos);
        long qmin = -(1L << (quant.bits() - 1));
        long qmax = (1L << (quant.bits() - 1)) - 1;
        float scale = Math.max(amax / ((float) (qmax - qmin) / 2f), EPS);
        return CalibrationResult.builder(NAME, ClipRange.symmetric(amax), quant)
            .params(new QuantParams(scale, 0, qmin, qmax));
      default:
        return CalibrationResult.builder(NAME, new ClipRange(lo, hi), quant)
            .note("scheme " + quant.scheme().key() + " has no torch counterpart: qcal's scale");
    }
  }

  /** torch {@code _calculate_qparams}, per_tensor_affine, in float32. */
  static QuantParams affineParams(float minNeg, float maxPos, long qmin, long qmax) {
    float scale = Math.max((maxPos - minNeg) / (float) (qmax - qmin), EPS);
    long zp = qmin - (long) Math.rint(minNeg / scale);
    zp = Math.max(qmin, Math.min(qmax, zp));
    return new QuantParams(scale, (int) zp, qmin, qmax);
  }

  @Override
  protected QuantParams toolParams(ClipRange range, QuantSpec quant) {
    return result((float) range.min(), (float) range.max(), quant).build().params();
  }
}
