package dev.qcal.core.calib.mse;

/**
 * PPQ's histogram error model ({@code ppq/quantization/observer/range.py
 * TorchMSEObserver.compute_mse_loss}, Python path), in units of bins: the mass of a bin sits at
 * its centre; a grid of levels starts at bin edge {@code start} and steps {@code step} bins up to
 * {@code end}.
 *
 * <ul>
 *   <li>bin below start: error (start − idx − 1) + 0.5;
 *   <li>bin above end: error (idx − end) + 0.5;
 *   <li>otherwise l = (idx − start) mod step, r = step − l − 1: error l + 0.25 when l = r, else
 *       min(l, r) + 0.5.
 * </ul>
 *
 * loss = Σ count·err²/N, accumulated left to right in float64 as Python does (the C++ kernel
 * {@code hist_mse.cc}, used only with PPQ's CUDA extension, accumulates in float32).
 */
final class PpqBinLoss {
  private PpqBinLoss() {}

  static double loss(double[] counts, double total, int start, int step, int end) {
    double loss = 0;
    for (int idx = 0; idx < counts.length; idx++) {
      double error;
      if (idx < start) {
        error = (start - idx - 1) + 0.5;
      } else if (idx > end) {
        error = (idx - end) + 0.5;
      } else {
        int l = (idx - start) % step;
        int r = step - l - 1;
        error = l == r ? l + 0.25 : Math.min(l + 0.5, r + 0.5);
      }
      loss += counts[idx] * error * error / total;
    }
    return loss;
  }
}
