package dev.qcal.core.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link RangeStatsAccumulator#add} gives exactly (bit for bit, ±0 included) the statistics of the
 * plain loop over {@link Math#min(float, float)} and {@link Math#max(float, float)} it replaced.
 */
class RangeStatsAddEquivalenceTest {

  /** The reference: one value at a time, Math.min/max on finite values. */
  private static RangeStats reference(float[] v, int from, int to) {
    long nan = 0;
    long posInf = 0;
    long negInf = 0;
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) {
      if (Float.isNaN(v[i])) {
        nan++;
      } else if (v[i] == Float.POSITIVE_INFINITY) {
        posInf++;
      } else if (v[i] == Float.NEGATIVE_INFINITY) {
        negInf++;
      } else {
        lo = Math.min(lo, v[i]);
        hi = Math.max(hi, v[i]);
      }
    }
    return RangeStats.of(to - from, nan, posInf, negInf, lo, hi);
  }

  private static final float[] SPECIALS = {
    Float.NaN,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    0f,
    -0f,
    Float.MIN_VALUE,
    -Float.MIN_VALUE,
    Float.MAX_VALUE,
    -Float.MAX_VALUE,
    Float.MIN_NORMAL,
    Float.intBitsToFloat(0xffc00001)
  };

  @Test
  void randomArraysWithSpecialsMatchTheReference() {
    for (int seed = 0; seed < 400; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      int n = 1 + random.nextInt(seed < 200 ? 8 : 3000);
      float[] v = new float[n];
      int kind = seed % 5;
      for (int i = 0; i < n; i++) {
        double g = random.nextGaussian();
        v[i] =
            kind == 0
                ? (float) g
                : kind == 1
                    ? (float) Math.max(0, g) // ReLU: min is +0
                    : kind == 2
                        ? (float) Math.min(0, g) * -0f // only ±0
                        : kind == 3
                            ? -(float) Math.abs(g) // all negative, max near -0
                            : SPECIALS[random.nextInt(SPECIALS.length)];
        if (kind != 4 && random.nextInt(50) == 0) {
          v[i] = SPECIALS[random.nextInt(SPECIALS.length)];
        }
      }
      int from = random.nextInt(n);
      int to = from + random.nextInt(n - from + 1);
      RangeStats expected = reference(v, from, to);
      // In one call, and in two calls that meet anywhere.
      assertEquals(
          expected, new RangeStatsAccumulator().add(v, from, to).snapshot(), "seed " + seed);
      int mid = from + random.nextInt(to - from + 1);
      RangeStatsAccumulator acc = new RangeStatsAccumulator().add(v, from, mid).add(v, mid, to);
      assertEquals(expected, acc.snapshot(), "seed " + seed);
    }
  }

  /**
   * A slice holding a NaN or ±Inf anywhere is added again by the counting loop, starting from the
   * statistics before it: every special value at every position of short slices, alone and after an
   * earlier slice, with finite neighbours on either side of it.
   */
  @Test
  void aSpecialValueAtEveryPositionMatchesTheReference() {
    float[] before = {0.5f, -3f, 1e-3f};
    for (float special : SPECIALS) {
      for (int n = 1; n <= 19; n++) {
        for (int at = 0; at < n; at++) {
          float[] v = new float[n + 2];
          for (int i = 0; i < v.length; i++) {
            v[i] = (i % 3 == 0 ? -1 : 1) * (0.25f + i) * (n % 2 == 0 ? 1e-40f : 1f);
          }
          v[1 + at] = special;
          String what = "special " + special + " at " + at + " of " + n;
          assertEquals(
              reference(v, 1, n + 1),
              new RangeStatsAccumulator().add(v, 1, n + 1).snapshot(),
              what);
          float[] all = new float[before.length + n];
          System.arraycopy(before, 0, all, 0, before.length);
          System.arraycopy(v, 1, all, before.length, n);
          assertEquals(
              reference(all, 0, all.length),
              new RangeStatsAccumulator().add(before).add(v, 1, n + 1).snapshot(),
              what + " after a finite slice");
        }
      }
    }
  }

  /** A slice of NaN and ±Inf only leaves the extremes of the finite values before it alone. */
  @Test
  void aSliceWithoutFiniteValuesKeepsTheExtremes() {
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    assertEquals(
        RangeStats.of(5, 1, 1, 1, -0f, 2f),
        new RangeStatsAccumulator().add(new float[] {2f, -0f}).add(specials).snapshot());
    assertEquals(
        RangeStats.of(3, 1, 1, 1, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY),
        new RangeStatsAccumulator().add(specials).add(new float[0]).snapshot());
  }

  @Test
  void signedZerosOrderAsMathMinAndMax() {
    RangeStats zeros = RangeStats.of(0f, -0f, 0f);
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(zeros.min()));
    assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(zeros.max()));
    RangeStats negativeZeros = RangeStats.of(-0f, -0f);
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(negativeZeros.max()));
  }
}
