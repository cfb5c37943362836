package dev.qcal.core.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link NumpyPairwiseSum#depth}'s table against the recursion it stands for. */
class NumpyPairwiseSumTest {
  @Test
  void depthIsTheRecursionsAtEveryLength() {
    for (int m = 0; m <= 20_000; m++) {
      assertEquals(recursiveDepth(m), NumpyPairwiseSum.depth(m), "m = " + m);
    }
  }

  /**
   * numpy's split: in order below 8, one block up to 128, halves at n/2 down to a multiple of 8.
   */
  private static int recursiveDepth(int m) {
    if (m < 8) {
      return Math.max(0, m - 1);
    }
    if (m <= 128) {
      int end = m - (m % 8);
      return (end / 8 - 1) + 3 + (m - end);
    }
    int m2 = m / 2;
    m2 -= m2 % 8;
    return 1 + Math.max(recursiveDepth(m2), recursiveDepth(m - m2));
  }
}
