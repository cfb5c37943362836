package dev.qcal.core.calib.wq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Skipping the boundary searches whose neighbours did not move changes nothing: the same slices,
 * entropy bits, trace and single-candidate count as searching every boundary in every pass, for
 * both arithmetics, odd and even level counts, on atoms of many shapes (smooth, spiky, heavy tails,
 * runs of equal atoms, a few atoms for many levels).
 */
class WeightedEntropySlicerSkipTest {
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void skippingRepeatedSearchesIsTheFullSearch(int shape) {
    SplittableRandom r = new SplittableRandom(100 + shape);
    int skipped = 0;
    for (int trial = 0; trial < 24; trial++) {
      int m = trial % 4 == 0 ? 3 + r.nextInt(20) : 50 + r.nextInt(2500);
      long[] cumCount = new long[m + 1];
      double[] cumImp = new double[m + 1];
      for (int j = 0; j < m; j++) {
        double x = (j + 0.5) / m * 6;
        long c;
        switch (shape) {
          case 0: // gaussian-like magnitudes
            c = 1 + (long) (1e4 * Math.exp(-x * x / 2) * (0.8 + 0.4 * r.nextDouble()));
            break;
          case 1: // a spike at 0 (ReLU) then a tail
            c = j == 0 ? 500_000 : 1 + (long) (3e3 * Math.exp(-x * x / 2) * r.nextDouble());
            break;
          case 2: // heavy tail, many single atoms
            c = 1 + (long) (2e4 / Math.pow(1 + x * 10, 3) * r.nextDouble());
            break;
          case 3: // runs of equal atoms: ties everywhere
            c = 1L + (j / 7) % 3;
            break;
          case 4: // laplace-like
            c = 1 + (long) (5e3 * Math.exp(-x) * (0.5 + r.nextDouble()));
            break;
          default: // raw weights: count 1 each
            c = 1;
        }
        double centre = shape == 5 ? Math.abs(gaussian(r)) * (j + 1) / m : x;
        cumCount[j + 1] = cumCount[j] + c;
        cumImp[j + 1] = cumImp[j] + c * centre * centre;
      }
      int[] levels = {4, 15, 16, 255, 256};
      int numLevel = levels[trial % levels.length];
      for (Arithmetic a : Arithmetic.values()) {
        WeightedEntropySlicer fast = new WeightedEntropySlicer(cumCount, cumImp, numLevel, a, true);
        WeightedEntropySlicer full =
            new WeightedEntropySlicer(cumCount, cumImp, numLevel, a, false);
        WeightedEntropySlicer.Slicing x = fast.run(fast.initialSlices());
        WeightedEntropySlicer.Slicing y = full.run(full.initialSlices());
        String what =
            "shape " + shape + " trial " + trial + " m " + m + " levels " + numLevel + " " + a;
        assertArrayEquals(y.slices(), x.slices(), what);
        assertEquals(
            Double.doubleToLongBits(y.entropy()), Double.doubleToLongBits(x.entropy()), what);
        assertEquals(y.trace(), x.trace(), what);
        assertEquals(y.singleCandidates(), x.singleCandidates(), what);
        skipped += y.trace().size() > 2 ? 1 : 0;
      }
    }
    assertTrue(skipped > 0, "no run had a second pass: nothing was skipped");
  }

  private static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }
}
