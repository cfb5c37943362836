package dev.qcal.core.calib.mse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.screen.Screening;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link MseScreen#interval(float, float, double, Screening)} with a limit against the exact
 * float32 MSE, on hand-made edge cases: a candidate is ruled out (a lower bound above the limit, no
 * upper bound) only when its exact MSE lies above the limit, and every lower bound it gives holds.
 * At a limit equal to the candidate's own MSE it must never be ruled out: the run loop's folded
 * cutoff ({@link MseErrorBound#cutoff}) made looser than the bound it stands for, by 0.1% or by
 * 10^-7 alone, fails this test on its first sparse case.
 */
class MseScreenLimitTest {
  private static final float[] BOUNDS = {1, 7, 127, 255, 32767};

  /** One histogram: float32 centres and counts. */
  private record Case(String name, float[] centres, float[] counts) {}

  private static float[] uniformCentres(int n, float hi) {
    float[] c = new float[n];
    for (int j = 0; j < n; j++) {
      float a = (float) (hi * (double) j / n);
      float b = (float) (hi * (double) (j + 1) / n);
      c[j] = (a + b) / 2f;
    }
    return c;
  }

  private static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(13);
    int n = 2048;
    float[] c = uniformCentres(n, 3.7f);
    // Sparse: a few hundred values over 2048 bins, most bins empty.
    float[] sparse = new float[n];
    for (int i = 0; i < 300; i++) {
      sparse[Math.min(n - 1, (int) (Math.abs(r.nextDouble() * r.nextDouble()) * n))]++;
    }
    sparse[n - 1]++;
    out.add(new Case("sparse", c, sparse));
    // Every value in bin 0, and one more at the top.
    float[] zero = new float[n];
    zero[0] = 5000;
    out.add(new Case("all in bin 0", c, zero.clone()));
    zero[n - 1] = 1;
    out.add(new Case("bin 0 and the top", c, zero));
    // One non-empty bin in the middle; two bins only.
    float[] one = new float[n];
    one[1000] = 7;
    out.add(new Case("one bin", c, one));
    out.add(new Case("two bins", new float[] {0.25f, 0.75f}, new float[] {3, 1}));
    // Huge counts: above 2^24 (float counts lose bits, as upstream), totals near 2^50.
    float[] huge = new float[n];
    for (int j = 0; j < n; j++) {
      huge[j] = (float) Math.floor(3e11 * Math.exp(-j / 200.0) + r.nextInt(1000));
    }
    out.add(new Case("huge counts", c, huge));
    // Subnormal and tiny centres at the bottom of an increasing histogram.
    float[] tiny = {0f, Float.MIN_VALUE, 1e-40f, 1e-39f, 1.2e-38f, 1e-30f, 1e-8f, 0.1f, 0.5f, 1f};
    float[] tinyCounts = {4, 3, 5, 2, 6, 1, 9, 2, 1, 1};
    out.add(new Case("subnormal centres", tiny, tinyCounts));
    // Gaussian-like dense counts, the common case.
    float[] dense = new float[n];
    for (int j = 0; j < n; j++) {
      double x = (j + 0.5) / n * 4;
      dense[j] = (float) Math.floor(2e4 * Math.exp(-x * x / 2) + r.nextDouble());
    }
    out.add(new Case("dense", c, dense));
    return out;
  }

  @Test
  void aCandidateIsRuledOutOnlyAboveItsMse() {
    int checked = 0;
    int ruledOutBelow = 0;
    for (Case k : cases()) {
      MseScreen screen = new MseScreen(k.centres(), k.counts());
      assertTrue(screen.usable(), k.name());
      int n = k.centres().length;
      for (float bound : BOUNDS) {
        NvMseSearch exact = new NvMseSearch(k.centres(), k.counts(), 0, n, bound, false);
        Screening out = new Screening();
        for (int i = 0; i < n; i++) {
          double mse = exact.exact(i);
          String what = k.name() + ", bound " + bound + ", candidate " + i + " (MSE " + mse + ")";
          double[] limits = {mse, Math.nextUp(mse), mse * (1 + 1e-9), mse * 2};
          for (double limit : limits) {
            screen.interval(k.centres()[i], bound, limit, out);
            assertTrue(!(out.lo() > mse), what + ": lower bound " + out.lo());
            // Ruled out: a one-sided interval (an unknown one is two-sided, (−∞, ∞)).
            boolean ruledOut =
                out.hi() == Double.POSITIVE_INFINITY && out.lo() > Double.NEGATIVE_INFINITY;
            assertTrue(!ruledOut, what + ": ruled out at limit " + limit);
            checked++;
          }
          // Below its MSE a candidate may be ruled out; its lower bound must still hold.
          for (double limit : new double[] {mse * (1 - 1e-4), mse / 2, 0}) {
            screen.interval(k.centres()[i], bound, limit, out);
            assertTrue(!(out.lo() > mse), what + ": lower bound " + out.lo() + " at " + limit);
            boolean ruledOut =
                out.hi() == Double.POSITIVE_INFINITY && out.lo() > Double.NEGATIVE_INFINITY;
            assertTrue(!ruledOut || out.lo() > limit, what + ": lower bound " + out.lo());
            ruledOutBelow += ruledOut ? 1 : 0;
          }
        }
      }
    }
    assertTrue(checked > 100_000, "checked " + checked);
    // The test is not vacuous: below their MSE many candidates are ruled out.
    assertTrue(ruledOutBelow > 10_000, "ruled out below their MSE: " + ruledOutBelow);
  }
}
