package dev.qcal.core.histogram;

import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.stats.RangeStatsAccumulator;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One tensor's range statistics and its {@link HistogramLayout#GRID grid} histograms in the given
 * domains, built in one pass over the data: the histograms' layouts grow with the data instead of
 * being fixed from a first pass.
 *
 * <p><b>Invariant.</b> Between calls, every histogram is in exactly the layout {@link
 * HistogramSpec#forStats(Domain, RangeStats, int, HistogramLayout) forStats(domain, stats(), bins,
 * GRID)} of the values seen so far (a tensor with none, or with no non-zero finite value, has the
 * narrowest layouts). {@link #add} folds a slice into the range statistics first; when their max|x|
 * reaches the top edge of a layout (and only then does a layout change: the grid width is monotone
 * in max|x|), the counts are coarsened to the new layout ({@link HistogramAccumulator#regrid},
 * O(bins)) before the slice is binned. Coarsening is exact (⌊⌊x/w⌋/2^k⌋ = ⌊x/(w·2^k)⌋, LOG2 by
 * whole octaves), so the histograms are at every moment bit for bit those a direct fill of the same
 * values with the current layout would give; and {@link #merge} regrids both sides to the layout of
 * the merged statistics. The result is therefore, whatever the order of slices, tasks and merges,
 * exactly the two-pass histogram: statistics first, then a fill with the layout they fix.
 *
 * <p><b>Cost.</b> The per-slice check is one comparison; a layout grows only when a slice raises
 * max|x| past the current top edge, a handful of times per tensor and task (a growth by 2^60 is one
 * regrid). The fill loops are {@link HistogramAccumulator}'s.
 */
public final class GrowingGridAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int bins;
  private final Domain[] domains;
  private final RangeStatsAccumulator stats = new RangeStatsAccumulator();
  private final HistogramAccumulator[] histograms;

  /** The smallest max|x| at which some layout must grow (+∞ without histograms). */
  private double limit;

  /**
   * An empty accumulator of histograms in {@code domains} (none: range statistics only), each of at
   * most {@code bins} bins (ABSOLUTE, SIGNED; LOG2 always has {@value HistogramSpec#LOG2_BINS}).
   *
   * @throws IllegalArgumentException if {@code bins} is outside the allowed range
   */
  public GrowingGridAccumulator(Set<Domain> domains, int bins) {
    this(domains, bins, RangeStats.EMPTY);
  }

  /**
   * An empty accumulator as {@link #GrowingGridAccumulator(Set, int)} whose histograms keep dense
   * counts from the start: for data that comes in slices of several values per bin (a channel's
   * runs of a weight row: 1 024 values in at most 256 bins), where the sparse start of {@link
   * HistogramAccumulator} only stages each slice and copies its bins into new arrays, then turns
   * dense a few slices later anyway.
   */
  public static GrowingGridAccumulator dense(Set<Domain> domains, int bins) {
    GrowingGridAccumulator out = new GrowingGridAccumulator(domains, bins);
    for (HistogramAccumulator h : out.histograms) {
      h.densify();
    }
    return out;
  }

  /** An accumulator of {@code stats} whose histograms, in their layouts, are still empty. */
  private GrowingGridAccumulator(Set<Domain> domains, int bins, RangeStats stats) {
    HistogramSpec.checkBinCount(bins);
    this.bins = bins;
    this.domains =
        domains.isEmpty() ? new Domain[0] : EnumSet.copyOf(domains).toArray(new Domain[0]);
    this.histograms = new HistogramAccumulator[this.domains.length];
    this.stats.merge(stats);
    layOut(stats);
  }

  /**
   * An accumulator holding a persisted state: its range statistics and its histograms (one in every
   * domain of {@code domains}, in the grid layout of {@code stats} with as many bins as {@code
   * bins} or more), coarsened exactly to {@code bins}.
   *
   * @throws IllegalArgumentException if a domain is missing or a histogram cannot be regridded
   *     exactly (naming both layouts)
   */
  public static GrowingGridAccumulator of(
      RangeStats stats, Map<Domain, Histogram> histograms, Set<Domain> domains, int bins) {
    GrowingGridAccumulator out = new GrowingGridAccumulator(domains, bins, stats);
    for (int i = 0; i < out.domains.length; i++) {
      Histogram h = histograms.get(out.domains[i]);
      if (h == null) {
        throw new IllegalArgumentException(
            "Cannot build a one-pass accumulator: no "
                + out.domains[i].key()
                + " histogram in "
                + histograms.keySet());
      }
      out.histograms[i].merge(h.regrid(out.histograms[i].spec()));
    }
    return out;
  }

  /** The most bins of the ABSOLUTE and SIGNED histograms. */
  public int bins() {
    return bins;
  }

  /** The domains of the histograms (none: range statistics only). */
  public Set<Domain> domains() {
    return domains.length == 0
        ? EnumSet.noneOf(Domain.class)
        : EnumSet.copyOf(Arrays.asList(domains));
  }

  /**
   * Folds {@code values[from, to)} into the range statistics, grows the layouts if they no longer
   * cover max|x|, then bins the slice in every domain. An empty slice ({@code from >= to}) adds
   * nothing. Returns this accumulator.
   *
   * @throws IndexOutOfBoundsException if a non-empty slice is not inside {@code values} (then
   *     nothing is added)
   */
  public GrowingGridAccumulator add(float[] values, int from, int to) {
    if (from >= to) {
      return this;
    }
    Objects.checkFromToIndex(from, to, values.length);
    stats.add(values, from, to);
    if (stats.absMax() >= limit) {
      layOut(stats.snapshot());
    }
    for (HistogramAccumulator h : histograms) {
      h.add(h.spec(), values, from, to);
    }
    return this;
  }

  /**
   * Counts {@code nullCount} null elements and {@code nullRows} null values lists in the range
   * statistics (a null is no value: it enters no histogram). Returns this accumulator.
   */
  public GrowingGridAccumulator addNulls(long nullCount, long nullRows) {
    stats.addNulls(nullCount).addNullRows(nullRows);
    return this;
  }

  /** Adds all of {@code values}. Returns this accumulator. */
  public GrowingGridAccumulator add(float[] values) {
    return add(values, 0, values.length);
  }

  /**
   * Adds what {@code other} holds: the statistics merged, then both sides' histograms in the
   * layouts of the merged statistics, added. Associative and commutative; an empty accumulator is
   * the identity. Returns this accumulator; {@code other} is unchanged.
   *
   * @throws IllegalArgumentException if the domains or bins differ
   */
  public GrowingGridAccumulator merge(GrowingGridAccumulator other) {
    if (bins != other.bins || !Arrays.equals(domains, other.domains)) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot merge one-pass accumulators of different layouts: %s with %d bins and %s"
                  + " with %d bins",
              Arrays.toString(domains), bins, Arrays.toString(other.domains), other.bins));
    }
    stats.merge(other.stats);
    if (stats.absMax() >= limit) {
      layOut(stats.snapshot());
    }
    for (int i = 0; i < histograms.length; i++) {
      histograms[i].mergeRegridded(other.histograms[i]);
    }
    return this;
  }

  /** The range statistics of everything added and merged. */
  public RangeStats stats() {
    return stats.snapshot();
  }

  /**
   * The histograms by domain, each in exactly {@code HistogramSpec.forStats(domain, stats(), bins,
   * GRID)}: what a fill of every value with the layout of the final statistics gives.
   */
  public Map<Domain, Histogram> histograms() {
    EnumMap<Domain, Histogram> out = new EnumMap<>(Domain.class);
    for (int i = 0; i < domains.length; i++) {
      out.put(domains[i], histograms[i].snapshot());
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Each histogram of {@link #histograms} in {@link Histogram#toBytes}' form, by {@link
   * Domain#ordinal} (null for a domain not built): the bytes a state row holds, encoded from the
   * counts without a {@link Histogram} between ({@link HistogramAccumulator#snapshotBytes}).
   */
  public byte[][] histogramBytes() {
    byte[][] out = new byte[Domain.values().length][];
    for (int i = 0; i < domains.length; i++) {
      out[domains[i].ordinal()] = histograms[i].snapshotBytes();
    }
    return out;
  }

  /**
   * Puts every histogram into the grid layout of {@code s} (coarsening the counts) and updates the
   * growth limit: the lowest top edge, in |x|, of the new layouts. A layout changes exactly when
   * max|x| reaches its top edge (ABSOLUTE, SIGNED: K·w; LOG2: 2^hi), since the width, the bin count
   * and the top octave are all monotone in max|x|.
   */
  private void layOut(RangeStats s) {
    double top = Double.POSITIVE_INFINITY;
    for (int i = 0; i < domains.length; i++) {
      HistogramSpec spec = HistogramSpec.forStats(domains[i], s, bins, HistogramLayout.GRID);
      if (histograms[i] == null) {
        histograms[i] = new HistogramAccumulator(spec);
      } else {
        histograms[i].regrid(spec);
      }
      top =
          Math.min(
              top, spec.domain() == Domain.LOG2 ? Math.scalb(1.0, (int) spec.hi()) : spec.hi());
    }
    limit = top;
  }

  /**
   * This accumulator in a compact form that {@link #fromCompactBytes} reads, within one run
   * (Spark's shuffles and persisted blocks, never a file): the bins, the domains, the range
   * statistics ({@link RangeStats#toBytes}), then each histogram's outside counts and non-empty
   * bins as varints (a few bytes each) without its layout, which is the grid layout of the
   * statistics (the invariant above). Encoded straight into an array of its exact size: Java
   * serialization writes it whole ({@link #writeReplace}), not value by value through its stream.
   */
  public byte[] toCompactBytes() {
    byte[] s = stats.snapshot().toBytes();
    int size = Integer.BYTES + 1 + domains.length + 1 + s.length;
    for (HistogramAccumulator h : histograms) {
      size += h.compactSize();
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    putCompact(out, s);
    return out.array();
  }

  /**
   * The most bytes {@link #putCompact} can take: what a buffer that many accumulators share (a
   * per-channel tensor's, {@code ChannelGridForm}) makes room for before each, instead of sizing
   * each exactly in a pass of its own over its counts.
   */
  public int compactBound() {
    // The statistics' length is one byte: at most 255 bytes.
    int size = Integer.BYTES + 1 + domains.length + 1 + 255;
    for (HistogramAccumulator h : histograms) {
      // Three outside counts, the form's byte, a size (and a sparse total), then a gap and a
      // count per bin: varints of at most 10 bytes each.
      size += 3 * 10 + 1 + 2 * 10 + 2 * 10 * h.spec().binCount();
    }
    return size;
  }

  /**
   * Puts {@link #toCompactBytes}' form at {@code out}'s position, which has room for {@link
   * #compactBound} bytes; {@link #getCompact} reads it back.
   */
  public void putCompact(ByteBuffer out) {
    putCompact(out, stats.snapshot().toBytes());
  }

  private void putCompact(ByteBuffer out, byte[] s) {
    out.putInt(bins);
    out.put((byte) domains.length);
    for (Domain d : domains) {
      out.put((byte) d.ordinal());
    }
    out.put((byte) s.length);
    out.put(s);
    for (HistogramAccumulator h : histograms) {
      h.putCounts(out);
    }
  }

  /**
   * Reads the form {@link #toCompactBytes} writes: an accumulator equal to the one written, its
   * histograms in the form (sparse or dense) they were in.
   *
   * @throws IllegalArgumentException if the bytes are not that form
   */
  public static GrowingGridAccumulator fromCompactBytes(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    GrowingGridAccumulator out = getCompact(in);
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " bytes after the last histogram");
    }
    return out;
  }

  /**
   * Reads one accumulator in {@link #putCompact}'s form from {@code in}'s position, leaving it just
   * after.
   *
   * @throws IllegalArgumentException if the bytes there are not that form
   */
  public static GrowingGridAccumulator getCompact(ByteBuffer in) {
    try {
      int bins = in.getInt();
      Set<Domain> domains = EnumSet.noneOf(Domain.class);
      Domain[] all = Domain.values();
      for (int i = in.get() & 0xFF; i > 0; i--) {
        domains.add(all[in.get() & 0xFF]);
      }
      byte[] s = new byte[in.get() & 0xFF];
      in.get(s);
      GrowingGridAccumulator out =
          new GrowingGridAccumulator(domains, bins, RangeStats.fromBytes(s));
      for (HistogramAccumulator h : out.histograms) {
        h.getCounts(in);
      }
      return out;
    } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          "Cannot read a one-pass accumulator: the record is cut short or corrupt", e);
    }
  }

  /** Java serialization writes {@link GrowingGridForm}: {@link #toCompactBytes}. */
  private Object writeReplace() {
    return new GrowingGridForm(this);
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("a GrowingGridAccumulator is serialized as a GrowingGridForm");
  }

  @Override
  public String toString() {
    return "GrowingGridAccumulator{"
        + stats.snapshot()
        + ", "
        + Arrays.toString(domains)
        + ", bins="
        + bins
        + "}";
  }

  /**
   * The heap this holds, estimated: the object, its range statistics and each histogram's counts
   * (what Spark's shuffle maps would otherwise find by walking the objects).
   */
  public long retainedBytes() {
    long bytes = 128 + MemoryFootprint.array(histograms.length, 8);
    for (HistogramAccumulator h : histograms) {
      bytes += h == null ? 0 : h.retainedBytes();
    }
    return bytes;
  }
}
