package dev.qcal.core.calib.wq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reusing a boundary search's result for every boundary with the same range (and skipping repeated
 * searches) changes nothing: on random histograms turned into atoms as {@link WqCalibrator} does
 * (empty bins dropped, importance c·centre²), with ReLU-like spikes (a bin of 0 holding 20–80 % of
 * the mass), spikes inside the range, runs of empty bins and sparse tails, the same slices, entropy
 * bits, trace and single-candidate count as searching every boundary in every pass, for both
 * arithmetics and odd and even level counts; and on the spiky histograms some searches are actually
 * reused.
 */
class WeightedEntropySlicerRangeReuseTest {
  private static final int[] LEVELS = {3, 4, 7, 15, 16, 31, 255, 256};

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void reusingRangesIsTheFullSearch(int shape) {
    SplittableRandom r = new SplittableRandom(2017 + 31L * shape);
    int reusedRuns = 0;
    for (int trial = 0; trial < 32; trial++) {
      int bins = trial % 8 == 0 ? 4 + r.nextInt(40) : 64 + r.nextInt(2048);
      long[] counts = histogram(shape, bins, r);
      double width = 0.001 + r.nextDouble();
      long[] cumCount = new long[bins + 1];
      double[] cumImp = new double[bins + 1];
      int atoms = 0;
      for (int j = 0; j < bins; j++) {
        if (counts[j] == 0) {
          continue;
        }
        double centre = (j + 0.5) * width;
        cumCount[atoms + 1] = cumCount[atoms] + counts[j];
        cumImp[atoms + 1] = cumImp[atoms] + counts[j] * centre * centre;
        atoms++;
      }
      if (atoms == 0) {
        continue;
      }
      cumCount = java.util.Arrays.copyOf(cumCount, atoms + 1);
      cumImp = java.util.Arrays.copyOf(cumImp, atoms + 1);
      int numLevel = LEVELS[trial % LEVELS.length];
      for (Arithmetic a : Arithmetic.values()) {
        WeightedEntropySlicer fast = new WeightedEntropySlicer(cumCount, cumImp, numLevel, a, true);
        WeightedEntropySlicer full =
            new WeightedEntropySlicer(cumCount, cumImp, numLevel, a, false);
        WeightedEntropySlicer.Slicing x = fast.run(fast.initialSlices());
        WeightedEntropySlicer.Slicing y = full.run(full.initialSlices());
        String what =
            "shape "
                + shape
                + " trial "
                + trial
                + " atoms "
                + atoms
                + " levels "
                + numLevel
                + " "
                + a;
        assertArrayEquals(y.slices(), x.slices(), what);
        assertEquals(
            Double.doubleToLongBits(y.entropy()), Double.doubleToLongBits(x.entropy()), what);
        assertEquals(y.trace().size(), x.trace().size(), what);
        for (int i = 0; i < y.trace().size(); i++) {
          assertEquals(
              Double.doubleToLongBits(y.trace().get(i).threshold()),
              Double.doubleToLongBits(x.trace().get(i).threshold()),
              what);
          assertEquals(
              Double.doubleToLongBits(y.trace().get(i).objective()),
              Double.doubleToLongBits(x.trace().get(i).objective()),
              what);
        }
        assertEquals(y.singleCandidates(), x.singleCandidates(), what);
        assertTrue(fast.bisections() <= full.bisections(), what);
        reusedRuns += fast.bisections() < full.bisections() ? 1 : 0;
      }
    }
    assertTrue(reusedRuns > 0, "no search was reused or skipped");
  }

  /** Counts of {@code bins} bins of one of the shapes. */
  private static long[] histogram(int shape, int bins, SplittableRandom r) {
    long[] c = new long[bins];
    long body = 0;
    for (int j = 0; j < bins; j++) {
      double x = (j + 0.5) / bins * (3 + 4 * r.nextDouble());
      double density;
      switch (shape) {
        case 0: // ReLU'd gaussian magnitudes
        case 1: // the same with runs of empty bins
          density = Math.exp(-x * x / 2);
          break;
        case 2: // heavy tail: many bins with 0 or 1 values
          density = 1 / Math.pow(1 + x * 3, 4);
          break;
        default: // laplace-like
          density = Math.exp(-2 * x);
      }
      c[j] = (long) (2e4 * density * (0.5 + r.nextDouble()));
      if (shape == 1 && (j / 16) % 3 == 1) {
        c[j] = 0;
      }
      body += c[j];
    }
    // The ReLU spike: the bin of 0 holds a large share of all values (20–80 %).
    double share = 0.2 + 0.6 * r.nextDouble();
    c[0] += (long) (body * share / (1 - share)) + 1;
    // A few inner spikes (quantized or clipped activations).
    for (int s = r.nextInt(3); s > 0; s--) {
      c[r.nextInt(bins)] += (long) (body * r.nextDouble());
    }
    return c;
  }
}
