package dev.qcal.core.calib.mse;

/**
 * PyTorch {@code torch/ao/quantization/observer.py HistogramObserver._compute_quantization_error}
 * in float32: the L2 error of mapping source bins [start, end] onto {@code dstBins} uniform
 * destination bins, each source bin's mass spread uniformly (density h/w) and charged the integral
 * of the squared distance to the nearest destination-bin centre (∫x² = (b³ − a³)/3 for the partial
 * first, the full middle and the partial last destination bin). Destination indices are clamped to
 * [0, dstBins − 1], so mass outside [start, end] is charged against the first or last centre
 * (clipping error).
 *
 * <p>Precision as upstream: the bin width and destination width are Python floats (float64) rounded
 * to float32 where they meet float32 tensors; every per-bin term is float32; the final {@code
 * norm.sum()} is the float32 pairwise sum of numpy (the reference values were produced on a numpy
 * emulation of torch).
 */
final class TorchQuantError {
  private final float[] hist;
  private final double binWidth;
  private final int dstBins;
  private final float[] norm;

  /** Errors for {@code hist} over [min, max] (float32 bounds, as torch's buffers). */
  TorchQuantError(float[] hist, float min, float max, int dstBins) {
    this.hist = hist;
    this.binWidth = ((double) max - (double) min) / hist.length;
    this.dstBins = dstBins;
    this.norm = new float[hist.length];
  }

  /** The error of clipping to source bins [start, end]. */
  double error(int start, int end) {
    int bins = hist.length;
    double dstWidth = binWidth * (end - start + 1) / dstBins;
    if (dstWidth == 0.0) {
      return 0.0;
    }
    float bw = (float) binWidth;
    float dw = (float) dstWidth;
    float half = (float) (dstWidth / 2);
    float negHalf = (float) (-dstWidth / 2);
    float lastDst = dstBins - 1;
    // _get_norm(−dw/2, dw/2): a full destination bin, as a 0-d float32 tensor.
    float full = (half * half * half - negHalf * negHalf * negHalf) / 3f;
    for (int j = 0; j < bins; j++) {
      float srcBegin = (float) (j - start) * bw;
      float srcEnd = srcBegin + bw;
      float dstOfBegin = clamp(ReferenceFloat32.floorDivide(srcBegin, dw), lastDst);
      float dstOfBeginCentre = (dstOfBegin + 0.5f) * dw;
      float dstOfEnd = clamp(ReferenceFloat32.floorDivide(srcEnd, dw), lastDst);
      float density = hist[j] / bw;
      float deltaBegin = srcBegin - dstOfBeginCentre;
      float n = density * ((half * half * half - deltaBegin * deltaBegin * deltaBegin) / 3f);
      n += (dstOfEnd - dstOfBegin - 1f) * (density * full);
      float dstOfEndCentre = dstOfEnd * dw + half;
      float deltaEnd = srcEnd - dstOfEndCentre;
      n += density * ((deltaEnd * deltaEnd * deltaEnd - negHalf * negHalf * negHalf) / 3f);
      norm[j] = n;
    }
    return ReferenceFloat32.sum(norm);
  }

  private static float clamp(float v, float hi) {
    return Math.max(0f, Math.min(hi, v));
  }
}
