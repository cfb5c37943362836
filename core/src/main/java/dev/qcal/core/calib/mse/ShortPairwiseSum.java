package dev.qcal.core.calib.mse;

import dev.qcal.core.calib.NumpyPairwiseSum;

/**
 * numpy's float32 pairwise sum ({@link NumpyPairwiseSum}) of arrays of one length below 256, bit
 * for bit, without recursion: such a sum splits into at most three blocks of at most 128 values (n
 * → n2 = ⌊n/2⌋ rounded down to a multiple of 8, and the rest, split once more when above 128), each
 * summed by numpy's eight interleaved accumulators, then added as numpy's recursion adds them: b0,
 * b0 + b1, or b0 + (b1 + b2). The blocks are laid out once per length, and summed by one loop over
 * them: the exhaustive {@code mse} search of a per-channel run sums thousands of short arrays of
 * one length per channel, and the recursive sum, inlined level by level, was one of a per-channel
 * run's costliest C2 compilations.
 */
final class ShortPairwiseSum {
  /** The longest array summed here: every block is then at most 128 values. */
  static final int MAX_LENGTH = 255;

  private static final int BLOCK = 128;

  private final int[] starts;
  private final int[] lengths;
  private final int length;

  private ShortPairwiseSum(int[] starts, int[] lengths, int length) {
    this.starts = starts;
    this.lengths = lengths;
    this.length = length;
  }

  /**
   * The sum of arrays of {@code n} values.
   *
   * @throws IllegalArgumentException if {@code n} is negative or above {@value #MAX_LENGTH}
   */
  static ShortPairwiseSum of(int n) {
    if (n < 0 || n > MAX_LENGTH) {
      throw new IllegalArgumentException("Cannot sum " + n + " values in short blocks");
    }
    if (n <= BLOCK) {
      return new ShortPairwiseSum(new int[] {0}, new int[] {n}, n);
    }
    int n2 = half(n);
    int m = n - n2;
    if (m <= BLOCK) {
      return new ShortPairwiseSum(new int[] {0, n2}, new int[] {n2, m}, n);
    }
    int m2 = half(m);
    return new ShortPairwiseSum(new int[] {0, n2, n2 + m2}, new int[] {n2, m2, m - m2}, n);
  }

  /** numpy's split point: n/2 rounded down to a multiple of 8. */
  private static int half(int n) {
    int n2 = n / 2;
    return n2 - n2 % 8;
  }

  /** The float32 sum of {@code a[0, n)} in numpy's order, {@code n} the length this sums. */
  float sum(float[] a) {
    if (a.length < length) {
      throw new IllegalArgumentException(a.length + " values, fewer than " + length);
    }
    float b0 = 0f;
    float b1 = 0f;
    float b2 = 0f;
    for (int k = 0; k < starts.length; k++) {
      float s = NumpyPairwiseSum.block(a, starts[k], lengths[k]);
      if (k == 0) {
        b0 = s;
      } else if (k == 1) {
        b1 = s;
      } else {
        b2 = s;
      }
    }
    switch (starts.length) {
      case 1:
        return b0;
      case 2:
        return b0 + b1;
      default:
        return b0 + (b1 + b2);
    }
  }
}
