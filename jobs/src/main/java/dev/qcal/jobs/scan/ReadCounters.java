package dev.qcal.jobs.scan;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * Rows read and rows skipped (null tensor name or null values), counted on the executors. Like
 * every accumulator updated in a transformation, a retried task may count twice: these numbers are
 * for the summary, never for the table.
 */
public final class ReadCounters implements Serializable {
  private static final long serialVersionUID = 1L;

  final LongAccumulator rows;
  final LongAccumulator nullRows;

  private ReadCounters(LongAccumulator rows, LongAccumulator nullRows) {
    this.rows = rows;
    this.nullRows = nullRows;
  }

  /** Counters registered with {@code sc}. */
  public static ReadCounters register(SparkContext sc) {
    return new ReadCounters(
        sc.longAccumulator("qcal: rows read"), sc.longAccumulator("qcal: rows skipped (null)"));
  }

  /** Counts {@code n} rows read (for readers outside this package). */
  public void addRows(long n) {
    rows.add(n);
  }

  /** Counts {@code n} rows skipped for a null tensor name or values. */
  public void addNullRows(long n) {
    nullRows.add(n);
  }

  /** Rows read so far. */
  public long rows() {
    return rows.value();
  }

  /** Rows skipped so far because their tensor name or values were null. */
  public long nullRows() {
    return nullRows.value();
  }
}
