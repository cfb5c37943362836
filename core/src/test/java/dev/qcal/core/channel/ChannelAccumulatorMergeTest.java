package dev.qcal.core.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.stats.RangeStats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The merge laws of the per-channel accumulators: rows split at random into parts, each part folded
 * into its own accumulator, the parts merged in a random order (empty parts included), equal the
 * whole folded at once; so a per-channel table does not depend on partitioning.
 */
class ChannelAccumulatorMergeTest {
  record Row(int channel, float[] values) {}

  static List<Row> rows(Random r, int channels, int count) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int c = r.nextInt(channels);
      float[] v = new float[1 + r.nextInt(30)];
      for (int j = 0; j < v.length; j++) {
        v[j] = r.nextInt(50) == 0 ? Float.NaN : (float) (r.nextGaussian() * (c + 1));
      }
      if (c == 3) {
        java.util.Arrays.fill(v, 0f); // an all-zero channel
      }
      rows.add(new Row(c, v));
    }
    return rows;
  }

  static List<List<Row>> randomParts(Random r, List<Row> rows, int parts) {
    List<List<Row>> out = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      out.add(new ArrayList<>());
    }
    for (Row row : rows) {
      out.get(r.nextInt(parts)).add(row);
    }
    Collections.shuffle(out, r);
    return out;
  }

  @Test
  void rangeAccumulatorsMergedInAnyOrderEqualTheWhole() {
    Random r = new Random(7);
    for (int trial = 0; trial < 20; trial++) {
      List<Row> rows = rows(r, 9, 200);
      ChannelGridAccumulator whole = new ChannelGridAccumulator("t");
      rows.forEach(row -> whole.add(row.channel(), row.values(), 0, row.values().length));
      ChannelGridAccumulator merged = new ChannelGridAccumulator("t");
      for (List<Row> part : randomParts(r, rows, 1 + r.nextInt(8))) {
        ChannelGridAccumulator a = new ChannelGridAccumulator("t");
        part.forEach(row -> a.add(row.channel(), row.values(), 0, row.values().length));
        merged.merge(a);
      }
      ChannelRanges expected = whole.snapshot(0);
      assertEquals(expected, merged.snapshot(0));
      assertEquals(
          expected,
          new ChannelGridAccumulator("t").merge(merged).snapshot(0),
          "empty is the identity");
      // Channel by channel, the same as one RangeStats of that channel's values.
      for (int c = 0; c < expected.count(); c++) {
        RangeStats s = RangeStats.EMPTY;
        for (Row row : rows) {
          if (row.channel() == c) {
            s = s.merge(RangeStats.of(row.values()));
          }
        }
        assertEquals(s, expected.channel(c), "channel " + c);
      }
    }
  }

  @Test
  void histogramAccumulatorsMergedInAnyOrderEqualTheWhole() {
    Random r = new Random(11);
    for (int trial = 0; trial < 10; trial++) {
      List<Row> rows = rows(r, 6, 150);
      ChannelGridAccumulator ranges = new ChannelGridAccumulator("t");
      rows.forEach(row -> ranges.add(row.channel(), row.values(), 0, row.values().length));
      ChannelSpecs specs =
          ChannelSpecs.forRanges(
              "t",
              ranges.snapshot(0),
              EnumSet.of(Domain.ABSOLUTE, Domain.SIGNED),
              64,
              HistogramLayout.RANGE);
      ChannelHistogramAccumulator whole = new ChannelHistogramAccumulator("t", specs);
      rows.forEach(row -> whole.add(row.channel(), row.values(), 0, row.values().length));
      ChannelHistogramAccumulator merged = new ChannelHistogramAccumulator("t", specs);
      for (List<Row> part : randomParts(r, rows, 1 + r.nextInt(8))) {
        ChannelHistogramAccumulator a = new ChannelHistogramAccumulator("t", specs);
        part.forEach(row -> a.add(row.channel(), row.values(), 0, row.values().length));
        merged.merge(a);
      }
      for (int c = 0; c < specs.channels(); c++) {
        Map<Domain, Histogram> w = whole.snapshot(c);
        assertEquals(w, merged.snapshot(c), "channel " + c);
        assertEquals(2, w.size());
      }
    }
  }

  /**
   * One pass: grid accumulators of random parts, in slices, merged in any order, equal the whole;
   * and each channel's histograms equal the second pass of the two (ranges first, then a fill with
   * the grid layouts they fix): the one scan and the per-channel passes give the same tables.
   */
  @Test
  void gridAccumulatorsMergedInAnyOrderEqualTheTwoPasses() {
    Random r = new Random(13);
    EnumSet<Domain> domains = EnumSet.of(Domain.ABSOLUTE, Domain.SIGNED, Domain.LOG2);
    for (int trial = 0; trial < 10; trial++) {
      List<Row> rows = rows(r, 6, 150);
      ChannelGridAccumulator whole = new ChannelGridAccumulator("t", domains, 64);
      rows.forEach(row -> whole.add(row.channel(), row.values(), 0, row.values().length));
      ChannelGridAccumulator merged = new ChannelGridAccumulator("t", domains, 64);
      for (List<Row> part : randomParts(r, rows, 1 + r.nextInt(8))) {
        ChannelGridAccumulator a = new ChannelGridAccumulator("t", domains, 64);
        for (Row row : part) {
          int cut = r.nextInt(row.values().length + 1);
          a.add(row.channel(), row.values(), 0, cut);
          a.add(row.channel(), row.values(), cut, row.values().length);
        }
        merged.merge(a);
      }
      ChannelStates expected = whole.states(0);
      assertEquals(expected, merged.states(0));
      assertEquals(expected, whole.empty().merge(merged).states(0), "empty is the identity");

      ChannelSpecs specs =
          ChannelSpecs.forRanges("t", expected.ranges(), domains, 64, HistogramLayout.GRID);
      ChannelHistogramAccumulator twoPasses = new ChannelHistogramAccumulator("t", specs);
      rows.forEach(row -> twoPasses.add(row.channel(), row.values(), 0, row.values().length));
      for (int c = 0; c < expected.count(); c++) {
        assertEquals(twoPasses.snapshot(c), expected.histograms(c), "channel " + c);
      }
    }
  }

  /**
   * Spark ships a task's accumulators in their compact serialized form: each part's accumulator,
   * serialized and read back (empty channels, the axis unset or set, no histogram at all), merges
   * into exactly the whole, and still refuses rows that disagree with it.
   */
  @Test
  void gridAccumulatorsShippedBetweenTasksMergeIntoTheWhole() throws Exception {
    Random r = new Random(17);
    for (int trial = 0; trial < 10; trial++) {
      EnumSet<Domain> domains =
          trial % 3 == 0
              ? EnumSet.noneOf(Domain.class)
              : EnumSet.of(Domain.ABSOLUTE, Domain.SIGNED, Domain.LOG2);
      List<Row> rows = rows(r, 6, 150);
      ChannelGridAccumulator whole = new ChannelGridAccumulator("t", domains, 64);
      rows.forEach(row -> whole.add(row.channel(), row.values(), 0, row.values().length));
      ChannelGridAccumulator merged = new ChannelGridAccumulator("t", domains, 64);
      for (List<Row> part : randomParts(r, rows, 1 + r.nextInt(8))) {
        ChannelGridAccumulator a = new ChannelGridAccumulator("t", domains, 64);
        if (r.nextBoolean()) {
          a.axis(0);
        }
        part.forEach(row -> a.add(row.channel(), row.values(), 0, row.values().length));
        ChannelGridAccumulator shipped = roundTrip(a);
        assertEquals(a.states(0), shipped.states(0));
        // The state/ row's bytes, encoded from the accumulator, are the states' own.
        assertArrayEquals(a.states(0).toBytes(), ChannelStates.toBytes(a, 0));
        assertEquals(a.count(), shipped.count(), "the same channel slots");
        merged.merge(shipped);
      }
      assertEquals(whole.states(0), roundTrip(merged).states(0));
      // The merged states, as a run persists them serialized.
      assertEquals(whole.states(0), roundTrip(whole.states(0)));
    }
    ChannelGridAccumulator declared = new ChannelGridAccumulator("t", Set.of(Domain.ABSOLUTE), 64);
    declared.add(ChannelSplit.of(new long[] {2, 3}, 0, 6), new float[6], 0);
    ChannelGridAccumulator other = new ChannelGridAccumulator("t", Set.of(Domain.ABSOLUTE), 64);
    other.add(ChannelSplit.of(new long[] {3, 2}, 1, 6), new float[6], 0);
    ChannelGridAccumulator back = roundTrip(declared);
    assertThrows(IllegalArgumentException.class, () -> back.merge(other));
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T a) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(a);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  /**
   * A persisted state: the states of part A, written as bytes and read back, then held by {@link
   * ChannelGridAccumulator#of} with fewer bins and merged with part B, equal the whole folded with
   * those bins (what {@code recompute} and {@code --merge-state} rely on).
   */
  @Test
  void persistedStatesMergedWithNewRowsEqualTheWhole() {
    Random r = new Random(17);
    EnumSet<Domain> domains = EnumSet.of(Domain.ABSOLUTE, Domain.SIGNED);
    for (int trial = 0; trial < 10; trial++) {
      List<Row> rows = rows(r, 7, 120);
      List<List<Row>> parts = randomParts(r, rows, 2);
      ChannelGridAccumulator a = new ChannelGridAccumulator("t", domains, 128);
      parts.get(0).forEach(row -> a.add(row.channel(), row.values(), 0, row.values().length));
      a.axis(1);
      byte[] bytes = a.states(0).toBytes();
      ChannelStates read = ChannelStates.fromBytes(bytes);
      assertEquals(a.states(0), read);
      assertEquals(1, read.ranges().axis());

      ChannelGridAccumulator merged = ChannelGridAccumulator.of("t", read, domains, 32);
      ChannelGridAccumulator b = new ChannelGridAccumulator("t", domains, 32);
      parts.get(1).forEach(row -> b.add(row.channel(), row.values(), 0, row.values().length));
      merged.merge(b);
      ChannelGridAccumulator whole = new ChannelGridAccumulator("t", domains, 32).axis(1);
      rows.forEach(row -> whole.add(row.channel(), row.values(), 0, row.values().length));
      assertEquals(whole.states(0), merged.states(0));
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ChannelStates.fromBytes(new byte[] {'C', 1, 0}));
    assertTrue(e.getMessage().contains("Cannot read per-channel states"), e.getMessage());
  }

  @Test
  void aGridAccumulatorAboveTheMemoryBoundIsRefusedWhenItsChannelsAreKnown() {
    ChannelGridAccumulator a =
        new ChannelGridAccumulator("big", EnumSet.of(Domain.ABSOLUTE, Domain.SIGNED), 256);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> a.add(ChannelSplit.of(new long[] {65536, 1}, 0, 65536), new float[65536], 0));
    assertTrue(e.getMessage().contains("to at most 128"), e.getMessage());
    // Range statistics alone have no such bound.
    new ChannelGridAccumulator("big")
        .add(ChannelSplit.of(new long[] {65536, 1}, 0, 65536), new float[65536], 0);
  }

  @Test
  void rowsOfDifferentAxesOrChannelCountsAreRefusedNamingTheTensor() {
    ChannelGridAccumulator a = new ChannelGridAccumulator("conv.w");
    a.add(ChannelSplit.of(new long[] {2, 3}, 0, 6), new float[6], 0);
    ChannelGridAccumulator b = new ChannelGridAccumulator("conv.w");
    b.add(ChannelSplit.of(new long[] {2, 3}, 1, 6), new float[6], 0);
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> a.merge(b))
            .getMessage()
            .contains("tensor 'conv.w' per channel: its rows have channel axis 0 and 1"));
    ChannelGridAccumulator c = new ChannelGridAccumulator("conv.w");
    c.add(ChannelSplit.of(new long[] {4, 3}, 0, 12), new float[12], 0);
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> a.merge(c))
            .getMessage()
            .contains("its rows have 2 and 4 channels along axis 0"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> a.add(-1, new float[1], 0, 1))
            .getMessage()
            .contains("channel -1 of tensor 'conv.w'"));
  }

  @Test
  void aTensorAboveTheMemoryBoundIsRefusedWithTheBinsToUse() {
    RangeStats[] channels = new RangeStats[65536];
    java.util.Arrays.fill(channels, RangeStats.of(1f, -1f));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ChannelSpecs.forRanges(
                    "big",
                    new ChannelRanges(0, channels),
                    EnumSet.of(Domain.ABSOLUTE, Domain.SIGNED),
                    256,
                    HistogramLayout.RANGE));
    assertTrue(
        e.getMessage().contains("tensor 'big': 65536 channels × 256 bins × 2 domains"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("--channel-bins (spark.qcal.channel-bins) to at most 128"),
        e.getMessage());
  }
}
