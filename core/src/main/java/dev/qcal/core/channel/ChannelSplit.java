package dev.qcal.core.channel;

import java.util.Arrays;

/**
 * How the flat, row-major values of one tensor row split into channels along one axis: for shape
 * (d0, …, dk) and axis a, the values form runs of stride s = d(a+1)·…·dk, and run k belongs to
 * channel k mod d(a) (numpy's {@code reshape(shape)} indexing). So a row is split by slices, never
 * value by value (except for the last axis, where every run is one value). Immutable.
 */
public final class ChannelSplit {
  /** Most channels along one axis of one tensor (a Conv weight rarely has more than 4096). */
  public static final int MAX_CHANNELS = 1 << 16;

  private final int axis;
  private final int channels;
  private final int stride;
  private final int values;

  private ChannelSplit(int axis, int channels, int stride, int values) {
    this.axis = axis;
    this.channels = channels;
    this.stride = stride;
    this.values = values;
  }

  /**
   * The split of a row of {@code valueCount} values of shape {@code shape} along {@code axis}
   * (negative counts from the end, as in numpy: −1 is the last axis).
   *
   * @throws IllegalArgumentException naming the shape and axis if the axis is out of range, a
   *     dimension is negative, the shape's product is not {@code valueCount}, or the axis has more
   *     than {@value #MAX_CHANNELS} channels
   */
  public static ChannelSplit of(long[] shape, int axis, int valueCount) {
    int rank = shape.length;
    if (axis < -rank || axis >= rank) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot split by channel: axis %d is out of range for shape %s (rank %d, axes"
                  + " %d..%d)",
              axis, Arrays.toString(shape), rank, -rank, rank - 1));
    }
    int a = axis < 0 ? axis + rank : axis;
    long product = 1;
    long stride = 1;
    for (int i = 0; i < rank; i++) {
      if (shape[i] < 0) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot split by channel: shape %s has a negative dimension",
                Arrays.toString(shape)));
      }
      product = saturatingMultiply(product, shape[i]);
      if (i > a) {
        stride = saturatingMultiply(stride, shape[i]);
      }
    }
    if (product != valueCount) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot split by channel: shape %s holds %s values but the row has %d",
              Arrays.toString(shape),
              product == Long.MAX_VALUE ? "more than 2^63" : Long.toString(product),
              valueCount));
    }
    if (shape[a] > MAX_CHANNELS) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot split by channel: shape %s has %d channels along axis %d, more than the %d"
                  + " qcal keeps per tensor",
              Arrays.toString(shape), shape[a], a, MAX_CHANNELS));
    }
    return new ChannelSplit(a, (int) shape[a], (int) Math.max(1, stride), valueCount);
  }

  private static long saturatingMultiply(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
  }

  /** The axis, resolved to 0 ≤ axis < rank. */
  public int axis() {
    return axis;
  }

  /** The channel count, the shape's dimension along the axis. */
  public int channels() {
    return channels;
  }

  /** Contiguous runs in a row: none when a dimension is zero. */
  public int runs() {
    return channels == 0 || values == 0 ? 0 : values / stride;
  }

  /** Values per contiguous run. */
  public int stride() {
    return stride;
  }

  /**
   * Hands {@code values[from, from + valueCount)} to {@code sink} run by run, each with its
   * channel. A row with no value (a zero dimension) hands over nothing.
   */
  public void forEachRun(float[] values, int from, ChannelSink sink) {
    int runs = runs();
    int channel = 0;
    int start = from;
    for (int k = 0; k < runs; k++) {
      sink.accept(channel, values, start, start + stride);
      start += stride;
      if (++channel == channels) {
        channel = 0;
      }
    }
  }

  /**
   * {@link #forEachRun(float[], int, ChannelSink)} for a row with null elements: {@code isNull[i]}
   * marks {@code values[from + i]} as null, no value (null: none is). A run holding nulls reaches
   * {@code sink} without them (copied into a scratch array), and its null count through {@link
   * ChannelSink#nulls}.
   */
  public void forEachRun(float[] values, int from, boolean[] isNull, ChannelSink sink) {
    if (isNull == null) {
      forEachRun(values, from, sink);
      return;
    }
    float[] scratch = new float[stride];
    forEachRun(
        values,
        from,
        (channel, v, start, end) -> {
          int o = 0;
          for (int i = start; i < end; i++) {
            if (!isNull[i - from]) {
              scratch[o++] = v[i];
            }
          }
          sink.accept(channel, scratch, 0, o);
          if (o < end - start) {
            sink.nulls(channel, end - start - o);
          }
        });
  }
}
