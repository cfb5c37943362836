package dev.qcal.core.calib.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.screen.Screening;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link MseCurveScreen}'s full intervals (through {@link MseScreen#interval(float, float,
 * Screening)}) against {@link MseScreen#interval(float, float, double, Screening)} with a limit no
 * lower bound reaches (MseCurveScreen's loop with a limit for up to 4 levels per bin, MseScreen's
 * chained loop beyond), which gives the full interval too: the same lower bound, upper bound and
 * middle, bit for bit, at every centre and at amax values between, below and above them, on
 * hand-made edge cases, with the bound changing from one call to the next (the thresholds are kept
 * per bound).
 */
class MseCurveScreenTest {
  private static final float[] BOUNDS = {-1, 0, 1, 2, 7, 15, 127, 255, 511};

  /** One histogram: float32 centres and counts. */
  private record Case(String name, float[] centres, float[] counts) {}

  private static float[] uniformCentres(int n, double lo, double hi) {
    float[] c = new float[n];
    for (int j = 0; j < n; j++) {
      float a = (float) (lo + (hi - lo) * j / n);
      float b = (float) (lo + (hi - lo) * (j + 1) / n);
      c[j] = (a + b) / 2f;
    }
    return c;
  }

  private static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(17);
    int n = 512;
    float[] c = uniformCentres(n, 0, 3.7);
    float[] dense = new float[n];
    for (int j = 0; j < n; j++) {
      double x = (j + 0.5) / n * 4;
      dense[j] = (float) Math.floor(2e4 * Math.exp(-x * x / 2) + r.nextDouble());
    }
    out.add(new Case("dense", c, dense));
    float[] sparse = new float[n];
    for (int i = 0; i < 60; i++) {
      sparse[Math.min(n - 1, (int) (r.nextDouble() * r.nextDouble() * n))]++;
    }
    sparse[n - 1]++;
    out.add(new Case("sparse", c, sparse));
    float[] one = new float[n];
    one[300] = 7;
    out.add(new Case("one bin", c, one));
    float[] zero = new float[n];
    zero[0] = 5000;
    out.add(new Case("all in bin 0", c, zero));
    out.add(new Case("two bins", new float[] {0.25f, 0.75f}, new float[] {3, 1}));
    float[] huge = new float[n];
    for (int j = 0; j < n; j++) {
      huge[j] = (float) Math.floor(3e11 * Math.exp(-j / 50.0) + r.nextInt(1000));
    }
    out.add(new Case("huge counts", c, huge));
    float[] tiny = {0f, Float.MIN_VALUE, 1e-40f, 1e-39f, 1.2e-38f, 1e-30f, 1e-8f, 0.1f, 0.5f, 1f};
    out.add(new Case("subnormal centres", tiny, new float[] {4, 3, 5, 2, 6, 1, 9, 2, 1, 1}));
    // Centres on every half-integer and integer: at amax = bound (scale 1) the products sit on the
    // halfway points, where rint rounds to even.
    float[] halves = new float[300];
    float[] ones = new float[300];
    for (int j = 0; j < halves.length; j++) {
      halves[j] = j / 2f;
      ones[j] = 1 + j % 3;
    }
    out.add(new Case("halfway ties", halves, ones));
    // A histogram that does not start at 0, uneven centres (the guess is far off), equal centres.
    out.add(new Case("offset", uniformCentres(n, 100, 101), dense));
    float[] cubes = new float[n];
    for (int j = 0; j < n; j++) {
      cubes[j] = (float) Math.pow((j + 0.5) / n, 3) * 4;
    }
    out.add(new Case("uneven centres", cubes, dense));
    out.add(new Case("equal centres", new float[] {1f, 1f, 1f}, new float[] {1, 2, 3}));
    return out;
  }

  /**
   * Every centre, the points halfway between neighbours, one below the first, every bound (scale
   * 1), a large amax, and 2^-24 (below which the tool quantizes to 0) and the float above it.
   */
  private static float[] amaxes(float[] c) {
    List<Float> a = new ArrayList<>();
    for (int j = 0; j < c.length; j++) {
      a.add(c[j]);
      if (j + 1 < c.length) {
        a.add((c[j] + c[j + 1]) / 2f);
      }
    }
    a.add(Math.nextDown(c[0]));
    for (float bound : BOUNDS) {
      a.add(bound);
    }
    a.add(c[c.length - 1] * 3f);
    a.add(0x1p-24f);
    a.add(Math.nextUp(0x1p-24f));
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i);
    }
    return out;
  }

  @Test
  void fullIntervalsAreTheGeneralLoopsBitForBit() {
    int compared = 0;
    int finite = 0;
    for (Case k : cases()) {
      MseScreen screen = new MseScreen(k.centres(), k.counts());
      assertTrue(screen.usable(), k.name());
      Screening fast = new Screening();
      Screening general = new Screening();
      for (float amax : amaxes(k.centres())) {
        for (float bound : BOUNDS) { // a new bound every call
          screen.interval(amax, bound, fast);
          screen.interval(amax, bound, Double.MAX_VALUE, general);
          String what = k.name() + ", amax " + amax + ", bound " + bound;
          assertEquals(bits(general.lo()), bits(fast.lo()), what + ": lower bound");
          assertEquals(bits(general.hi()), bits(fast.hi()), what + ": upper bound");
          assertEquals(bits(general.estimate()), bits(fast.estimate()), what + ": middle");
          compared++;
          finite += Double.isFinite(fast.hi()) ? 1 : 0;
        }
      }
    }
    assertTrue(compared > 30_000, "compared " + compared);
    assertTrue(finite > compared / 2, "finite intervals: " + finite + " of " + compared);
  }

  private static long bits(double x) {
    return Double.doubleToRawLongBits(x);
  }
}
