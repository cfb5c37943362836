package dev.qcal.core.histogram;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.stats.RangeStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramTest {

  private static Histogram fill(HistogramSpec spec, float... values) {
    return new HistogramAccumulator().add(spec, values, 0, values.length).snapshot();
  }

  @Test
  void absoluteBinsFollowTheDocumentedConvention() {
    // 4 bins over |x| in [0, 2]: edges 0, 0.5, 1, 1.5, 2; [e_j, e_j+1), last bin closed.
    HistogramSpec spec = HistogramSpec.absolute(2.0, 8);
    Histogram h = fill(spec, 0f, 0.25f, -0.25f, 0.2499f, 0.5f, 1.75f, 2f, -2f, 2.0001f, Float.NaN);
    // Bin width 0.25: 0 → 0; ±0.25 → 1 (left edge is inclusive); 0.2499 → 0; 0.5 → 2;
    // 1.75 → 7; 2 and −2 → 7 (last bin closed); 2.0001 above; NaN apart.
    assertArrayEquals(new long[] {2, 2, 1, 0, 0, 0, 0, 3}, h.counts());
    assertEquals(1, h.above());
    assertEquals(0, h.below());
    assertEquals(1, h.nan());
    assertEquals(8, h.total());
    assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2}, h.edges(), 0.0);
  }

  @Test
  void signedBinsCountBothTailsAndInfinities() {
    HistogramSpec spec = HistogramSpec.signed(-1.0, 1.0, 8);
    Histogram h =
        fill(
            spec,
            -1f,
            -0.75f,
            0f,
            0.999f,
            1f,
            -1.5f,
            3f,
            Float.NEGATIVE_INFINITY,
            Float.POSITIVE_INFINITY,
            Float.NaN);
    // Width 0.25 over [−1, 1]: −1 → 0, −0.75 → 1, 0 → 4, 0.999 → 7, 1 → 7 (closed).
    assertArrayEquals(new long[] {1, 1, 0, 0, 1, 0, 0, 2}, h.counts());
    assertEquals(2, h.below());
    assertEquals(2, h.above());
    assertEquals(1, h.nan());
  }

  @Test
  void absoluteInfinitiesAreAbove() {
    Histogram h =
        fill(HistogramSpec.absolute(1.0, 8), Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    assertEquals(2, h.above());
    assertEquals(0, h.total());
  }

  @Test
  void log2BinsAreSixteenPerOctave() {
    // [−2, 2] octaves → 64 bins; bin of x = ⌊16·log2 x⌋ + 32.
    HistogramSpec spec = new HistogramSpec(Domain.LOG2, -2, 2, 64);
    float justAboveStep =
        Math.nextUp((float) Math.pow(2, 1.0 / 16)); // the float 2^(1/16) rounds down
    Histogram h = fill(spec, 1f, 2f, 0.25f, 3.999f, justAboveStep, 4f, 0.2f, 0f, -1f, Float.NaN);
    long[] expected = new long[64];
    expected[32] = 1; // 1 = 2^0
    expected[48] = 1; // 2 = 2^1
    expected[0] = 1; // 0.25 = 2^−2, the lowest edge (inclusive)
    expected[63] = 1; // 3.999: 16·log2 = 31.99
    expected[33] = 1; // first float above 2^(1/16)
    assertArrayEquals(expected, h.counts());
    assertEquals(1, h.above()); // 4 = 2^2 is the upper edge
    assertEquals(3, h.below()); // 0.2 < 2^−2, 0 and −1
    assertEquals(1, h.nan());
  }

  @Test
  void log2BinOfEveryPowerOfTwoStepIsExact() {
    HistogramSpec spec = new HistogramSpec(Domain.LOG2, -64, 64, 128 * 16);
    for (int k = -64 * 16; k < 64 * 16; k++) {
      double boundary = Math.pow(2.0, k / 16.0);
      float at = (float) boundary;
      // The float nearest the boundary lands in bin k or k − 1; the next float up, in bin k.
      float above = Math.nextUp(Math.max(at, (float) boundary));
      Histogram h = fill(spec, above);
      int expected = k + 64 * 16;
      assertEquals(1, h.count(expected), "k=" + k);
    }
  }

  @Test
  void forStatsChoosesTheLayoutFromPassOne() {
    RangeStats stats = RangeStats.of(-3f, 1f, Float.NaN);
    assertEquals(
        HistogramSpec.absolute(3.0, 2048), HistogramSpec.forStats(Domain.ABSOLUTE, stats, 2048));
    assertEquals(
        HistogramSpec.signed(-3.0, 3.0, 16), HistogramSpec.forStats(Domain.SIGNED, stats, 16));
    HistogramSpec log = HistogramSpec.forStats(Domain.LOG2, stats, 2048);
    assertEquals(2.0, log.hi()); // ⌊log2 3⌋ + 1, so max|x| always lies below the top edge
    assertEquals(-62.0, log.lo());
    assertEquals(HistogramSpec.LOG2_BINS, log.binCount());
    assertEquals(3.0, HistogramSpec.forStats(Domain.LOG2, RangeStats.of(4f), 8).hi());
    Histogram top = fill(HistogramSpec.forStats(Domain.LOG2, RangeStats.of(4f), 8), 4f);
    assertEquals(1, top.total());
    // Degenerate tensors still get a valid layout.
    assertEquals(
        HistogramSpec.absolute(1.0, 8),
        HistogramSpec.forStats(Domain.ABSOLUTE, RangeStats.of(0f), 8));
    assertEquals(
        HistogramSpec.signed(-1.0, 1.0, 8),
        HistogramSpec.forStats(Domain.SIGNED, RangeStats.EMPTY, 8));
  }

  @Test
  void specValidationNamesTheValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HistogramSpec.absolute(1.0, 7));
    assertEquals(
        "Cannot build a histogram: bin count must be in [8, 1048576], not 7", e.getMessage());
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> HistogramSpec.absolute(1.0, (1 << 20) + 1),
        "not 1048577");
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> HistogramSpec.signed(1.0, 1.0, 8),
        "signed domain: range [1.0, 1.0] must be finite with lo < hi");
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> HistogramSpec.absolute(Double.NaN, 8),
        "absolute domain: range [0.0, NaN] must be finite");
    HistogramSpec.absolute(1.0, 1 << 20);
  }

  @Test
  void mergingDifferentLayoutsNamesBoth() {
    Histogram a = Histogram.empty(HistogramSpec.absolute(1.0, 8));
    Histogram b = Histogram.empty(HistogramSpec.absolute(2.0, 8));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.merge(b));
    assertEquals(
        "Cannot merge histograms of different layouts: absolute[0.0, 1.0]x8 and absolute[0.0,"
            + " 2.0]x8",
        e.getMessage());
    HistogramAccumulator acc = new HistogramAccumulator(HistogramSpec.absolute(1.0, 8));
    IllegalArgumentException e2 =
        assertThrows(
            IllegalArgumentException.class,
            () -> acc.merge(new HistogramAccumulator(HistogramSpec.signed(-1, 1, 8))));
    assertTrue(e2.getMessage().contains("absolute[0.0, 1.0]x8 and signed[-1.0, 1.0]x8"));
  }

  @Test
  void emptyAccumulatorAdoptsTheFirstLayoutAndIsTheIdentity() {
    HistogramSpec spec = HistogramSpec.signed(-2, 2, 16);
    Histogram x = fill(spec, 1f, -1f, 5f, Float.NaN);
    assertEquals(
        x,
        new HistogramAccumulator()
            .merge(new HistogramAccumulator().add(spec, new float[] {1f, -1f, 5f, Float.NaN}, 0, 4))
            .snapshot());
    assertEquals(x, x.merge(Histogram.empty(spec)));
    assertEquals(x, Histogram.empty(spec).merge(x));
    HistogramAccumulator acc =
        new HistogramAccumulator().merge(x).merge(new HistogramAccumulator());
    assertEquals(x, acc.snapshot());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> new HistogramAccumulator().snapshot());
    assertEquals("Cannot snapshot a histogram accumulator with no layout", e.getMessage());
  }

  @Test
  void randomSplitsMergedInRandomOrderEqualTheWhole() {
    long seed = 7L;
    Random random = new Random(seed);
    for (Domain domain : Domain.values()) {
      for (int round = 0; round < 60; round++) {
        float[] values = new float[random.nextInt(500)];
        for (int i = 0; i < values.length; i++) {
          int kind = random.nextInt(40);
          values[i] =
              kind == 0
                  ? Float.NaN
                  : kind == 1
                      ? Float.POSITIVE_INFINITY
                      : kind == 2 ? 0f : (float) (random.nextGaussian() * 2);
        }
        RangeStats stats = RangeStats.of(values);
        // Narrow the range on purpose so values fall outside it too.
        HistogramSpec spec =
            HistogramSpec.forStats(domain, RangeStats.of(1.5f), 8 + random.nextInt(100));
        Histogram whole = fill(spec, values);
        List<HistogramAccumulator> parts = new ArrayList<>();
        int from = 0;
        while (from < values.length) {
          int to = Math.min(values.length, from + 1 + random.nextInt(60));
          parts.add(new HistogramAccumulator().add(spec, values, from, to));
          from = to;
        }
        parts.add(new HistogramAccumulator());
        Collections.shuffle(parts, random);
        HistogramAccumulator merged = new HistogramAccumulator();
        for (HistogramAccumulator p : parts) {
          merged = random.nextBoolean() ? merged.merge(p) : p.merge(merged);
        }
        String where = "seed " + seed + " " + domain + " round " + round + " stats " + stats;
        if (values.length == 0) {
          continue;
        }
        assertEquals(whole, merged.snapshot(), where);
        assertEquals(
            values.length, whole.total() + whole.below() + whole.above() + whole.nan(), where);
      }
    }
  }

  @Test
  void mergeIsAssociativeAndCommutative() {
    HistogramSpec spec = HistogramSpec.absolute(4, 8);
    Histogram a = fill(spec, 1f, 2f);
    Histogram b = fill(spec, 3f, Float.NaN, 9f);
    Histogram c = fill(spec, 0f);
    assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)));
    assertEquals(a.merge(b), b.merge(a));
  }

  @Test
  void snapshotsAndAccessorsDoNotAlias() {
    HistogramSpec spec = HistogramSpec.absolute(1, 8);
    HistogramAccumulator acc = new HistogramAccumulator().add(spec, new float[] {0.1f}, 0, 1);
    Histogram before = acc.snapshot();
    acc.add(new float[] {0.1f});
    assertEquals(1, before.total());
    before.counts()[0] = 99;
    before.edges()[0] = 99;
    assertEquals(1, before.count(0));
    assertEquals(0.0, before.edge(0));
    long[] counts = {1, 2, 3, 4, 5, 6, 7, 8};
    Histogram h = Histogram.of(spec, counts);
    counts[0] = 100;
    assertEquals(1, h.count(0));
  }

  @Test
  void roundTripsThroughBytesEmptyIncluded() {
    HistogramSpec spec = HistogramSpec.signed(-3, 3, 2048);
    List<Histogram> cases =
        List.of(
            Histogram.empty(spec),
            fill(spec, 1f, -2f, 50f, -50f, Float.NaN),
            Histogram.of(
                HistogramSpec.absolute(1, 8),
                new long[] {0, Long.MAX_VALUE / 2, 1, 0, 0, 0, 0, 3},
                1,
                2,
                3),
            Histogram.withEdges(Domain.SIGNED, new double[] {-1, 0, 0.5, 2}, new long[] {4, 0, 1}),
            Histogram.empty(new HistogramSpec(Domain.LOG2, -60, 4, 1024)));
    for (Histogram h : cases) {
      byte[] bytes = h.toBytes();
      Histogram back = Histogram.fromBytes(bytes);
      assertEquals(h, back, h.toString());
      // The total and non-empty bins the reader finds on the way are those of the counts.
      assertEquals(h.total(), back.total(), h.toString());
      assertEquals(nonEmpty(h), nonEmpty(back), h.toString());
    }
    // Compact: an empty 2048-bin histogram takes about one byte per bin.
    assertTrue(Histogram.empty(spec).toBytes().length < 2048 + 40);
  }

  @Test
  void bytesAreTheDocumentedBigEndianFormWithVarintCounts() {
    // Hand-derived: magic 'H', version 1, domain ABSOLUTE, uniform, 8 bins, lo 0.0 and hi 2.0 as
    // IEEE doubles, below 0, above 300 (0xAC 0x02), NaN 0, then the counts 0, 1, 127, 128 (0x80
    // 0x01) and four empty bins: a varint byte holds 7 bits, low group first, high bit set when
    // more follow.
    Histogram h =
        Histogram.of(
            HistogramSpec.absolute(2.0, 8), new long[] {0, 1, 127, 128, 0, 0, 0, 0}, 0, 300, 0);
    byte[] expected = {
      'H',
      1,
      (byte) Domain.ABSOLUTE.ordinal(),
      1,
      0,
      0,
      0,
      8,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0x40,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      (byte) 0xAC,
      0x02,
      0,
      0,
      1,
      127,
      (byte) 0x80,
      1,
      0,
      0,
      0,
      0
    };
    assertArrayEquals(expected, h.toBytes());
  }

  @Test
  void bytesMatchWhatDataOutputWritesForEveryLayout() throws Exception {
    // The format as DataOutput spells it (the encoder before it wrote straight into an array).
    HistogramSpec grid =
        HistogramSpec.forStats(Domain.SIGNED, RangeStats.of(-0.3f, 7f), 2048, HistogramLayout.GRID);
    HistogramSpec log2Grid =
        HistogramSpec.forStats(Domain.LOG2, RangeStats.of(0.001f, 3f), 2048, HistogramLayout.GRID);
    long[] wide = new long[63];
    for (int i = 0; i < wide.length; i++) {
      wide[i] = i % 7 == 0 ? 0 : 1L << i; // every varint length, 1 to 9 bytes
    }
    List<Histogram> cases =
        List.of(
            Histogram.empty(HistogramSpec.signed(-3, 3, 2048)),
            fill(grid, 1f, -0.2f, 6.5f, 50f, Float.NaN),
            fill(log2Grid, 0.001f, 3f, 0f, -1f),
            Histogram.of(HistogramSpec.absolute(5, wide.length), wide, 3, 1L << 35, 7),
            Histogram.withEdges(Domain.SIGNED, new double[] {-1, 0, 0.5, 2}, new long[] {4, 0, 1}),
            Histogram.empty(new HistogramSpec(Domain.LOG2, -60, 4, 1024)));
    for (Histogram h : cases) {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
        HistogramSpec spec = h.spec();
        boolean isGrid =
            spec != null && spec.layout() == HistogramLayout.GRID && h.domain() != Domain.LOG2;
        out.writeByte('H');
        out.writeByte(isGrid ? 2 : 1);
        out.writeByte(h.domain().ordinal());
        if (isGrid) {
          out.writeByte(spec.layout().ordinal());
        }
        out.writeBoolean(spec != null);
        out.writeInt(h.binCount());
        if (spec != null) {
          out.writeDouble(spec.lo());
          out.writeDouble(spec.hi());
        } else {
          for (double e : h.edges()) {
            out.writeDouble(e);
          }
        }
        HistogramBytes.writeVarLong(out, h.below());
        HistogramBytes.writeVarLong(out, h.above());
        HistogramBytes.writeVarLong(out, h.nan());
        for (long c : h.counts()) {
          HistogramBytes.writeVarLong(out, c);
        }
      }
      assertArrayEquals(bytes.toByteArray(), h.toBytes(), h.toString());
      assertEquals(h, Histogram.fromBytes(h.toBytes()), h.toString());
    }
  }

  @Test
  void javaSerializationKeepsEveryFieldAndOnlyTheNonEmptyBins() throws Exception {
    HistogramSpec spec = HistogramSpec.signed(-3, 3, 2048);
    HistogramSpec log2Grid =
        HistogramSpec.forStats(Domain.LOG2, RangeStats.of(0.001f, 3f), 2048, HistogramLayout.GRID);
    List<Histogram> cases =
        List.of(
            Histogram.empty(spec),
            fill(spec, 1f, -2f, 50f, -50f, Float.NaN),
            fill(log2Grid, 0.001f, 3f, 0f, -1f),
            Histogram.of(
                HistogramSpec.absolute(1, 8),
                new long[] {Long.MAX_VALUE / 2, 0, 1, 0, 0, 0, 0, 3},
                1,
                2,
                3),
            Histogram.withEdges(Domain.SIGNED, new double[] {-1, 0, 0.5, 2}, new long[] {4, 0, 1}));
    for (Histogram h : cases) {
      byte[] bytes = javaSerialize(h);
      Histogram back;
      try (java.io.ObjectInputStream in =
          new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
        back = (Histogram) in.readObject();
      }
      assertEquals(h, back, h.toString());
      assertEquals(h.spec(), back.spec(), h.toString());
      assertArrayEquals(h.edges(), back.edges(), 0.0, h.toString());
    }
    // An empty 2048-bin histogram ships its layout, not 2048 longs and 2049 doubles.
    assertTrue(javaSerialize(Histogram.empty(spec)).length < 1024);
  }

  private static byte[] javaSerialize(Object o) throws java.io.IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static List<Integer> nonEmpty(Histogram h) {
    List<Integer> bins = new ArrayList<>();
    for (int k = 0; k < h.nonEmptyBins().count(); k++) {
      bins.add(h.nonEmptyBins().bin(k));
    }
    List<Integer> expected = new ArrayList<>();
    for (int j = 0; j < h.binCount(); j++) {
      if (h.count(j) != 0) {
        expected.add(j);
      }
    }
    assertEquals(expected, bins, h.toString());
    return bins;
  }

  @Test
  void aNegativeCountInTheBytesIsRefusedAsHistogramOfRefusesIt() {
    // A ten-byte varint sets bit 63: the count reads as negative.
    byte[] bytes = Histogram.of(HistogramSpec.absolute(1, 8), 0, 7, 0, 0, 0, 0, 0, 0).toBytes();
    byte[] negative = new byte[bytes.length + 9];
    int first = bytes.length - 8; // the first bin's count, after the header
    System.arraycopy(bytes, 0, negative, 0, first);
    for (int i = 0; i < 9; i++) {
      negative[first + i] = (byte) 0xFF;
    }
    negative[first + 9] = 0x01;
    System.arraycopy(bytes, first + 1, negative, first + 10, 7);
    assertEquals(
        "Cannot build a histogram: count of bin 0 is negative (-1)",
        assertThrows(IllegalArgumentException.class, () -> Histogram.fromBytes(negative))
            .getMessage());
  }

  @Test
  void rejectsCorruptBytes() {
    byte[] bytes = fill(HistogramSpec.absolute(1, 8), 0.5f).toBytes();
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 2);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Histogram.fromBytes(truncated));
    assertEquals("Cannot read a histogram: truncated or corrupt record", e.getMessage());
    byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 2);
    assertEquals(
        "Cannot read a histogram: 2 trailing bytes",
        assertThrows(IllegalArgumentException.class, () -> Histogram.fromBytes(longer))
            .getMessage());
    byte[] endless = bytes.clone();
    java.util.Arrays.fill(endless, endless.length - 8, endless.length, (byte) 0x80);
    assertEquals(
        "Cannot read a histogram: truncated or corrupt record",
        assertThrows(IllegalArgumentException.class, () -> Histogram.fromBytes(endless))
            .getMessage());
    bytes[1] = 3;
    assertEquals(
        "Cannot read a histogram: unknown format version 3",
        assertThrows(IllegalArgumentException.class, () -> Histogram.fromBytes(bytes))
            .getMessage());
  }

  @Test
  void explicitEdgesAreValidated() {
    assertEquals(
        "Cannot build a histogram: 3 edges given for 3 counts (need counts + 1)",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    Histogram.withEdges(
                        Domain.SIGNED, new double[] {0, 1, 2}, new long[] {1, 2, 3}))
            .getMessage());
    assertEquals(
        "Cannot build a histogram: edges must be finite and strictly increasing (edge 2 is 1.0"
            + " after 1.0)",
        assertThrows(
                IllegalArgumentException.class,
                () -> Histogram.withEdges(Domain.SIGNED, new double[] {0, 1, 1}, new long[] {1, 2}))
            .getMessage());
    assertEquals(
        "Cannot build a histogram: count of bin 1 is negative (-2)",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    Histogram.withEdges(Domain.SIGNED, new double[] {0, 1, 2}, new long[] {1, -2}))
            .getMessage());
  }
}
