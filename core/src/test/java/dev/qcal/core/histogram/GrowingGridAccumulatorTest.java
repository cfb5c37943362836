package dev.qcal.core.histogram;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.stats.RangeStats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The one-pass grid histograms: whatever the slicing, the order of slices within a task, the split
 * into tasks and the order of merges, the result is bit for bit the two-pass histogram (range
 * statistics first, then a fill with {@code forStats(domain, stats, bins, GRID)}).
 */
class GrowingGridAccumulatorTest {
  private static final Set<Domain> ALL = EnumSet.allOf(Domain.class);

  /** The two-pass result: statistics, then a fill of every value with the layout they fix. */
  private static Map<Domain, Histogram> twoPass(Set<Domain> domains, int bins, float[] values) {
    RangeStats stats = RangeStats.of(values);
    Map<Domain, Histogram> out = new EnumMap<>(Domain.class);
    for (Domain d : domains) {
      HistogramSpec spec = HistogramSpec.forStats(d, stats, bins, HistogramLayout.GRID);
      Histogram h = new HistogramAccumulator().add(spec, values, 0, values.length).snapshot();
      // The optimized fill is itself checked against the one-value-at-a-time definitions.
      assertEquals(
          d == Domain.SIGNED
              ? signedGridByDefinition(spec, values)
              : ReferenceFill.fill(spec, values, 0, values.length),
          h);
      out.put(d, h);
    }
    return out;
  }

  private static void assertSameAsTwoPass(
      Set<Domain> domains, int bins, float[] values, GrowingGridAccumulator acc, String what) {
    RangeStats stats = RangeStats.of(values);
    assertEquals(stats, acc.stats(), what);
    Map<Domain, Histogram> expected = twoPass(domains, bins, values);
    Map<Domain, Histogram> actual = acc.histograms();
    assertEquals(expected.keySet(), actual.keySet(), what);
    for (Domain d : domains) {
      assertEquals(
          HistogramSpec.forStats(d, stats, bins, HistogramLayout.GRID), actual.get(d).spec(), what);
      assertEquals(expected.get(d), actual.get(d), what + " " + d);
    }
    // The state rows' bytes, encoded from the counts in whichever form they are, are the
    // histograms' own bytes.
    byte[][] bytes = acc.histogramBytes();
    assertEquals(Domain.values().length, bytes.length, what);
    for (Domain d : Domain.values()) {
      if (domains.contains(d)) {
        assertArrayEquals(expected.get(d).toBytes(), bytes[d.ordinal()], what + " " + d);
      } else {
        assertNull(bytes[d.ordinal()], what + " " + d);
      }
    }
  }

  /**
   * The property: random slices, random tasks, random orders, random merge trees, each task's
   * histograms sparse or dense from the start.
   */
  @ParameterizedTest
  @EnumSource(Domain.class)
  void anySlicingOrderAndMergeTreeGivesTheTwoPassHistogram(Domain only) {
    SplittableRandom r = new SplittableRandom(only.ordinal() * 1_000_003L + 17);
    for (int trial = 0; trial < 250; trial++) {
      Set<Domain> domains = r.nextInt(3) == 0 ? ALL : EnumSet.of(only);
      int bins = r.nextInt(4) == 0 ? 8 + r.nextInt(120) : 2048;
      float[] values = tensor(r);
      List<int[]> slices = slices(r, values.length);
      int tasks = 1 + r.nextInt(7);
      List<List<int[]>> byTask = new ArrayList<>();
      for (int t = 0; t < tasks; t++) {
        byTask.add(new ArrayList<>());
      }
      for (int[] s : slices) {
        byTask.get(r.nextInt(tasks)).add(s);
      }
      List<GrowingGridAccumulator> folded = new ArrayList<>();
      for (List<int[]> task : byTask) {
        shuffle(r, task);
        // Sparse or dense from the start (the per-channel accumulators' start): the same counts.
        GrowingGridAccumulator acc =
            r.nextBoolean()
                ? new GrowingGridAccumulator(domains, bins)
                : GrowingGridAccumulator.dense(domains, bins);
        for (int[] s : task) {
          acc.add(values, s[0], s[1]);
          assertLayoutsFollowTheStatistics(acc);
        }
        folded.add(acc);
      }
      GrowingGridAccumulator merged = mergeRandomly(r, folded);
      assertSameAsTwoPass(
          domains, bins, values, merged, "trial " + trial + " " + domains + " " + bins);
    }
  }

  @ParameterizedTest
  @EnumSource(Domain.class)
  void growthByHugeFactorsInsideOneTaskIsExact(Domain domain) {
    // Rows in increasing magnitude, each 2^20 wider than the last: every row regrids, from the
    // narrowest (degenerate) layout up to 2^60 and beyond, in one accumulator.
    SplittableRandom r = new SplittableRandom(domain.ordinal() + 5);
    for (int startExp : new int[] {-149, -126, -60, 0}) {
      List<Float> all = new ArrayList<>();
      GrowingGridAccumulator acc = new GrowingGridAccumulator(EnumSet.of(domain), 2048);
      for (int exp = startExp; exp <= startExp + 120 && exp < 127; exp += 20) {
        float[] row = new float[500];
        for (int i = 0; i < row.length; i++) {
          row[i] = (float) (Math.scalb(r.nextGaussian(), exp));
          if (i % 50 == 0) {
            row[i] = i % 100 == 0 ? 0f : -0f;
          }
        }
        acc.add(row, 0, row.length);
        for (float v : row) {
          all.add(v);
        }
        float[] sofar = toArray(all);
        assertSameAsTwoPass(
            EnumSet.of(domain), 2048, sofar, acc, "from 2^" + startExp + " to 2^" + exp);
      }
    }
    // One slice of small values, then one 2^60 times wider: one growth of 60 octaves.
    float[] small = {1f, -0.5f, 0.25f, 3f};
    float[] huge = {0x1p60f, -0x1.8p59f, 7f};
    GrowingGridAccumulator acc = new GrowingGridAccumulator(EnumSet.of(domain), 2048);
    acc.add(small).add(huge);
    float[] both = Arrays.copyOf(small, small.length + huge.length);
    System.arraycopy(huge, 0, both, small.length, huge.length);
    assertSameAsTwoPass(EnumSet.of(domain), 2048, both, acc, "2^60 growth");
  }

  @Test
  void degenerateNanInfinityEmptyAndZeroPrefixesLandAsTheTwoPassPathLandsThem() {
    float inf = Float.POSITIVE_INFINITY;
    float[][] tensors = {
      {},
      {Float.NaN, Float.NaN},
      {inf, -inf, inf},
      {0f, -0f, 0f},
      {0f, Float.NaN, -inf},
      {Float.MIN_VALUE},
      {-Float.MIN_VALUE, 0f, Float.MIN_NORMAL, -Float.MAX_VALUE},
      {Float.MAX_VALUE, -Float.MAX_VALUE, inf, Float.NaN},
    };
    for (float[] t : tensors) {
      for (int bins : new int[] {8, 2048, HistogramSpec.MAX_BINS}) {
        GrowingGridAccumulator acc = new GrowingGridAccumulator(ALL, bins);
        for (int i = 0; i < t.length; i++) {
          acc.add(t, i, i + 1);
        }
        assertSameAsTwoPass(ALL, bins, t, acc, Arrays.toString(t) + " " + bins);
      }
    }
    // All-zero (and NaN, ±Inf) prefixes, then values: zeros sit in the narrowest bin 0 until the
    // first non-zero value, then coarsen into the bin of 0 of the real layout.
    SplittableRandom r = new SplittableRandom(11);
    for (int trial = 0; trial < 50; trial++) {
      float[] prefix = new float[1 + r.nextInt(3000)];
      for (int i = 0; i < prefix.length; i++) {
        int k = r.nextInt(20);
        prefix[i] = k == 0 ? Float.NaN : k == 1 ? inf : k == 2 ? -inf : k < 11 ? 0f : -0f;
      }
      float[] rest = tensor(r);
      float[] all = Arrays.copyOf(prefix, prefix.length + rest.length);
      System.arraycopy(rest, 0, all, prefix.length, rest.length);
      GrowingGridAccumulator acc = new GrowingGridAccumulator(ALL, 2048);
      for (int[] s : slices(r, all.length)) {
        acc.add(all, s[0], s[1]);
      }
      assertSameAsTwoPass(ALL, 2048, all, acc, "zero prefix, trial " + trial);
    }
  }

  @Test
  void mergeIsAssociativeAndCommutativeWithTheEmptyAccumulatorAsIdentity() {
    SplittableRandom r = new SplittableRandom(99);
    for (int trial = 0; trial < 100; trial++) {
      int bins = r.nextBoolean() ? 2048 : 8 + r.nextInt(50);
      GrowingGridAccumulator a = filled(r, bins);
      GrowingGridAccumulator b = filled(r, bins);
      GrowingGridAccumulator c = filled(r, bins);
      GrowingGridAccumulator left = copy(a).merge(b).merge(c);
      GrowingGridAccumulator right = copy(a).merge(copy(b).merge(c));
      assertSameState(left, right);
      assertSameState(copy(a).merge(b), copy(b).merge(a));
      assertSameState(a, copy(a).merge(new GrowingGridAccumulator(ALL, bins)));
      assertSameState(a, new GrowingGridAccumulator(ALL, bins).merge(a));
      // merge leaves its argument unchanged
      GrowingGridAccumulator bBefore = copy(b);
      copy(a).merge(b);
      assertSameState(bBefore, b);
    }
  }

  @Test
  void aPersistedStateTakesPartInTheMergeAfterCoarseningToFewerBins() {
    SplittableRandom r = new SplittableRandom(5);
    for (int trial = 0; trial < 60; trial++) {
      float[] a = tensor(r);
      float[] b = tensor(r);
      // State A was kept with 4096 bins; today's run uses 2048: it coarsens exactly.
      GrowingGridAccumulator stateRun = new GrowingGridAccumulator(ALL, 4096).add(a);
      GrowingGridAccumulator fromState =
          GrowingGridAccumulator.of(stateRun.stats(), stateRun.histograms(), ALL, 2048);
      GrowingGridAccumulator today = new GrowingGridAccumulator(ALL, 2048).add(b);
      float[] union = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, union, a.length, b.length);
      assertSameAsTwoPass(ALL, 2048, union, today.merge(fromState), "state trial " + trial);
    }
    // A state with fewer bins cannot be refined: refused, naming both layouts.
    GrowingGridAccumulator coarse =
        new GrowingGridAccumulator(EnumSet.of(Domain.ABSOLUTE), 8).add(new float[] {3f});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GrowingGridAccumulator.of(
                    coarse.stats(), coarse.histograms(), EnumSet.of(Domain.ABSOLUTE), 2048));
    assertTrue(e.getMessage().contains("narrower"), e.getMessage());
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> GrowingGridAccumulator.of(coarse.stats(), Map.of(), EnumSet.of(Domain.ABSOLUTE), 8),
        "no absolute histogram in []");
  }

  @Test
  void withoutDomainsItIsTheRangeStatisticsAlone() {
    float[] v = {1f, -7f, Float.NaN, 2f};
    GrowingGridAccumulator acc =
        new GrowingGridAccumulator(EnumSet.noneOf(Domain.class), 2048).add(v);
    assertEquals(RangeStats.of(v), acc.stats());
    assertTrue(acc.histograms().isEmpty());
  }

  @Test
  void badSlicesAddNothingAndMismatchedMergesAreRefused() {
    GrowingGridAccumulator acc = new GrowingGridAccumulator(ALL, 2048).add(new float[] {1f, 2f});
    RangeStats before = acc.stats();
    Map<Domain, Histogram> hBefore = acc.histograms();
    assertThrowsSaying(
        IndexOutOfBoundsException.class,
        () -> acc.add(new float[] {1e9f, 3f}, 1, 3),
        "Range [1, 3) out of bounds for length 2");
    assertEquals(before, acc.stats());
    assertEquals(hBefore, acc.histograms());
    assertSame(acc, acc.add(new float[] {5f}, 1, 1));
    assertEquals(before, acc.stats());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> acc.merge(new GrowingGridAccumulator(EnumSet.of(Domain.ABSOLUTE), 2048)));
    assertTrue(
        e.getMessage().startsWith("Cannot merge one-pass accumulators")
            && e.getMessage().contains("and [ABSOLUTE] with 2048 bins"),
        e.getMessage());
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> acc.merge(new GrowingGridAccumulator(ALL, 1024)),
        "with 2048 bins and [ABSOLUTE, SIGNED, LOG2] with 1024 bins");
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> new GrowingGridAccumulator(ALL, 4),
        "bin count must be in [8, 1048576], not 4");
  }

  @Test
  void survivesJavaSerializationMidGrowth() throws Exception {
    SplittableRandom r = new SplittableRandom(3);
    float[] v = tensor(r);
    int half = v.length / 2;
    GrowingGridAccumulator acc = new GrowingGridAccumulator(ALL, 2048).add(v, 0, half);
    GrowingGridAccumulator back = roundTrip(acc);
    back.add(v, half, v.length);
    assertSameAsTwoPass(ALL, 2048, v, back, "after serialization");
  }

  /**
   * The compact serialized form ({@link GrowingGridAccumulator#toCompactBytes}): sparse and dense
   * histograms, nulls, NaN and ±Inf, no histogram at all, and the empty accumulator come back equal
   * (statistics, histograms, the form of the counts), and keep growing and merging as the original.
   */
  @Test
  void theCompactFormGivesBackTheSameAccumulator() throws Exception {
    SplittableRandom r = new SplittableRandom(11);
    for (int trial = 0; trial < 60; trial++) {
      Set<Domain> domains = trial % 5 == 0 ? EnumSet.noneOf(Domain.class) : ALL;
      int bins = trial % 2 == 0 ? 2048 : 64;
      float[] v = tensor(r);
      int cut = r.nextInt(v.length + 1);
      GrowingGridAccumulator acc = new GrowingGridAccumulator(domains, bins).add(v, 0, cut);
      acc.addNulls(trial, trial % 3);
      GrowingGridAccumulator back = roundTrip(acc);
      String what = "trial " + trial;
      assertEquals(acc.stats(), back.stats(), what);
      assertEquals(acc.histograms(), back.histograms(), what);
      assertEquals(acc.retainedBytes(), back.retainedBytes(), what + ": the same form");
      float[] rest = Arrays.copyOfRange(v, cut, v.length);
      GrowingGridAccumulator other = new GrowingGridAccumulator(domains, bins).add(rest);
      GrowingGridAccumulator expected = new GrowingGridAccumulator(domains, bins).add(v);
      expected.addNulls(trial, trial % 3);
      GrowingGridAccumulator merged = back.merge(roundTrip(other));
      assertEquals(expected.stats(), merged.stats(), what);
      assertEquals(expected.histograms(), merged.histograms(), what);
    }
  }

  @Test
  void theCompactFormShipsAFewBytesPerNonEmptyBin() throws Exception {
    float[] v = new float[100_000];
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    GrowingGridAccumulator acc = new GrowingGridAccumulator(ALL, 2048).add(v);
    int size = serialize(acc).length;
    // Three dense histograms: at most 3 bytes per bin and the header, not 8 per bin and a graph.
    assertTrue(size < 3 * (2048 + 2048 + 256) + 512, "" + size);
  }

  @Test
  void aCorruptCompactFormIsRefused() {
    GrowingGridAccumulator acc =
        new GrowingGridAccumulator(ALL, 64).add(tensor(new SplittableRandom(2)));
    byte[] b = acc.toCompactBytes();
    assertEquals(acc.histograms(), GrowingGridAccumulator.fromCompactBytes(b).histograms());
    byte[] domain = b.clone();
    domain[5] = 7; // a domain past the domains
    assertThrows(
        IllegalArgumentException.class, () -> GrowingGridAccumulator.fromCompactBytes(domain));
    byte[] cut = Arrays.copyOf(b, b.length - 1);
    assertThrows(
        IllegalArgumentException.class, () -> GrowingGridAccumulator.fromCompactBytes(cut));
    byte[] longer = Arrays.copyOf(b, b.length + 1);
    assertThrows(
        IllegalArgumentException.class, () -> GrowingGridAccumulator.fromCompactBytes(longer));
  }

  @Test
  void regridOfTheAccumulatorEqualsRegridOfItsHistogram() {
    SplittableRandom r = new SplittableRandom(8);
    for (Domain d : Domain.values()) {
      for (int trial = 0; trial < 50; trial++) {
        float[] a = tensor(r);
        float[] b = tensor(r);
        RangeStats sa = RangeStats.of(a);
        HistogramSpec from = HistogramSpec.forStats(d, sa, 2048, HistogramLayout.GRID);
        HistogramSpec to =
            HistogramSpec.forStats(d, sa.merge(RangeStats.of(b)), 2048, HistogramLayout.GRID);
        HistogramAccumulator acc = new HistogramAccumulator().add(from, a, 0, a.length);
        Histogram expected = acc.snapshot().regrid(to);
        assertEquals(expected, acc.regrid(to).snapshot());
      }
    }
    HistogramAccumulator range = new HistogramAccumulator(HistogramSpec.absolute(1.0, 8));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> range.regrid(HistogramSpec.grid(Domain.ABSOLUTE, 1.0, 8)));
    assertTrue(e.getMessage().contains("never merge"), e.getMessage());
    assertThrowsSaying(
        IllegalStateException.class,
        () -> new HistogramAccumulator().regrid(HistogramSpec.grid(Domain.ABSOLUTE, 1.0, 8)),
        "Cannot regrid a histogram accumulator with no layout");
  }

  // ---- helpers

  /** SIGNED on the grid by its definition: bin ⌊x·2^−e⌋ + K of [−K·w, K·w), half-open. */
  private static Histogram signedGridByDefinition(HistogramSpec spec, float[] values) {
    long[] c = new long[spec.binCount()];
    long below = 0;
    long above = 0;
    long nan = 0;
    int k = spec.binCount() / 2;
    for (float v : values) {
      if (Float.isNaN(v)) {
        nan++;
      } else if (v < spec.lo()) {
        below++;
      } else if (v >= spec.hi()) {
        above++;
      } else {
        c[(int) Math.floor(Math.scalb((double) v, -spec.gridExponent())) + k]++;
      }
    }
    return Histogram.of(spec, c, below, above, nan);
  }

  private static void assertLayoutsFollowTheStatistics(GrowingGridAccumulator acc) {
    RangeStats s = acc.stats();
    acc.histograms()
        .forEach(
            (d, h) ->
                assertEquals(
                    HistogramSpec.forStats(d, s, acc.bins(), HistogramLayout.GRID),
                    h.spec(),
                    "the layout between calls is the grid layout of the statistics so far"));
  }

  private static void assertSameState(GrowingGridAccumulator x, GrowingGridAccumulator y) {
    assertEquals(x.stats(), y.stats());
    assertEquals(x.histograms(), y.histograms());
  }

  private static GrowingGridAccumulator filled(SplittableRandom r, int bins) {
    GrowingGridAccumulator acc = new GrowingGridAccumulator(ALL, bins);
    float[] v = tensor(r);
    for (int[] s : slices(r, v.length)) {
      acc.add(v, s[0], s[1]);
    }
    return acc;
  }

  private static GrowingGridAccumulator copy(GrowingGridAccumulator a) {
    return new GrowingGridAccumulator(a.domains(), a.bins()).merge(a);
  }

  private static GrowingGridAccumulator roundTrip(GrowingGridAccumulator a)
      throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialize(a)))) {
      return (GrowingGridAccumulator) in.readObject();
    }
  }

  private static byte[] serialize(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static GrowingGridAccumulator mergeRandomly(
      SplittableRandom r, List<GrowingGridAccumulator> accs) {
    List<GrowingGridAccumulator> pool = new ArrayList<>(accs);
    while (pool.size() > 1) {
      GrowingGridAccumulator x = pool.remove(r.nextInt(pool.size()));
      GrowingGridAccumulator y = pool.remove(r.nextInt(pool.size()));
      pool.add(x.merge(y));
    }
    return pool.get(0);
  }

  /** [from, to) slices covering [0, n), some empty, in order. */
  private static List<int[]> slices(SplittableRandom r, int n) {
    List<int[]> out = new ArrayList<>();
    int at = 0;
    while (at < n) {
      int len =
          r.nextInt(8) == 0
              ? 0
              : 1 + r.nextInt(Math.max(1, Math.min(n - at, r.nextBoolean() ? 40 : 5000)));
      len = Math.min(len, n - at);
      out.add(new int[] {at, at + len});
      at += len;
    }
    if (r.nextBoolean()) {
      out.add(new int[] {n, n});
    }
    return out;
  }

  private static <T> void shuffle(SplittableRandom r, List<T> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  private static float[] toArray(List<Float> list) {
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  /**
   * One tensor's values: segments of different kinds and scales (often in increasing magnitude, up
   * to 2^60 apart), so the layouts grow inside tasks; zeros, ±0, subnormals, NaN, ±Inf, empty.
   */
  static float[] tensor(SplittableRandom r) {
    int segments = r.nextInt(5);
    List<Float> out = new ArrayList<>();
    int exp = r.nextInt(-140, 40);
    for (int s = 0; s < segments; s++) {
      int kind = r.nextInt(10);
      int n = r.nextInt(1, 2500);
      exp = Math.min(100, exp + (r.nextBoolean() ? r.nextInt(0, 61) : -r.nextInt(0, 10)));
      double scale = Math.scalb(1.0 + r.nextDouble(), exp);
      for (int i = 0; i < n; i++) {
        float v;
        switch (kind) {
          case 0 -> v = 0f;
          case 1 -> v = r.nextBoolean() ? 0f : -0f;
          case 2 -> v = (float) scale;
          case 3 -> v = Float.NaN;
          case 4 -> v = (float) Math.max(0, r.nextGaussian() * scale);
          case 5 ->
              v =
                  r.nextInt(50) == 0
                      ? Float.NEGATIVE_INFINITY
                      : (r.nextInt(50) == 0
                          ? Float.POSITIVE_INFINITY
                          : (float) (r.nextGaussian() * scale));
          case 6 -> v = Float.intBitsToFloat(r.nextInt(0, 1 << 23)) * (r.nextBoolean() ? 1 : -1);
          case 7 -> v = (float) (r.nextGaussian() * scale * Math.pow(10, r.nextInt(6)));
          default -> v = (float) (r.nextGaussian() * scale);
        }
        out.add(v);
      }
    }
    return toArray(out);
  }
}
