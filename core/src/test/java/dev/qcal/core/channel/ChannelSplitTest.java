package dev.qcal.core.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The split of a row-major row into channel runs, against index arithmetic value by value. */
class ChannelSplitTest {
  /** numpy's unravel_index along {@code axis}. */
  static int channelOf(long[] shape, int axis, int i) {
    long rest = i;
    int channel = 0;
    for (int d = shape.length - 1; d >= 0; d--) {
      if (d == axis) {
        channel = (int) (rest % shape[d]);
      }
      rest /= shape[d];
    }
    return channel;
  }

  @Test
  void everyValueGoesToTheChannelOfItsIndexOnEveryAxis() {
    long[][] shapes = {{4}, {3, 5}, {2, 3, 4}, {2, 1, 3, 2}, {6, 1}};
    for (long[] shape : shapes) {
      int n = 1;
      for (long d : shape) {
        n *= (int) d;
      }
      float[] values = new float[n + 3];
      for (int i = 0; i < values.length; i++) {
        values[i] = i - 3; // value = flat index once the 3-value offset is removed
      }
      for (int axis = -shape.length; axis < shape.length; axis++) {
        int a = axis < 0 ? axis + shape.length : axis;
        ChannelSplit split = ChannelSplit.of(shape, axis, n);
        assertEquals(a, split.axis());
        assertEquals(shape[a], split.channels());
        List<int[]> seen = new ArrayList<>();
        split.forEachRun(
            values,
            3,
            (c, v, from, to) -> {
              for (int i = from; i < to; i++) {
                seen.add(new int[] {c, (int) v[i]});
              }
            });
        assertEquals(n, seen.size());
        for (int[] s : seen) {
          assertEquals(
              channelOf(shape, a, s[1]),
              s[0],
              "shape " + java.util.Arrays.toString(shape) + " axis " + axis);
        }
      }
    }
  }

  @Test
  void badShapesAreRefusedWithTheShapeInTheMessage() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> ChannelSplit.of(new long[] {2, 3}, 2, 6))
            .getMessage()
            .contains("axis 2 is out of range for shape [2, 3] (rank 2, axes -2..1)"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> ChannelSplit.of(new long[] {2, 3}, -3, 6))
            .getMessage()
            .contains("out of range"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> ChannelSplit.of(new long[] {2, 3}, 0, 5))
            .getMessage()
            .contains("shape [2, 3] holds 6 values but the row has 5"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> ChannelSplit.of(new long[] {2, -3}, 0, 6))
            .getMessage()
            .contains("negative dimension"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> ChannelSplit.of(new long[] {}, 0, 1))
            .getMessage()
            .contains("out of range"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> ChannelSplit.of(new long[] {70000, 1}, 0, 70000))
            .getMessage()
            .contains("70000 channels"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> ChannelSplit.of(new long[] {1L << 40, 1L << 40}, 0, 6))
            .getMessage()
            .contains("more than 2^63"));
  }

  @Test
  void aZeroDimensionSplitsIntoNothing() {
    ChannelSplit s = ChannelSplit.of(new long[] {4, 0}, 0, 0);
    assertEquals(4, s.channels());
    s.forEachRun(
        new float[0],
        0,
        (c, v, from, to) -> {
          throw new AssertionError("no run expected");
        });
  }
}
