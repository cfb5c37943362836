package dev.qcal.core.channel;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.LengthPrefixedBytes;
import dev.qcal.core.stats.RangeStats;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One tensor's per-channel state: its {@link ChannelRanges} (axis and each channel's range
 * statistics) and each channel's histograms by domain (empty when no method needs one). What the
 * per-channel searches read and what {@code state/} keeps ({@link #toBytes}). Immutable.
 */
public final class ChannelStates implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ChannelRanges ranges;
  private final List<Map<Domain, Histogram>> histograms;

  /**
   * The states of {@code ranges.count()} channels.
   *
   * @param histograms one map per channel, in channel order
   * @throws IllegalArgumentException if there are not as many maps as channels
   */
  public ChannelStates(ChannelRanges ranges, List<Map<Domain, Histogram>> histograms) {
    if (histograms.size() != ranges.count()) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build per-channel states: %d channels, %d histogram sets",
              ranges.count(), histograms.size()));
    }
    List<Map<Domain, Histogram>> copy = new ArrayList<>(histograms.size());
    for (Map<Domain, Histogram> h : histograms) {
      EnumMap<Domain, Histogram> m = new EnumMap<>(Domain.class);
      m.putAll(h);
      copy.add(Collections.unmodifiableMap(m));
    }
    this.ranges = ranges;
    this.histograms = Collections.unmodifiableList(copy);
  }

  /** The axis and each channel's range statistics. */
  public ChannelRanges ranges() {
    return ranges;
  }

  /** The channel count. */
  public int count() {
    return ranges.count();
  }

  /** The histograms of channel {@code c} by domain (empty when none was built). */
  public Map<Domain, Histogram> histograms(int c) {
    return histograms.get(c);
  }

  private static final byte MAGIC = 'C';
  private static final byte FORMAT_VERSION = 1;

  /**
   * A compact, versioned binary form: magic {@code 'C'}, version 1, the axis and channel count
   * (ints), then per channel its {@link RangeStats#toBytes} and, for each domain in {@link Domain}
   * order, whether the channel has that histogram and its {@link Histogram#toBytes} (each part
   * preceded by its length, big-endian). See {@link #fromBytes}.
   */
  public byte[] toBytes() {
    int n = count();
    Domain[] domains = Domain.values();
    byte[][] stats = new byte[n][];
    byte[][][] forms = new byte[n][domains.length][];
    for (int c = 0; c < n; c++) {
      stats[c] = ranges.channel(c).toBytes();
      for (Domain d : domains) {
        Histogram h = histograms(c).get(d);
        forms[c][d.ordinal()] = h == null ? null : h.toBytes();
      }
    }
    return encode(ranges.axis(), stats, forms);
  }

  /**
   * {@code a.states(defaultAxis).toBytes()}, encoded from {@code a}'s channels into one array of
   * its size: each channel's statistics and its histograms' {@link
   * GrowingGridAccumulator#histogramBytes} (a {@link Histogram}'s form without the {@link
   * Histogram}). The state of a per-channel run's tensors is encoded so ({@code state/} rows): the
   * states' snapshots and their stream into a growing array were 1.2% of a run's samples (JFR, 50
   * tensors of 256 channels).
   */
  public static byte[] toBytes(ChannelGridAccumulator a, int defaultAxis) {
    ChannelRanges ranges = a.snapshot(defaultAxis);
    GrowingGridAccumulator[] slots = a.slots();
    int n = ranges.count();
    byte[][] stats = new byte[n][];
    byte[][][] histograms = new byte[n][][];
    byte[][] empty = null;
    for (int c = 0; c < n; c++) {
      stats[c] = ranges.channel(c).toBytes();
      if (c < slots.length && slots[c] != null) {
        histograms[c] = slots[c].histogramBytes();
      } else {
        if (empty == null) {
          empty = new GrowingGridAccumulator(a.domains(), a.bins()).histogramBytes();
        }
        histograms[c] = empty;
      }
    }
    return encode(ranges.axis(), stats, histograms);
  }

  /**
   * {@link #toBytes}'s form of channels whose {@link RangeStats#toBytes} are {@code stats} and
   * whose histograms' {@link Histogram#toBytes} are {@code histograms} (by channel, then {@link
   * Domain} ordinal; null: none), in one array of its size.
   */
  private static byte[] encode(int axis, byte[][] stats, byte[][][] histograms) {
    int size = 2 + 2 * Integer.BYTES;
    for (int c = 0; c < stats.length; c++) {
      size += Integer.BYTES + stats[c].length;
      for (byte[] h : histograms[c]) {
        size += 1 + (h == null ? 0 : Integer.BYTES + h.length);
      }
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(MAGIC).put(FORMAT_VERSION).putInt(axis).putInt(stats.length);
    for (int c = 0; c < stats.length; c++) {
      out.putInt(stats[c].length).put(stats[c]);
      for (byte[] h : histograms[c]) {
        out.put((byte) (h != null ? 1 : 0));
        if (h != null) {
          out.putInt(h.length).put(h);
        }
      }
    }
    return out.array();
  }

  /**
   * Reads the form {@link #toBytes} writes.
   *
   * @throws IllegalArgumentException if the bytes are not per-channel states of a known version
   */
  public static ChannelStates fromBytes(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      if (in.get() != MAGIC) {
        throw new IllegalArgumentException("not a qcal per-channel record");
      }
      byte version = in.get();
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException("unknown format version " + version);
      }
      int axis = in.getInt();
      int n = in.getInt();
      if (n < 0 || n > ChannelSplit.MAX_CHANNELS) {
        throw new IllegalArgumentException(n + " channels");
      }
      RangeStats[] stats = new RangeStats[n];
      List<Map<Domain, Histogram>> histograms = new ArrayList<>(n);
      for (int c = 0; c < n; c++) {
        stats[c] = RangeStats.fromBytes(part(in));
        Map<Domain, Histogram> m = new EnumMap<>(Domain.class);
        for (Domain d : Domain.values()) {
          if (in.get() != 0) {
            Histogram h = Histogram.fromBytes(part(in));
            if (h.domain() != d) {
              throw new IllegalArgumentException(
                  "channel " + c + " holds a " + h.domain().key() + " histogram as " + d.key());
            }
            m.put(d, h);
          }
        }
        histograms.add(m);
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " bytes after the last channel");
      }
      return new ChannelStates(new ChannelRanges(axis, stats), histograms);
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          "Cannot read per-channel states: the record is cut short", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot read per-channel states: " + e.getMessage(), e);
    }
  }

  private static byte[] part(ByteBuffer in) {
    int n = in.getInt();
    if (n < 0 || n > in.remaining()) {
      throw new IndexOutOfBoundsException(n);
    }
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }

  /** Java serialization writes {@link SerializedForm}: {@link #toBytes}. */
  private Object writeReplace() {
    return new SerializedForm(this);
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException(
        "a ChannelStates is serialized as a ChannelStates.SerializedForm");
  }

  /**
   * What Java serialization (the persisted merged states of a run, Spark's shuffles) writes for a
   * {@link ChannelStates}: its {@link #toBytes} form, one array, instead of the default form's
   * graph (a statistics object, an enum map and a histogram proxy per channel), whose generic
   * reflective paths grew hot enough for C2 to compile them (a second of compilation in a run of 50
   * tensors of 256 channels, JFR).
   */
  private static final class SerializedForm implements Serializable {
    private static final long serialVersionUID = 1L;
    private transient ChannelStates states;

    SerializedForm(ChannelStates states) {
      this.states = states;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      LengthPrefixedBytes.write(out, states.toBytes());
    }

    private void readObject(ObjectInputStream in) throws IOException {
      states = LengthPrefixedBytes.read(in, ChannelStates::fromBytes);
    }

    private Object readResolve() {
      return states;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelStates
        && ranges.equals(((ChannelStates) o).ranges)
        && histograms.equals(((ChannelStates) o).histograms);
  }

  @Override
  public int hashCode() {
    return 31 * ranges.hashCode() + histograms.hashCode();
  }
}
