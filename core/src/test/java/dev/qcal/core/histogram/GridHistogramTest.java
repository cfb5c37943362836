package dev.qcal.core.histogram;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.stats.RangeStats;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The grid layout: its choice of width, its exact fill, and exact merges across ranges. */
class GridHistogramTest {

  private static Histogram fill(HistogramSpec spec, float... values) {
    return new HistogramAccumulator().add(spec, values, 0, values.length).snapshot();
  }

  private static HistogramSpec spec(Domain d, int bins, float... values) {
    return HistogramSpec.forStats(d, RangeStats.of(values), bins, HistogramLayout.GRID);
  }

  @Test
  void widthIsTheSmallestPowerOfTwoThatCoversTheMax() {
    // max 3, 8 bins: w = 1/2 gives ⌊6⌋ + 1 = 7 ≤ 8 bins; w = 1/4 would need 13.
    HistogramSpec a = HistogramSpec.grid(Domain.ABSOLUTE, 3.0, 8);
    assertEquals(new HistogramSpec(Domain.ABSOLUTE, 0, 3.5, 7, HistogramLayout.GRID), a);
    assertEquals(-1, a.gridExponent());
    // max 4 exactly: w = 1/2 needs ⌊8⌋ + 1 = 9 > 8 bins, so w = 1 and 5 bins [0, 5).
    assertEquals(
        new HistogramSpec(Domain.ABSOLUTE, 0, 5, 5, HistogramLayout.GRID),
        HistogramSpec.grid(Domain.ABSOLUTE, 4.0, 8));
    // SIGNED, max 3, 8 bins: K ≤ 4, w = 1 gives K = 4: [−4, 4) in 8 bins.
    assertEquals(
        new HistogramSpec(Domain.SIGNED, -4, 4, 8, HistogramLayout.GRID),
        HistogramSpec.grid(Domain.SIGNED, 3.0, 8));
    // Bin count in (n/2, n] for ABSOLUTE and the default 2048 bins.
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 1000; i++) {
      double max = Math.scalb(1.0 + r.nextDouble(), r.nextInt(-140, 120));
      int k = HistogramSpec.grid(Domain.ABSOLUTE, (float) max, 2048).binCount();
      assertTrue(k > 1024 && k <= 2048, "bins " + k + " for " + max);
      int s = HistogramSpec.grid(Domain.SIGNED, (float) max, 2048).binCount();
      assertTrue(s > 1024 && s <= 2048, "signed bins " + s + " for " + max);
    }
  }

  @Test
  void degenerateTensorsGetTheNarrowestWidth() {
    HistogramSpec zero = spec(Domain.ABSOLUTE, 2048, 0f, 0f);
    assertEquals(1, zero.binCount());
    assertEquals(HistogramSpec.DEGENERATE_GRID_EXPONENT, zero.gridExponent());
    assertEquals(zero, spec(Domain.ABSOLUTE, 2048, Float.NaN));
    assertEquals(
        zero,
        HistogramSpec.forStats(Domain.ABSOLUTE, RangeStats.EMPTY, 2048, HistogramLayout.GRID));
    // The smallest float32 with the most bins is still wider.
    assertTrue(
        HistogramSpec.grid(Domain.ABSOLUTE, Float.MIN_VALUE, HistogramSpec.MAX_BINS).gridExponent()
            > HistogramSpec.DEGENERATE_GRID_EXPONENT);
    assertEquals(2, spec(Domain.SIGNED, 2048, 0f).binCount());
  }

  @Test
  void binsAreHalfOpenAndExact() {
    HistogramSpec a = HistogramSpec.grid(Domain.ABSOLUTE, 3.0, 8); // w 1/2, [0, 3.5)
    Histogram h =
        fill(a, 0f, 0.5f, -0.4999f, 3f, -3.4999f, 3.5f, Float.NaN, Float.NEGATIVE_INFINITY);
    // 0 → 0; 0.5 → 1 (left edge inclusive); 0.4999 → 0; 3 → 6; 3.4999 → 6; 3.5 above (half-open).
    assertArrayEquals(new long[] {2, 1, 0, 0, 0, 0, 2}, h.counts());
    assertEquals(2, h.above());
    assertEquals(1, h.nan());
    HistogramSpec s = HistogramSpec.grid(Domain.SIGNED, 3.0, 8); // w 1, [−4, 4)
    Histogram g = fill(s, -1e-30f, 0f, 1e-30f, -4f, 3.99f, 4f, -1f, Float.NEGATIVE_INFINITY);
    // −1e-30 → [−1, 0) bin 3 (x − lo would round to 4 and give bin 4); −4 → 0; 3.99 → 7; 4 above.
    assertArrayEquals(new long[] {1, 0, 0, 2, 2, 0, 0, 1}, g.counts());
    assertEquals(1, g.below());
    assertEquals(1, g.above());
  }

  @Test
  void coarseningSumsWholeBins() {
    HistogramSpec fine = new HistogramSpec(Domain.ABSOLUTE, 0, 2, 8, HistogramLayout.GRID); // w 1/4
    HistogramSpec coarse = new HistogramSpec(Domain.ABSOLUTE, 0, 3, 3, HistogramLayout.GRID); // w 1
    Histogram h = Histogram.of(fine, new long[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 9, 10);
    Histogram r = h.regrid(coarse);
    assertArrayEquals(new long[] {10, 26, 0}, r.counts());
    assertEquals(9, r.above());
    assertEquals(10, r.nan());
    assertSame(h, h.regrid(fine));
    // SIGNED: w 1/2 over [−2, 2) to w 1 over [−3, 3): signed index floor-divided, 0 stays an edge.
    HistogramSpec sf = new HistogramSpec(Domain.SIGNED, -2, 2, 8, HistogramLayout.GRID);
    HistogramSpec sc = new HistogramSpec(Domain.SIGNED, -3, 3, 6, HistogramLayout.GRID);
    Histogram sr = Histogram.of(sf, new long[] {1, 2, 3, 4, 5, 6, 7, 8}, 11, 12, 0).regrid(sc);
    assertArrayEquals(new long[] {0, 3, 7, 11, 15, 0}, sr.counts());
    assertEquals(11, sr.below());
    assertEquals(12, sr.above());
  }

  @Test
  void inexactMergesAreRefusedNamingBothLayouts() {
    HistogramSpec fine = new HistogramSpec(Domain.ABSOLUTE, 0, 2, 8, HistogramLayout.GRID);
    HistogramSpec coarse = new HistogramSpec(Domain.ABSOLUTE, 0, 3, 3, HistogramLayout.GRID);
    Histogram c = Histogram.of(coarse, 1, 2, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.regrid(fine));
    assertTrue(
        e.getMessage().contains(c.layout()) && e.getMessage().contains(fine.toString()),
        e.getMessage());
    assertTrue(e.getMessage().contains("narrower"), e.getMessage());
    // A target that does not reach a non-empty bin.
    HistogramSpec narrow = new HistogramSpec(Domain.ABSOLUTE, 0, 1, 1, HistogramLayout.GRID);
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> c.regrid(narrow),
        "and absolute[0.0, 1.0)x1 (grid, width 2^0)",
        "does not reach a non-empty bin");
    // Range layouts merge only with the very same range.
    Histogram r1 = Histogram.of(HistogramSpec.absolute(3.0, 8), new long[8]);
    HistogramSpec r2 = HistogramSpec.absolute(4.0, 8);
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> r1.regrid(r2));
    assertTrue(
        e2.getMessage().contains("absolute[0.0, 3.0]x8 and absolute[0.0, 4.0]x8"), e2.getMessage());
    assertSame(r1, r1.regrid(HistogramSpec.absolute(3.0, 8)));
    // Grid and range never mix.
    IllegalArgumentException e3 =
        assertThrows(
            IllegalArgumentException.class,
            () -> r1.regrid(HistogramSpec.grid(Domain.ABSOLUTE, 3.0, 8)));
    assertTrue(e3.getMessage().contains("(grid, width 2^-1)"), e3.getMessage());
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> c.regrid(HistogramSpec.grid(Domain.SIGNED, 3.0, 8)),
        "and signed[-4.0, 4.0)x8 (grid, width 2^0)",
        "only histograms of the same domain");
  }

  @Test
  void log2ShiftsWholeOctaves() {
    HistogramSpec low =
        HistogramSpec.forStats(Domain.LOG2, RangeStats.of(1f), 2048, HistogramLayout.GRID);
    HistogramSpec high =
        HistogramSpec.forStats(Domain.LOG2, RangeStats.of(4f), 2048, HistogramLayout.GRID);
    assertEquals(low, HistogramSpec.forStats(Domain.LOG2, RangeStats.of(1f), 2048));
    assertEquals(
        HistogramSpec.DEGENERATE_LOG2_TOP,
        HistogramSpec.forStats(Domain.LOG2, RangeStats.of(0f), 2048, HistogramLayout.GRID).hi());
    assertEquals(2.0, high.lo() - low.lo());
    long[] counts = new long[1024];
    counts[0] = 5; // the lowest octave of `low` falls under `high`'s range
    counts[1023] = 7;
    Histogram h = Histogram.of(low, counts, 1, 0, 0).regrid(high);
    assertEquals(1 + 5, h.below());
    assertEquals(7, h.count(1023 - 32));
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> Histogram.of(high, counts, 1, 0, 0).regrid(low),
        "log2[-61.0, 3.0]x1024 and log2[-63.0, 1.0]x1024",
        "the target starts below");
  }

  @Test
  void gridHistogramsRoundTripThroughBytes() {
    Histogram h = fill(HistogramSpec.grid(Domain.SIGNED, 3.0, 8), -3f, 1f, 2f);
    assertEquals(h, Histogram.fromBytes(h.toBytes()));
    assertEquals(HistogramLayout.GRID, Histogram.fromBytes(h.toBytes()).spec().layout());
    Histogram r = fill(HistogramSpec.absolute(3.0, 8), 1f);
    assertEquals(1, r.toBytes()[1], "range layouts keep format version 1");
    assertEquals(r, Histogram.fromBytes(r.toBytes()));
  }

  /** The law: fill(A ∪ B) == regrid(fill A) + regrid(fill B), with the union's layout. */
  @ParameterizedTest
  @EnumSource(Domain.class)
  void mergingRegriddedHistogramsEqualsFillingTheUnion(Domain domain) {
    SplittableRandom r = new SplittableRandom(domain.ordinal() * 7919L + 1);
    for (int trial = 0; trial < 400; trial++) {
      float[] a = sample(r);
      float[] b = sample(r);
      int bins = r.nextInt(4) == 0 ? 8 + r.nextInt(100) : 2048;
      float[] union = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, union, a.length, b.length);
      RangeStats sa = RangeStats.of(a);
      RangeStats sb = RangeStats.of(b);
      RangeStats su = sa.merge(sb);
      assertEquals(RangeStats.of(union), su);
      HistogramSpec target = HistogramSpec.forStats(domain, su, bins, HistogramLayout.GRID);
      Histogram direct = fill(target, union);
      Histogram ha = fill(HistogramSpec.forStats(domain, sa, bins, HistogramLayout.GRID), a);
      Histogram hb = fill(HistogramSpec.forStats(domain, sb, bins, HistogramLayout.GRID), b);
      Histogram merged = ha.regrid(target).merge(hb.regrid(target));
      assertEquals(direct, merged, "trial " + trial + " " + domain + " " + sa + " " + sb);
      // Merging in the other order, and through a third layout on the way, changes nothing.
      assertEquals(direct, hb.regrid(target).merge(ha.regrid(target)));
    }
  }

  /**
   * Random data: different scales (B often much wider), empty, all-zero, constant, NaN-only, ±Inf.
   */
  private static float[] sample(SplittableRandom r) {
    int kind = r.nextInt(10);
    int n = r.nextInt(1, 3000);
    float[] v = new float[kind == 0 ? 0 : n];
    double scale = Math.scalb(1.0, r.nextInt(-30, 30)) * (1 + r.nextDouble());
    for (int i = 0; i < v.length; i++) {
      switch (kind) {
        case 1 -> v[i] = 0f;
        case 2 -> v[i] = (float) scale;
        case 3 -> v[i] = Float.NaN;
        case 4 -> v[i] = (float) Math.max(0, r.nextGaussian() * scale); // ReLU: exact zeros
        case 5 -> v[i] = (float) (r.nextGaussian() * scale * Math.pow(10, r.nextInt(6)));
        case 6 ->
            v[i] =
                r.nextInt(50) == 0 ? Float.NEGATIVE_INFINITY : (float) (r.nextGaussian() * scale);
        case 7 ->
            v[i] =
                Float.intBitsToFloat(r.nextInt(0, 1 << 23))
                    * (r.nextBoolean() ? 1 : -1); // subnormals
        default -> v[i] = (float) (r.nextGaussian() * scale);
      }
    }
    return v;
  }
}
