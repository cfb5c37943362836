package dev.qcal.jobs.scan;

import dev.qcal.jobs.dump.DumpFiles;
import dev.qcal.jobs.dump.DumpLayout;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Reads a dump with Spark's Parquet reader as an RDD of (tensor, chunk) pairs.
 *
 * <p>The scan goes through {@code queryExecution().toRdd()} (Spark's internal rows), so float
 * arrays leave Spark with one bulk copy per row and no boxing. The RDD is not cached: in the range
 * layout pass 2 re-scans the files by design (a dump is usually larger than the cluster's memory);
 * the grid layout scans them once.
 */
public final class DumpReader {
  private DumpReader() {}

  /**
   * The chunks of the dump at {@code files} with the resolved {@code layout}.
   *
   * @param tensors only tensors whose full name matches are read; null for all
   * @param chunkValues values per chunk for one-value-per-row layouts (scalar, wide float columns)
   */
  public static JavaPairRDD<String, Chunk> chunks(
      SparkSession spark,
      DumpFiles files,
      DumpLayout layout,
      Pattern tensors,
      int chunkValues,
      ReadCounters counters) {
    JavaRDD<InternalRow> rows =
        spark
            .read()
            .schema(layout.readSchema())
            // Read exactly the files DumpFiles listed: every file under the inputs, hidden ones
            // skipped, no partition inference (which silently skips non key=value directories).
            .option("recursiveFileLookup", "true")
            .parquet(files.inputs().toArray(new String[0]))
            .queryExecution()
            .toRdd()
            .toJavaRDD();
    switch (layout.layout()) {
      case LONG:
        return rows.mapPartitionsToPair(
            it -> new ChunkIterator.LongRows(it, counters, tensors, layout));
      case SCALAR:
        return rows.mapPartitionsToPair(
            it -> new ChunkIterator.ScalarRows(it, counters, tensors, layout, chunkValues));
      case WIDE:
        return rows.mapPartitionsToPair(
            it -> new ChunkIterator.WideRows(it, counters, layout, chunkValues));
      default:
        throw new AssertionError(layout.layout());
    }
  }
}
