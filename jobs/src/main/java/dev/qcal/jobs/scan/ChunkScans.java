package dev.qcal.jobs.scan;

import dev.qcal.jobs.dump.DumpFiles;
import dev.qcal.jobs.dump.DumpLayout;
import dev.qcal.jobs.dump.Layout;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/** Chooses the reader of a dump: the page decoder unless Spark's reader is asked for. */
public final class ChunkScans {
  private ChunkScans() {}

  /**
   * The scan of {@code files} read as {@code layout}.
   *
   * @param perChannel the per-channel tensors whose rows the page decoder hands over whole with
   *     their channels, or null (only in the long layout, and Spark's reader never does: see {@link
   *     #readsChannels})
   */
  public static ChunkScan open(
      SparkSession spark,
      Reader reader,
      DumpFiles files,
      DumpLayout layout,
      Pattern tensors,
      int chunkValues,
      PerChannelRows perChannel,
      ReadCounters counters) {
    if (reader == Reader.SPARK) {
      return new SparkRowScan(
          DumpReader.chunks(spark, files, layout, tensors, chunkValues, counters));
    }
    return PageScan.of(
        spark,
        files,
        layout,
        layout.layout() == Layout.WIDE ? null : tensors, // a wide layout selects its columns
        readsChannels(reader, layout) ? perChannel : null,
        counters);
  }

  /**
   * Whether the scan {@link #open} gives for {@code reader} and {@code layout} hands the rows of
   * per-channel tensors over with their channels: the page decoder does for the long layout,
   * Spark's reader never does.
   */
  public static boolean readsChannels(Reader reader, DumpLayout layout) {
    return reader != Reader.SPARK && layout.layout() == Layout.LONG;
  }
}
