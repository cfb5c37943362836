package dev.qcal.core.stats;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RangeStatsTest {

  @Test
  void countsNonFiniteValuesApartFromTheRange() {
    RangeStats s =
        RangeStats.of(
            1f, Float.NaN, -3f, Float.POSITIVE_INFINITY, 2.5f, Float.NEGATIVE_INFINITY, Float.NaN);
    assertEquals(7, s.count());
    assertEquals(2, s.nanCount());
    assertEquals(1, s.posInfCount());
    assertEquals(1, s.negInfCount());
    assertEquals(3, s.finiteCount());
    assertEquals(-3f, s.min());
    assertEquals(2.5f, s.max());
    assertEquals(3f, s.absMax());
    assertFalse(s.isConstant());
  }

  @Test
  void onlyNonFiniteValuesLeaveNoRange() {
    RangeStats s = RangeStats.of(Float.NaN, Float.POSITIVE_INFINITY);
    assertTrue(s.hasNoFiniteValue());
    assertEquals(0f, s.absMax());
    assertEquals(Float.POSITIVE_INFINITY, s.min());
    assertEquals(Float.NEGATIVE_INFINITY, s.max());
    assertFalse(s.isConstant());
  }

  @Test
  void singleAndConstantValuesAreConstant() {
    assertTrue(RangeStats.of(4f).isConstant());
    assertTrue(RangeStats.of(0f, 0f, Float.NaN).isConstant());
    assertFalse(RangeStats.of().isConstant());
  }

  @Test
  void negativeZeroAndZeroCompareEqualAsMinMax() {
    RangeStats s = RangeStats.of(-0f, 0f);
    assertTrue(s.isConstant());
    assertEquals(0f, s.absMax());
  }

  @Test
  void emptyIsTheIdentityOfMerge() {
    RangeStats s = RangeStats.of(1f, -2f, Float.NaN);
    assertEquals(s, s.merge(RangeStats.EMPTY));
    assertEquals(s, RangeStats.EMPTY.merge(s));
    assertEquals(RangeStats.EMPTY, RangeStats.EMPTY.merge(RangeStats.EMPTY));
    assertEquals(RangeStats.EMPTY, new RangeStatsAccumulator().snapshot());
  }

  @Test
  void randomSplitsMergedInRandomOrderEqualTheWhole() {
    long seed = 20261122L;
    Random random = new Random(seed);
    for (int round = 0; round < 200; round++) {
      float[] values = randomValues(random, random.nextInt(300));
      RangeStats whole = RangeStats.of(values);
      List<RangeStats> parts = new ArrayList<>();
      int from = 0;
      while (from < values.length) {
        int to = Math.min(values.length, from + 1 + random.nextInt(40));
        parts.add(new RangeStatsAccumulator().add(values, from, to).snapshot());
        from = to;
      }
      parts.add(RangeStats.EMPTY);
      Collections.shuffle(parts, random);
      RangeStats merged = RangeStats.EMPTY;
      for (RangeStats p : parts) {
        merged = random.nextBoolean() ? merged.merge(p) : p.merge(merged);
      }
      assertEquals(whole, merged, "seed " + seed + " round " + round);
    }
  }

  @Test
  void mergeIsAssociativeAndCommutative() {
    RangeStats a = RangeStats.of(1f, Float.NaN);
    RangeStats b = RangeStats.of(-5f, Float.POSITIVE_INFINITY);
    RangeStats c = RangeStats.of(Float.NEGATIVE_INFINITY, 7f, 0f);
    assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)));
    assertEquals(a.merge(b), b.merge(a));
  }

  @Test
  void accumulatorMergeMatchesSnapshotMerge() {
    float[] v = {3f, -1f, Float.NaN, 9f, Float.NEGATIVE_INFINITY};
    RangeStatsAccumulator left = new RangeStatsAccumulator().add(v, 0, 2);
    RangeStatsAccumulator right = new RangeStatsAccumulator().add(v, 2, 5);
    RangeStats expected = RangeStats.of(v);
    assertEquals(expected, new RangeStatsAccumulator().add(v, 0, 2).merge(right).snapshot());
    assertEquals(
        expected,
        new RangeStatsAccumulator().merge(left.snapshot()).merge(right.snapshot()).snapshot());
  }

  @Test
  void snapshotIsNotChangedByLaterAdds() {
    RangeStatsAccumulator acc = new RangeStatsAccumulator().add(new float[] {1f});
    RangeStats before = acc.snapshot();
    acc.add(new float[] {100f});
    assertEquals(1f, before.max());
  }

  @Test
  void roundTripsThroughBytesEmptyIncluded() {
    for (RangeStats s :
        List.of(
            RangeStats.EMPTY,
            RangeStats.of(Float.NaN),
            RangeStats.of(1f, -2f, Float.POSITIVE_INFINITY),
            RangeStats.of(Float.MIN_VALUE, Float.MAX_VALUE))) {
      byte[] bytes = s.toBytes();
      assertEquals(RangeStats.BINARY_SIZE, bytes.length);
      assertEquals(s, RangeStats.fromBytes(bytes));
    }
  }

  @Test
  void nullsAreCountedApartFromValuesAndMergeAsCounts() {
    RangeStats a = RangeStats.of(1f, Float.NaN).withNulls(3, 1);
    RangeStats b =
        new RangeStatsAccumulator().add(new float[] {-2f}).addNulls(2).addNullRows(4).snapshot();
    RangeStats onlyNulls = RangeStats.EMPTY.withNulls(5, 0);
    assertEquals(2, a.count());
    assertEquals(1, a.nanCount());
    assertEquals(1, a.finiteCount());
    assertTrue(a.hasNulls());
    assertFalse(RangeStats.of(1f, Float.NaN).hasNulls());
    RangeStats ab = a.merge(b);
    assertEquals(3, ab.count());
    assertEquals(5, ab.nullCount());
    assertEquals(5, ab.nullRows());
    assertEquals(-2f, ab.min());
    assertEquals(ab, b.merge(a));
    // A tensor of only nulls has no value, yet is not the identity: its nulls count.
    assertEquals(5, a.merge(onlyNulls).nullCount() - a.nullCount());
    assertEquals(onlyNulls, RangeStats.EMPTY.merge(onlyNulls));
    assertEquals(onlyNulls, new RangeStatsAccumulator().merge(onlyNulls).snapshot());
    assertEquals(ab, new RangeStatsAccumulator().merge(a).merge(b).snapshot());
    assertEquals(
        ab,
        new RangeStatsAccumulator()
            .add(new float[] {1f, Float.NaN})
            .addNulls(3)
            .addNullRows(1)
            .merge(new RangeStatsAccumulator().add(new float[] {-2f}).addNulls(2).addNullRows(4))
            .snapshot());
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> RangeStats.EMPTY.withNulls(-1, 0),
        "negative null count (null=-1, null rows=0)");
  }

  @Test
  void roundTripsNullsThroughBytes() {
    for (RangeStats s :
        List.of(RangeStats.EMPTY.withNulls(7, 2), RangeStats.of(1f, Float.NaN).withNulls(3, 0))) {
      byte[] bytes = s.toBytes();
      assertEquals(RangeStats.BINARY_SIZE, bytes.length);
      assertEquals(2, bytes[1]);
      assertEquals(s, RangeStats.fromBytes(bytes));
    }
  }

  @Test
  void readsVersionOneAsWrittenBeforeNullsWereCounted() {
    // RangeStats.of(1f, -2f, NaN, +Inf).toBytes() of qcal before version 2 (42 bytes): count 4,
    // NaN 1, +Inf 1, -Inf 0, min -2, max 1. Its null elements, if any, are in its NaN count.
    byte[] v1 =
        java.util.HexFormat.of()
            .parseHex(
                "5201"
                    + "0000000000000004"
                    + "0000000000000001"
                    + "0000000000000001"
                    + "0000000000000000"
                    + "c0000000"
                    + "3f800000");
    assertEquals(RangeStats.BINARY_SIZE_V1, v1.length);
    RangeStats s = RangeStats.fromBytes(v1);
    assertEquals(RangeStats.of(1f, -2f, Float.NaN, Float.POSITIVE_INFINITY), s);
    assertEquals(0, s.nullCount());
    assertEquals(0, s.nullRows());
    // A version-1 record of the version-2 size, or the reverse, is not a record.
    byte[] wrongSize = java.util.Arrays.copyOf(RangeStats.of(1f).toBytes(), RangeStats.BINARY_SIZE);
    wrongSize[1] = 1;
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> RangeStats.fromBytes(wrongSize),
        "not a qcal range-statistics record (" + RangeStats.BINARY_SIZE + " bytes)");
    byte[] shortV2 = java.util.Arrays.copyOf(v1, v1.length);
    shortV2[1] = 2;
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> RangeStats.fromBytes(shortV2),
        "not a qcal range-statistics record (" + RangeStats.BINARY_SIZE_V1 + " bytes)");
  }

  @Test
  void rejectsForeignOrFutureBytes() {
    byte[] bytes = RangeStats.of(1f).toBytes();
    bytes[1] = 9;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RangeStats.fromBytes(bytes));
    assertEquals("Cannot read range statistics: unknown format version 9", e.getMessage());
    IllegalArgumentException short_ =
        assertThrows(IllegalArgumentException.class, () -> RangeStats.fromBytes(new byte[3]));
    assertTrue(short_.getMessage().contains("not a qcal range-statistics record"));
  }

  @Test
  void rejectsInconsistentParts() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RangeStats.of(2, 3, 0, 0, 0f, 1f));
    assertEquals(
        "Cannot build range statistics: 3 non-finite values exceed the count 2", e.getMessage());
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> RangeStats.of(2, 0, 0, 0, 3f, 1f),
        "min 3.0 and max 1.0 must be finite with min <= max");
  }

  static float[] randomValues(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(50);
      v[i] =
          kind == 0
              ? Float.NaN
              : kind == 1
                  ? Float.POSITIVE_INFINITY
                  : kind == 2 ? Float.NEGATIVE_INFINITY : (float) (random.nextGaussian() * 3);
    }
    return v;
  }
}
