package dev.qcal.jobs.scan;

import dev.qcal.jobs.JobException;
import dev.qcal.jobs.dump.DumpFiles;
import dev.qcal.jobs.dump.DumpLayout;
import dev.qcal.jobs.dump.DumpRowException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.internal.config.ConfigEntry;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The scan through {@link PageDecoder}: Spark only schedules the work. The driver cuts every file
 * into byte ranges of {@code spark.sql.files.maxPartitionBytes} (as Spark's own scan does; a row
 * group belongs to the range holding its midpoint), one task per range; each task decodes its row
 * groups' pages into reused arrays and folds them into one accumulator per tensor.
 */
public final class PageScan extends ChunkScan {
  private static final long serialVersionUID = 1L;

  private static final long MIN_SPLIT_BYTES = 64 << 10;

  private final transient JavaSparkContext jsc;
  private final transient List<Split> splits;
  private final transient Broadcast<SerializableConfiguration> conf;
  private final DumpLayout layout;
  private final Pattern tensors;
  private final PerChannelRows perChannel;
  private final ReadCounters counters;

  private PageScan(
      SparkSession spark,
      List<Split> splits,
      DumpLayout layout,
      Pattern tensors,
      PerChannelRows perChannel,
      ReadCounters counters) {
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.splits = splits;
    this.conf =
        jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    this.layout = layout;
    this.tensors = tensors;
    this.perChannel = perChannel;
    this.counters = counters;
  }

  /**
   * A scan of the dump at {@code files}, read as {@code layout}.
   *
   * @param tensors the {@code --tensors} filter of the long and scalar layouts (a wide layout
   *     selects its columns), or null
   * @param perChannel the per-channel tensors of a long layout, whose rows also reach the folds
   *     whole with their channels ({@link TensorFold#addChannels}), or null
   */
  public static PageScan of(
      SparkSession spark,
      DumpFiles files,
      DumpLayout layout,
      Pattern tensors,
      PerChannelRows perChannel,
      ReadCounters counters) {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    // A floor against a typo's thousands of tasks; 64 KB still cuts a small dump's row groups
    // apart.
    long splitBytes = Math.max(MIN_SPLIT_BYTES, maxPartitionBytes(spark));
    List<Split> splits = new ArrayList<>();
    for (Path p : files.files()) {
      long length;
      try {
        FileStatus s = p.getFileSystem(hadoop).getFileStatus(p);
        length = s.getLen();
      } catch (IOException e) {
        throw JobException.input("Cannot read '" + p + "': " + e.getMessage(), e);
      }
      for (long start = 0; start < Math.max(1, length); start += splitBytes) {
        splits.add(new Split(p.toString(), start, Math.min(length, start + splitBytes)));
      }
    }
    return new PageScan(spark, splits, layout, tensors, perChannel, counters);
  }

  /**
   * {@code spark.sql.files.maxPartitionBytes} as the application's configuration holds it
   * (spark-submit's or qcal's {@code --conf}, spark-defaults.conf). Asking the session's SQL
   * configuration instead would build its whole SessionState (analyzer, catalog) for this one
   * number: a quarter of Spark's start-up, and nothing else in a calibration needs it.
   */
  private static long maxPartitionBytes(SparkSession spark) {
    ConfigEntry<Object> entry = SQLConf.FILES_MAX_PARTITION_BYTES();
    return spark.sparkContext().getConf().getSizeAsBytes(entry.key(), entry.defaultValueString());
  }

  /** The byte ranges, one task each. */
  public int splitCount() {
    return splits.size();
  }

  @Override
  public String reader() {
    return Reader.PAGES.key();
  }

  @Override
  public <A> JavaPairRDD<String, A> aggregate(TensorFold<A> fold) {
    DumpLayout layout = this.layout;
    Pattern tensors = this.tensors;
    PerChannelRows perChannel = this.perChannel;
    ReadCounters counters = this.counters;
    Broadcast<SerializableConfiguration> conf = this.conf;
    return jsc.parallelize(splits, Math.max(1, splits.size()))
        .mapPartitionsToPair(
            (Iterator<Split> it) -> {
              Map<String, A> accumulators = newMap();
              ChunkSink sink = folding(fold, accumulators);
              PageDecoder decoder = new PageDecoder(layout, tensors, perChannel);
              while (it.hasNext()) {
                Split s = it.next();
                scan(decoder, s, conf.value().value(), sink);
              }
              counters.addRows(decoder.rows());
              counters.addNullRows(decoder.nullRows());
              return pairs(accumulators).iterator();
            });
  }

  /**
   * Decodes one split; a failure (a corrupt page, a file whose columns differ) becomes a {@link
   * ParquetDecodingException} naming the file, which the job reports as an input error (exit 3).
   */
  private static void scan(PageDecoder decoder, Split s, Configuration conf, ChunkSink sink) {
    try {
      decoder.scan(new Path(s.file), s.start, s.end, conf, sink);
    } catch (DumpRowException e) {
      throw e; // names the file, row and tensor already
    } catch (IOException | RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      if (e instanceof ParquetDecodingException && message.contains(s.file)) {
        throw (ParquetDecodingException) e;
      }
      // No cause chained: the job reports the deepest Parquet exception, and this one names the
      // file.
      ParquetDecodingException named =
          new ParquetDecodingException("Cannot read '" + s.file + "': " + e);
      named.addSuppressed(e);
      throw named;
    }
  }

  /** A byte range of one file. */
  static final class Split implements Serializable {
    private static final long serialVersionUID = 1L;
    final String file;
    final long start;
    final long end;

    Split(String file, long start, long end) {
      this.file = file;
      this.start = start;
      this.end = end;
    }
  }
}
