package dev.qcal.core.calib.mse;

import dev.qcal.core.calib.NumpyPairwiseSum;

/**
 * Float32 arithmetic as the reference tools' tensors do it: numpy's pairwise summation, torch's
 * floor division, and NVIDIA's symmetric fake quantization. Java {@code float} arithmetic is IEEE
 * single precision with round-to-nearest-even, the same as numpy's and torch's CPU kernels.
 */
final class ReferenceFloat32 {
  /** NVIDIA's amax threshold below which a tensor quantizes to zero (2^-24). */
  static final float MIN_AMAX = 0x1p-24f;

  private ReferenceFloat32() {}

  /** {@code np.sum} of a whole float32 array. */
  static float sum(float[] a) {
    return 0f + NumpyPairwiseSum.sum(a, 0, a.length);
  }

  /**
   * Python-style floor division a // b in float32, as torch's {@code div(rounding_mode='floor')}
   * and numpy's {@code floor_divide} compute it (via fmod, so that the quotient is consistent with
   * the remainder rather than {@code floor(a / b)}).
   */
  static float floorDivide(float a, float b) {
    float mod = a % b;
    float div = (a - mod) / b;
    if (mod != 0 && (b < 0) != (mod < 0)) {
      div -= 1f;
    }
    if (div == 0) {
      return Math.copySign(0f, a / b);
    }
    float floor = (float) Math.floor(div);
    if (div - floor > 0.5f) {
      floor += 1f;
    }
    return floor;
  }

  /** 2^23: adding it to a float in [0, 2^23) rounds it to an integer, ties to even. */
  private static final float ROUNDER = 0x1p23f;

  /**
   * {@code err[j] = (fakeQuant(x[j], scale, bound) − x[j])² · counts[j]} for every j, bit for bit
   * as {@link #fakeQuant} gives it, about 5× faster: the MSE search calls this for every candidate,
   * so it is O(bins²) per tensor and was most of pass 2 (500 tensors: ≈20 s of CPU).
   *
   * <p>Why it is exact: {@code (float) Math.rint(v)} of a float v is the float nearest integer
   * (ties to even). For |v| &lt; 2^23, (|v| + 2^23) − 2^23 is exactly that (the sum lies in [2^23,
   * 2^24), where floats are the integers, and IEEE addition rounds to nearest even); the sign is
   * put back by the branch, and ±0 only ever feeds d², where its sign vanishes. For |v| ≥ 2^23 (and
   * ±Inf), v is already an integer and larger than any bound (≤ 2^15), so both clamp it to ±bound.
   * NaN passes both clamps in both forms (its payload may differ). The clamps are comparisons
   * instead of {@code Math.min/max}, which agree on every non-NaN input. The division by the scale
   * stays (a product with the reciprocal would round differently). {@code ReferenceFloat32Test}
   * compares both forms.
   */
  static void fakeQuantSquaredErrors(
      float[] x, float[] counts, float scale, float bound, float[] err) {
    for (int j = 0; j < x.length; j++) {
      err[j] = squaredError(x[j], counts[j], scale, bound);
    }
  }

  /**
   * {@link #fakeQuantSquaredErrors(float[], float[], float, float, float[])} at the bins listed in
   * {@code bins} only, the same term for each; the other slots of {@code err} are left as they are.
   */
  static void fakeQuantSquaredErrors(
      float[] x, float[] counts, float scale, float bound, float[] err, int[] bins) {
    for (int j : bins) {
      err[j] = squaredError(x[j], counts[j], scale, bound);
    }
  }

  private static float squaredError(float c, float count, float scale, float bound) {
    float v = c * scale;
    float a = Math.abs(v);
    float r = (a + ROUNDER) - ROUNDER;
    r = a < ROUNDER ? r : a;
    float q = v < 0 ? -r : r;
    q = q > bound ? bound : q;
    q = q < -bound ? -bound : q;
    float d = q / scale - c;
    return d * d * count;
  }

  /**
   * NVIDIA's symmetric fake quantization of x at {@code amax} with integer bound {@code bound}
   * (narrow range [−bound, bound]): scale = bound/amax, rint(x·scale) clamped, divided by the
   * scale, all in float32 ({@code tensor_quant.py _tensor_quant}, {@code tensor_quant_gpu.cu}).
   * amax ≤ 2^-24 quantizes everything to 0.
   */
  static float fakeQuant(float x, float scale, float bound) {
    float q = (float) Math.rint(x * scale);
    q = Math.max(-bound, Math.min(bound, q));
    return q / scale;
  }
}
