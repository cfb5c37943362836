package dev.qcal.jobs.scan;

import dev.qcal.jobs.JobException;
import dev.qcal.jobs.dump.DumpFiles;
import dev.qcal.jobs.dump.DumpLayout;
import dev.qcal.jobs.dump.Layout;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/** Chooses the reader of a dump: the page decoder where it applies, else Spark's reader. */
public final class ChunkScans {
  private ChunkScans() {}

  /**
   * The scan of {@code files} read as {@code layout}.
   *
   * @param perChannel the per-channel tensors whose rows the page decoder hands over whole with
   *     their channels, or null (Spark's reader never does: see {@link #readsChannels})
   * @throws JobException (usage) when {@link Reader#PAGES} is asked for a layout it cannot read
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
    DataType element = pageElement(layout);
    if (reader == Reader.SPARK || (reader == Reader.AUTO && element == null)) {
      return new SparkRowScan(
          DumpReader.chunks(spark, files, layout, tensors, chunkValues, counters));
    }
    if (element == null) {
      throw JobException.usage(
          "Cannot use --reader pages on a "
              + layout.layout().key()
              + " dump: it reads the long layout of float or double arrays (use auto or spark)");
    }
    StructField[] fields = layout.readSchema().fields();
    return PageScan.of(
        spark,
        files,
        fields[0].name(),
        fields[1].name(),
        element.equals(DataTypes.DoubleType),
        tensors,
        perChannel,
        counters);
  }

  /**
   * Whether the scan {@link #open} gives for {@code reader} and {@code layout} hands the rows of
   * per-channel tensors over with their channels: the page decoder does, Spark's reader does not.
   */
  public static boolean readsChannels(Reader reader, DumpLayout layout) {
    return reader != Reader.SPARK && pageElement(layout) != null;
  }

  /** The element type of a long layout's float or double arrays, else null. */
  private static DataType pageElement(DumpLayout layout) {
    if (layout.layout() != Layout.LONG) {
      return null;
    }
    DataType values = layout.readSchema().fields()[1].dataType();
    if (values instanceof ArrayType) {
      DataType e = ((ArrayType) values).elementType();
      if (e.equals(DataTypes.FloatType) || e.equals(DataTypes.DoubleType)) {
        return e;
      }
    }
    return null;
  }
}
