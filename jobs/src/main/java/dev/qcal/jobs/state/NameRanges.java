package dev.qcal.jobs.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import org.apache.spark.Partitioner;

/**
 * Cuts tensor names (keys: their UTF-8 bytes) into consecutive ranges of {@link
 * StateParquet.NameOrder}, each of about the same number of the names it was built from, so that
 * partition {@code p} holds only names sorting before those of partition {@code p + 1}. Built on
 * the driver from names it already knows, where Spark's {@code RangePartitioner} would first run a
 * job that samples the keys (and computes every value along with them).
 */
final class NameRanges extends Partitioner {
  private static final long serialVersionUID = 1L;

  /** The last name of every range but the last, in order. */
  private final byte[][] upper;

  private NameRanges(byte[][] upper) {
    this.upper = upper;
  }

  /**
   * Ranges of at most {@code perRange} of {@code names} each, and at least {@code atLeast} of them
   * (or one per name, when there are fewer names), so that that many tasks can build the rows at
   * once; one range when there are no names.
   */
  static NameRanges of(Collection<String> names, int perRange, int atLeast) {
    byte[][] sorted = new byte[names.size()][];
    int i = 0;
    for (String n : names) {
      sorted[i++] = n.getBytes(StandardCharsets.UTF_8);
    }
    Arrays.sort(sorted, new StateParquet.NameOrder());
    int n = sorted.length;
    int ranges = Math.max(1, Math.max(Math.min(atLeast, n), (n + perRange - 1) / perRange));
    int per = Math.max(1, (n + ranges - 1) / ranges);
    byte[][] upper = new byte[ranges - 1][];
    for (int r = 0; r < upper.length; r++) {
      upper[r] = sorted[Math.min(n - 1, (r + 1) * per - 1)];
    }
    return new NameRanges(upper);
  }

  @Override
  public int numPartitions() {
    return upper.length + 1;
  }

  /** The first range whose last name is not before {@code key}; the last range after them all. */
  @Override
  public int getPartition(Object key) {
    byte[] name = (byte[]) key;
    int lo = 0;
    int hi = upper.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Arrays.compareUnsigned(upper[mid], name) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NameRanges r && Arrays.deepEquals(upper, r.upper);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(upper);
  }
}
