package dev.qcal.core.histogram;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable histogram: edges, {@code long} bin counts, and the counts of what fell below, above
 * or was NaN (see {@code package-info} for the bin convention).
 *
 * <p>A histogram built by qcal has a {@link HistogramSpec} (uniform edges). One read from a
 * reference tool or a JSON file may have arbitrary increasing edges ({@link #withEdges}); its spec
 * is then {@code null}. Merging needs equal layouts and fails with a message naming both.
 */
public final class Histogram implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Domain domain;
  private final HistogramSpec spec;

  /** The explicit edges; null when {@link #spec} gives them (2049 doubles a histogram saved). */
  private final double[] edges;

  /**
   * The edges of {@link #spec}, computed on first use and kept: a search and its measurements ask
   * for them a dozen times per tensor, and each computation is a division per bin (7% of the
   * executors' CPU at 20 000 small tensors, JFR). Never serialized ({@link SerializedHistogram}).
   */
  private volatile double[] specEdges;

  /** {@link #nonEmptyBins}, found on first use and kept (never serialized, as specEdges). */
  private volatile NonEmptyBins nonEmpty;

  /**
   * {@link #total}, summed on first use and kept (−1: not yet; never serialized, as specEdges):
   * each method's search and measure asks whether the histogram is empty, a dozen sums over every
   * bin per tensor (2% of the summary searches' CPU at 20 000 small tensors, JFR).
   */
  private volatile long total = -1;

  private final long[] counts;
  private final long below;
  private final long above;
  private final long nan;

  /**
   * A histogram of these arrays, kept as given: {@link #of} and {@link #withEdges} copy and check
   * them first; {@link HistogramSparseForm} builds them itself.
   */
  Histogram(
      Domain domain,
      HistogramSpec spec,
      double[] edges,
      long[] counts,
      long below,
      long above,
      long nan) {
    this.domain = domain;
    this.spec = spec;
    this.edges = edges;
    this.counts = counts;
    this.below = below;
    this.above = above;
    this.nan = nan;
  }

  /**
   * Keeps the {@link #total} and {@link #nonEmptyBins} its reader found as it read the counts
   * ({@link HistogramBytes#read}): every search of a kept state asks for both. Returns this.
   */
  Histogram withFound(long found, NonEmptyBins bins) {
    this.total = found;
    this.nonEmpty = bins;
    return this;
  }

  /** An empty histogram of the given layout. */
  public static Histogram empty(HistogramSpec spec) {
    return new Histogram(spec.domain(), spec, null, new long[spec.binCount()], 0, 0, 0);
  }

  /**
   * A histogram of the given layout and counts (copied).
   *
   * @throws IllegalArgumentException if a count is negative or the lengths differ
   */
  public static Histogram of(HistogramSpec spec, long[] counts, long below, long above, long nan) {
    if (counts.length != spec.binCount()) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build a histogram of %s: %d counts given for %d bins",
              spec, counts.length, spec.binCount()));
    }
    checkCounts(counts, below, above, nan);
    return new Histogram(spec.domain(), spec, null, counts.clone(), below, above, nan);
  }

  /** A histogram of the given layout and counts, with nothing outside the range. */
  public static Histogram of(HistogramSpec spec, long... counts) {
    return of(spec, counts, 0, 0, 0);
  }

  /**
   * A histogram with explicit edges ({@code counts.length + 1} strictly increasing finite values),
   * as reference tools and JSON inputs give them. Both arrays are copied.
   *
   * @throws IllegalArgumentException if the lengths do not match, an edge is not finite or not
   *     increasing, or a count is negative
   */
  public static Histogram withEdges(Domain domain, double[] edges, long[] counts) {
    if (edges.length != counts.length + 1) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build a histogram: %d edges given for %d counts (need counts + 1)",
              edges.length, counts.length));
    }
    if (counts.length == 0) {
      throw new IllegalArgumentException("Cannot build a histogram: no bins");
    }
    for (int j = 0; j < edges.length; j++) {
      if (!Double.isFinite(edges[j]) || (j > 0 && !(edges[j] > edges[j - 1]))) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot build a histogram: edges must be finite and strictly increasing"
                    + " (edge %d is %s after %s)",
                j, edges[j], j > 0 ? edges[j - 1] : "nothing"));
      }
    }
    checkCounts(counts, 0, 0, 0);
    return new Histogram(domain, null, edges.clone(), counts.clone(), 0, 0, 0);
  }

  private static void checkCounts(long[] counts, long below, long above, long nan) {
    for (int j = 0; j < counts.length; j++) {
      if (counts[j] < 0) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot build a histogram: count of bin %d is negative (%d)", j, counts[j]));
      }
    }
    if (below < 0 || above < 0 || nan < 0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build a histogram: negative outside counts (below=%d, above=%d, nan=%d)",
              below, above, nan));
    }
  }

  /** What the histogram bins. */
  public Domain domain() {
    return domain;
  }

  /** The uniform layout, or {@code null} for a histogram built with explicit edges. */
  public HistogramSpec spec() {
    return spec;
  }

  /** Number of bins. */
  public int binCount() {
    return counts.length;
  }

  /** A copy of the n+1 edges, in value space. */
  public double[] edges() {
    return edgeArray().clone();
  }

  /** Edge {@code j}, 0 ≤ j ≤ n. */
  public double edge(int j) {
    return edgeArray()[j];
  }

  /** The edges, shared: the explicit ones, or the spec's, computed once. */
  private double[] edgeArray() {
    if (spec == null) {
      return edges;
    }
    double[] e = specEdges;
    if (e == null) {
      e = spec.edges();
      specEdges = e;
    }
    return e;
  }

  /** A copy of the bin counts. */
  public long[] counts() {
    return counts.clone();
  }

  /** Count of bin {@code j}. */
  public long count(int j) {
    return counts[j];
  }

  /** The non-empty bins, ascending: found once, shared by every method's measures. */
  public NonEmptyBins nonEmptyBins() {
    NonEmptyBins b = nonEmpty;
    if (b == null) {
      b = NonEmptyBins.of(counts);
      nonEmpty = b;
    }
    return b;
  }

  /** Values below the range (for LOG2, non-positive values included). */
  public long below() {
    return below;
  }

  /** Values above the range, +Inf (and for |x|, −Inf) included. */
  public long above() {
    return above;
  }

  /** NaN values. */
  public long nan() {
    return nan;
  }

  /** Sum of the bin counts (what fell inside the range). */
  public long total() {
    long t = total;
    if (t < 0) {
      t = 0;
      for (long c : counts) {
        t += c;
      }
      total = t;
    }
    return t;
  }

  /** True when no value fell inside the range. */
  public boolean isEmpty() {
    return total() == 0;
  }

  /** True when both histograms have the same domain and edges, so they can be merged. */
  public boolean isCompatibleWith(Histogram other) {
    return domain == other.domain
        && Objects.equals(spec, other.spec)
        && Arrays.equals(edges, other.edges);
  }

  /**
   * Both histograms added bin by bin. Associative and commutative; an empty histogram of the same
   * layout is the identity.
   *
   * @throws IllegalArgumentException naming both layouts if they differ
   */
  public Histogram merge(Histogram other) {
    if (!isCompatibleWith(other)) {
      throw new IllegalArgumentException(
          "Cannot merge histograms of different layouts: " + layout() + " and " + other.layout());
    }
    long[] sum = counts.clone();
    for (int j = 0; j < sum.length; j++) {
      sum[j] += other.counts[j];
    }
    return new Histogram(
        domain, spec, edges, sum, below + other.below, above + other.above, nan + other.nan);
  }

  /**
   * This histogram in the layout {@code target}, exactly as a direct fill of the same values with
   * {@code target} would have counted them: the identity when the layouts are equal; for grid
   * layouts of the same domain, whole bins summed into the coarser power-of-two width (bin j of
   * width 2^e goes to ⌊j/2^k⌋ of width 2^(e+k), since ⌊⌊x/w⌋/2^k⌋ = ⌊x/(w·2^k)⌋, for SIGNED on the
   * signed bin index, so 0 stays an edge); for LOG2, whole octaves shifted (bins under the target's
   * lowest octave go to {@code below}, as a direct fill counts them). Below, above and NaN counts
   * carry over. Correct for histograms filled by qcal, whose finite values all lie inside the range
   * (the spec comes from the data's own range statistics).
   *
   * @throws IllegalArgumentException naming both layouts when the result would not be exact: a
   *     range layout (they merge only with the very same range), a finer target width, a target
   *     that does not reach a non-empty bin, different domains, or explicit edges
   */
  public Histogram regrid(HistogramSpec target) {
    if (spec != null && spec.equals(target)) {
      return this;
    }
    if (spec == null
        || spec.domain() != target.domain()
        || spec.layout() != HistogramLayout.GRID
        || target.layout() != HistogramLayout.GRID) {
      throw notExact(
          target,
          spec == null || spec.domain() != target.domain() || spec.layout() == target.layout()
              ? "only histograms of the same domain in the grid layout (--histogram-layout grid)"
                  + " merge across ranges"
              : "a range-layout histogram and a grid-layout histogram never merge");
    }
    long[] out = new long[target.binCount()];
    long down = below + GridRemap.remap(spec, counts, below, target, out);
    return of(target, out, down, above, nan);
  }

  private IllegalArgumentException notExact(HistogramSpec target, String why) {
    return new IllegalArgumentException(
        "Cannot merge histograms of layouts " + layout() + " and " + target + " exactly: " + why);
  }

  /** A short description of the layout, for messages. */
  public String layout() {
    return spec != null
        ? spec.toString()
        : String.format(
            "%s[%s, %s]x%d (explicit edges)",
            domain.key(), edges[0], edges[edges.length - 1], counts.length);
  }

  /**
   * A compact, versioned binary form: the layout, then every count as an unsigned LEB128 varint
   * (one byte for an empty bin) ({@link HistogramBytes}). {@link #fromBytes} reads it back.
   */
  public byte[] toBytes() {
    return HistogramBytes.write(domain, spec, edges, counts, below, above, nan);
  }

  /**
   * Reads the form written by {@link #toBytes}.
   *
   * @throws IllegalArgumentException if the bytes are not a histogram of a known version
   */
  public static Histogram fromBytes(byte[] bytes) {
    return HistogramBytes.read(bytes);
  }

  /** This histogram's edges and counts with the given outside counts (explicit edges only). */
  Histogram withOutsideCounts(long newBelow, long newAbove, long newNan) {
    return new Histogram(domain, null, edges, counts, newBelow, newAbove, newNan);
  }

  /**
   * Writes the sparse form that {@link #readSparse} reads ({@link HistogramSparseForm}): the
   * layout, the outside counts, then the non-empty bins only. What Java serialization writes
   * ({@link SerializedHistogram}, for Spark's shuffles) and what a persisted per-tensor state
   * writes beside its statistics: a few bytes per non-empty bin, instead of two arrays of 2048
   * longs and doubles, or a varint for every bin ({@link #toBytes}, the state file's form).
   */
  public void writeSparse(DataOutput out) throws IOException {
    HistogramSparseForm.write(out, domain, spec, edges, counts, below, above, nan);
  }

  /**
   * Reads the form {@link #writeSparse} writes (within one run: the form is never kept in a file).
   */
  public static Histogram readSparse(DataInput in) throws IOException {
    return HistogramSparseForm.read(in);
  }

  /**
   * Java serialization (Spark's shuffles) writes {@link SerializedHistogram}: {@link #writeSparse}.
   */
  private Object writeReplace() {
    return new SerializedHistogram(this);
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("a Histogram is serialized as a SerializedHistogram");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Histogram)) {
      return false;
    }
    Histogram that = (Histogram) o;
    return isCompatibleWith(that)
        && Arrays.equals(counts, that.counts)
        && below == that.below
        && above == that.above
        && nan == that.nan;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        domain, spec, Arrays.hashCode(edges), Arrays.hashCode(counts), below, above, nan);
  }

  @Override
  public String toString() {
    return String.format(
        "Histogram{%s, total=%d, below=%d, above=%d, nan=%d}",
        layout(), total(), below, above, nan);
  }
}
