package dev.qcal.core.calib;

/**
 * numpy's float32 {@code np.sum} of a contiguous array, bit for bit: pairwise summation with eight
 * unrolled accumulators in blocks of 128 ({@code numpy/_core/src/umath/loops_utils.h.src}, {@code
 * pairwise_sum}). Fewer than 8 values are added in order; up to 128 go into 8 interleaved partial
 * sums combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), the remainder added after; longer runs are
 * split at n/2 rounded down to a multiple of 8. The order of the additions is what makes the
 * reference tools' float32 results reproducible (ONNX Runtime, MXNet 1.5, NVIDIA's mse).
 */
public final class NumpyPairwiseSum {
  private static final int BLOCK = 128;

  private NumpyPairwiseSum() {}

  /** The float32 sum of {@code a[from, from + n)} in numpy's order. */
  public static float sum(float[] a, int from, int n) {
    if (n <= BLOCK) {
      return block(a, from, n);
    }
    int n2 = n / 2;
    n2 -= n2 % 8;
    return sum(a, from, n2) + sum(a, from + n2, n - n2);
  }

  /**
   * numpy's sum of one block {@code a[from, from + n)} of at most 128 values, the leaf of {@link
   * #sum}: in order below 8 values, else eight interleaved partial sums and the remainder.
   */
  public static float block(float[] a, int from, int n) {
    if (n < 8) {
      float res = 0f;
      for (int i = 0; i < n; i++) {
        res += a[from + i];
      }
      return res;
    }
    float r0 = a[from];
    float r1 = a[from + 1];
    float r2 = a[from + 2];
    float r3 = a[from + 3];
    float r4 = a[from + 4];
    float r5 = a[from + 5];
    float r6 = a[from + 6];
    float r7 = a[from + 7];
    int i = 8;
    int stop = n - (n % 8);
    for (; i < stop; i += 8) {
      int k = from + i;
      r0 += a[k];
      r1 += a[k + 1];
      r2 += a[k + 2];
      r3 += a[k + 3];
      r4 += a[k + 4];
      r5 += a[k + 5];
      r6 += a[k + 6];
      r7 += a[k + 7];
    }
    float res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) {
      res += a[from + i];
    }
    return res;
  }

  /**
   * The longest chain of additions any term goes through in {@link #sum} of {@code m} terms (for
   * rounding-error bounds γ_depth): up to 7 sequential below 8 terms; in a block of ≤ 128, m/8 − 1
   * in its accumulator, 3 in the final tree and the remainder's ≤ 7; one more per halving above.
   */
  public static int depth(int m) {
    return m >= 0 && m < DEPTHS.length ? DEPTHS[m] : splitDepth(m);
  }

  /**
   * {@link #depth} of every length below 2^13: the mse screen asks for it once per tensor, and the
   * recursion took about 0.8 µs a time (20 000 small tensors, thread CPU). Filled in order, so that
   * each length's halves, shorter, are already in it.
   */
  private static final int[] DEPTHS = new int[1 << 13];

  static {
    for (int m = 0; m < DEPTHS.length; m++) {
      DEPTHS[m] = splitDepth(m);
    }
  }

  /** {@link #depth} from its definition, the halves' depths through {@link #depth}. */
  private static int splitDepth(int m) {
    if (m < 8) {
      return Math.max(0, m - 1);
    }
    if (m <= BLOCK) {
      int end = m - (m % 8);
      return (end / 8 - 1) + 3 + (m - end);
    }
    int m2 = m / 2;
    m2 -= m2 % 8;
    return 1 + Math.max(depth(m2), depth(m - m2));
  }
}
