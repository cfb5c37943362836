package dev.qcal.jobs.state;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.jobs.JobException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Writes and reads a state directory: Parquet files of one row per tensor (columns {@code
 * tensor}, {@code stats}, and one binary column per domain, null where the domain was not built)
 * and {@code _STATE.json} ({@link StateMeta}). Both directions run on the executors; the driver
 * only reads and writes {@code _STATE.json}.
 */
public final class StateFiles {
  /** The state's directory under a run's output. */
  public static final String DIR = "state";

  /** The state's description, beside its Parquet files (hidden from Spark's reader). */
  public static final String META = "_STATE.json";

  static final String TENSOR = "tensor";
  static final String STATS = "stats";

  private StateFiles() {}

  /** The Parquet schema of a state. */
  static StructType schema() {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(TENSOR, DataTypes.StringType, false));
    fields.add(DataTypes.createStructField(STATS, DataTypes.BinaryType, false));
    for (Domain d : Domain.values()) {
      fields.add(DataTypes.createStructField(d.key(), DataTypes.BinaryType, true));
    }
    return DataTypes.createStructType(fields);
  }

  /**
   * Writes {@code states} as Parquet into {@code dir} (which must not exist), then {@code meta} as
   * {@code _STATE.json}. One file, rows sorted by tensor name, so the same states give the same
   * bytes.
   */
  public static void write(
      SparkSession spark, JavaPairRDD<String, TensorState> states, StateMeta meta, Path dir) {
    JavaRDD<Row> rows =
        states.map(
            t -> {
              Object[] values = new Object[2 + Domain.values().length];
              values[0] = t._1();
              values[1] = t._2().stats().toBytes();
              for (Domain d : Domain.values()) {
                Histogram h = t._2().histograms().get(d);
                values[2 + d.ordinal()] = h == null ? null : h.toBytes();
              }
              return RowFactory.create(values);
            });
    spark
        .createDataFrame(rows, schema())
        .coalesce(1)
        .sortWithinPartitions(TENSOR)
        .write()
        .parquet(dir.toString());
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(new Path(dir, META), false)) {
        meta.write(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + new Path(dir, META) + ": " + e.getMessage(), e);
    }
  }

  /**
   * The state at {@code path}: a run's output directory (its {@code state/}) or a state directory.
   *
   * @throws JobException exit 3 if the path does not exist, exit 2 if it holds no qcal state or one
   *     of another version
   */
  public static StateSource open(String path, Configuration conf) {
    try {
      Path given = new Path(path);
      FileSystem fs = given.getFileSystem(conf);
      if (!fs.exists(given)) {
        throw JobException.input("State path '" + path + "' does not exist");
      }
      Path dir = fs.makeQualified(given);
      if (fs.exists(new Path(new Path(dir, DIR), META))) {
        dir = new Path(dir, DIR);
      } else if (!fs.exists(new Path(dir, META))) {
        throw JobException.usage(
            "'" + path + "' is not a qcal state: it has neither " + DIR + "/" + META + " nor " + META
                + " (give the output directory of a qcal run, or its state/ directory)");
      }
      Path metaFile = new Path(dir, META);
      try (InputStream in = fs.open(metaFile)) {
        return new StateSource(dir.toString(), StateMeta.read(in, metaFile.toString()));
      } catch (IllegalArgumentException e) {
        throw JobException.usage(e.getMessage());
      }
    } catch (FileNotFoundException e) {
      throw JobException.input("State path '" + path + "' does not exist");
    } catch (IOException e) {
      throw JobException.input("Cannot read the state path '" + path + "': " + e.getMessage(), e);
    }
  }

  /** An opened state directory. */
  public record StateSource(String path, StateMeta meta) {

    /**
     * The state's tensors (read lazily on the executors). The columns are checked now, on the
     * driver; a record that cannot be decoded fails the job with a message naming the file and the
     * tensor (see {@link #classify}).
     *
     * @throws JobException (usage) if the files are not Parquet or lack a column
     */
    public JavaPairRDD<String, TensorState> read(SparkSession spark) {
      Dataset<Row> df;
      try {
        df = spark.read().parquet(path);
      } catch (Exception e) { // Spark's checked SparkException too, thrown through Scala
        Throwable deepest = e;
        while (deepest.getCause() != null) {
          deepest = deepest.getCause();
        }
        throw JobException.usage(
            "Cannot read the qcal state " + path + " as Parquet: " + firstLine(e.getMessage())
                + (deepest != e ? " (" + firstLine(deepest.getMessage()) + ")" : ""),
            e);
      }
      StructType schema = df.schema();
      List<Column> columns = new ArrayList<>();
      List<Domain> domains = new ArrayList<>(meta.domainSet());
      columns.add(check(schema, TENSOR, DataTypes.StringType));
      columns.add(check(schema, STATS, DataTypes.BinaryType));
      for (Domain d : domains) {
        columns.add(check(schema, d.key(), DataTypes.BinaryType));
      }
      columns.add(functions.input_file_name());
      return df.select(columns.toArray(new Column[0]))
          .javaRDD()
          .mapToPair(row -> decode(row, domains));
    }

    private Column check(StructType schema, String name, DataType type) {
      for (StructField f : schema.fields()) {
        if (f.name().equals(name)) {
          if (!f.dataType().equals(type)) {
            throw JobException.usage(
                String.format(
                    "Cannot read the qcal state %s: column '%s' is %s, expected %s",
                    path, name, f.dataType().simpleString(), type.simpleString()));
          }
          return functions.col(name);
        }
      }
      throw JobException.usage(
          String.format(
              "Cannot read the qcal state %s: no column '%s' (columns: %s; its %s lists domains %s)",
              path, name, schema.simpleString(), META, meta.domainSet()));
    }
  }

  private static Tuple2<String, TensorState> decode(Row row, List<Domain> domains) {
    String file = row.getString(row.length() - 1);
    String tensor = row.isNullAt(0) ? null : row.getString(0);
    try {
      if (tensor == null || row.isNullAt(1)) {
        throw new IllegalArgumentException("a row has no tensor name or no stats");
      }
      RangeStats stats = RangeStats.fromBytes((byte[]) row.get(1));
      Map<Domain, Histogram> histograms = new EnumMap<>(Domain.class);
      for (int i = 0; i < domains.size(); i++) {
        if (row.isNullAt(2 + i)) {
          throw new IllegalArgumentException("no " + domains.get(i).key() + " histogram");
        }
        Histogram h = Histogram.fromBytes((byte[]) row.get(2 + i));
        if (h.domain() != domains.get(i) || h.spec() == null) {
          throw new IllegalArgumentException(
              "the " + domains.get(i).key() + " column holds " + h.layout());
        }
        histograms.put(domains.get(i), h);
      }
      return new Tuple2<>(tensor, new TensorState(stats, histograms));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          String.format(
              "%s file %s, tensor '%s': %s", CORRUPT, file, tensor, e.getMessage()), e);
    }
  }

  /** The start of every message about an undecodable state record. */
  static final String CORRUPT = "Cannot read the qcal state";

  /**
   * {@code e} as a usage error (exit 2) when a state record could not be decoded or merged
   * (messages from {@link #decode} and {@code Histogram.regrid}, found among Spark's causes), else
   * {@code e}.
   */
  public static Exception classify(Exception e) {
    if (e instanceof JobException) {
      return e;
    }
    // The deepest cause carrying the message (on a cluster only the text may come back).
    String found = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      for (String start : new String[] {CORRUPT, "Cannot merge histograms"}) {
        int i = m.indexOf(start);
        if (i >= 0) {
          found = firstLine(m.substring(i));
        }
      }
    }
    return found != null ? JobException.usage(found, e) : e;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
