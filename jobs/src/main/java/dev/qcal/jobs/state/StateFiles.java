package dev.qcal.jobs.state;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.OutputFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Writes and reads a state directory: one Parquet file, {@value #DATA_FILE}, of one row per tensor
 * (columns {@code tensor}, {@code stats}, one binary column per domain, null where the domain was
 * not built, and, when some tensor was calibrated per channel, {@code channels}, null for the
 * others) and {@code _STATE.json} ({@link StateMeta}). The rows are read on the executors and
 * written by the driver ({@link #write}); the driver reads and writes {@code _STATE.json} and the
 * data file's digest.
 *
 * <p>The same states give the same bytes: the file has a fixed name (not Spark's random part name),
 * its rows are sorted by tensor, and it is written with data page v2 and no dictionary, so every
 * column chunk has one encoding: parquet-java lists a chunk's encodings from a hash set whose order
 * changes from one JVM to the next, which made the footers of identical states differ.
 */
public final class StateFiles {
  /** The state's directory under a run's output. */
  public static final String DIR = "state";

  /** The state's description, beside its Parquet files (hidden from Spark's reader). */
  public static final String META = "_STATE.json";

  /** The Parquet file of a state. */
  public static final String DATA_FILE = "tensors.parquet";

  static final String TENSOR = "tensor";
  static final String STATS = "stats";
  static final String CHANNELS = "channels";

  private StateFiles() {}

  /**
   * Rows a range of the sorted state holds: about 11 MB on the driver at 20 000 tensors of 2 048
   * bins, a few ranges at a time. Each range is a job of its own (its scheduling, and Spark's
   * closure cleaner parsing its closures' classes on the driver): 1 000 rows a range made 20 jobs
   * there, and writing the outputs took 0.1–0.25 s longer than with 5 000 (3 alternating pairs).
   */
  private static final int ROWS_PER_PARTITION = 5000;

  /**
   * Partitions collected while the driver writes the one before them: enough to keep two cores
   * busy, while the driver holds at most this many more partitions. A state of few tensors is cut
   * into this many ranges plus one all the same, so that as many tasks build its rows at once.
   */
  private static final int AHEAD = 2;

  /** The Parquet schema of a state, with the {@code channels} column when {@code channels}. */
  static StructType schema(boolean channels) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(TENSOR, DataTypes.StringType, false));
    fields.add(DataTypes.createStructField(STATS, DataTypes.BinaryType, false));
    for (Domain d : Domain.values()) {
      fields.add(DataTypes.createStructField(d.key(), DataTypes.BinaryType, true));
    }
    if (channels) {
      fields.add(DataTypes.createStructField(CHANNELS, DataTypes.BinaryType, true));
    }
    return DataTypes.createStructType(fields);
  }

  /**
   * Writes {@code states} as Parquet into {@code dir} (which must not exist), then {@code meta} as
   * {@code _STATE.json} with the data file's SHA-256. One file, rows sorted by tensor name, so the
   * same states give the same bytes. The rows (a few KB per tensor: what the file holds) are
   * already encoded and sorted in each partition where the states live ({@link KeptStates}); they
   * are streamed to the driver in ranges of about {@value #ROWS_PER_PARTITION} names cut on the
   * driver from {@code names} (the run's tensors, which it already holds: no sampling pass), each
   * range a binary-searched slice of every partition, and the driver writes them ({@link
   * StateParquet}): writing is O(bytes), the driver holds a few ranges' rows (the next ones are
   * collected while it writes one: {@link InOrderPartitions}), not every tensor's, and no Spark SQL
   * write. A state tensor missing from {@code names} still lands in its range, in order. A state of
   * one range's tensors or fewer, which the driver would hold whole anyway, is collected in one job
   * and sorted on the driver: the same rows, the same bytes.
   */
  public static void write(
      SparkSession spark, KeptStates states, StateMeta meta, Collection<String> names, Path dir) {
    NameRanges ranges =
        NameRanges.of(names, ROWS_PER_PARTITION, collectsWhole(names.size()) ? 1 : AHEAD + 1);
    try (InOrderPartitions<StateRow> rows =
        new InOrderPartitions<>(ranges.numPartitions(), r -> states.range(ranges, r), AHEAD)) {
      write(spark, rows, meta, dir);
    }
  }

  /**
   * Whether a state of {@code tensors} tensors is one range's rows, which the driver holds whole
   * (collected in one job, or already encoded by the searches, {@link RunState}).
   */
  public static boolean collectsWhole(long tensors) {
    return tensors <= ROWS_PER_PARTITION;
  }

  /**
   * Writes {@code rows}, every row of a state {@link #collectsWhole} (in any order), into {@code
   * dir} (which must not exist), sorted by tensor name, then {@code meta} as {@code _STATE.json}:
   * the bytes {@link #write(SparkSession, KeptStates, StateMeta, Collection, Path)} writes.
   */
  public static void write(SparkSession spark, List<StateRow> rows, StateMeta meta, Path dir) {
    List<StateRow> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing(StateRow::tensor, new StateParquet.NameOrder()));
    write(spark, sorted.iterator(), meta, dir);
  }

  /** Writes {@code rows}, in name order, as the data file, then {@code _STATE.json}. */
  private static void write(SparkSession spark, Iterator<StateRow> rows, StateMeta meta, Path dir) {
    try {
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      FileSystem fs = dir.getFileSystem(conf);
      Path data = new Path(dir, DATA_FILE);
      String sha256 = StateParquet.write(rows, data, conf, spark.version(), meta.hasChannels());
      try (OutputStream out = OutputFiles.create(fs, new Path(dir, META))) {
        meta.write(out, DATA_FILE, sha256);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the state " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The data files of a state directory: every name not starting with {@code _} or {@code .}. */
  private static List<Path> dataFiles(FileSystem fs, Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (!name.startsWith("_") && !name.startsWith(".")) {
        out.add(s.getPath());
      }
    }
    return out;
  }

  /** The hex SHA-256 of {@code file}'s bytes, read on the driver (to check a state read back). */
  private static String sha256(FileSystem fs, Path file) throws IOException {
    MessageDigest digest = StateMeta.digest();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = fs.open(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * The state at {@code path}: a run's output directory (its {@code state/}) or a state directory,
   * checked: {@code _STATE.json} matches its {@code state_id}, the directory holds exactly the data
   * file it names (a copied part file would be read too), and that file's bytes match its digest.
   * On the driver, through the Hadoop file system only (before Spark starts).
   *
   * @throws JobException exit 3 if the path does not exist, exit 2 if it holds no qcal state, one
   *     of another version, or one changed since it was written
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
            "'"
                + path
                + "' is not a qcal state: it has neither "
                + DIR
                + "/"
                + META
                + " nor "
                + META
                + " (give the output directory of a qcal run, or its state/ directory)");
      }
      Path metaFile = new Path(dir, META);
      StateMeta.Stored stored;
      try (InputStream in = fs.open(metaFile)) {
        stored = StateMeta.read(in, metaFile.toString());
      } catch (IllegalArgumentException e) {
        throw JobException.usage(e.getMessage());
      }
      StateMeta.Identity id = stored.identity();
      Path data = new Path(dir, id.dataFile());
      List<Path> found = dataFiles(fs, dir);
      if (!found.equals(List.of(data))) {
        found.remove(data);
        throw JobException.usage(
            "Cannot read the qcal state "
                + dir
                + ": "
                + (fs.exists(data)
                    ? "it holds "
                        + found
                        + " beside its data file "
                        + id.dataFile()
                        + ", which "
                        + META
                        + " does not"
                        + " list (a copied file would be read twice): remove it"
                    : "its data file " + data + " is missing"));
      }
      String sha256 = sha256(fs, data);
      if (!sha256.equals(id.dataSha256())) {
        throw JobException.usage(
            "Cannot read the qcal state "
                + dir
                + ": its data file "
                + data
                + " changed after it was written"
                + " (SHA-256 "
                + sha256
                + ", "
                + META
                + " says "
                + id.dataSha256()
                + "); use the state as qcal wrote it");
      }
      return new StateSource(dir.toString(), data.toString(), stored.meta(), id);
    } catch (FileNotFoundException e) {
      throw JobException.input("State path '" + path + "' does not exist");
    } catch (IOException e) {
      throw JobException.input("Cannot read the state path '" + path + "': " + e.getMessage(), e);
    }
  }

  /**
   * An opened state directory.
   *
   * @param path the state directory, qualified
   * @param dataFile its Parquet file, qualified
   * @param meta what its {@code _STATE.json} says
   * @param identity its id and the data file's digest
   */
  public record StateSource(
      String path, String dataFile, StateMeta meta, StateMeta.Identity identity) {

    /**
     * The state's tensors (read lazily on the executors). The columns are checked now, on the
     * driver; a record that cannot be decoded fails the job with a message naming the file and the
     * tensor (see {@link StateErrors#classify}).
     *
     * @throws JobException (usage) if the files are not Parquet or lack a column
     */
    public JavaPairRDD<String, TensorState> read(SparkSession spark) {
      Dataset<Row> df;
      try {
        df = spark.read().parquet(dataFile);
      } catch (Exception e) { // Spark's checked SparkException too, thrown through Scala
        Throwable deepest = e;
        while (deepest.getCause() != null) {
          deepest = deepest.getCause();
        }
        throw JobException.usage(
            "Cannot read the qcal state "
                + path
                + " as Parquet: "
                + StateErrors.firstLine(e.getMessage())
                + (deepest != e ? " (" + StateErrors.firstLine(deepest.getMessage()) + ")" : ""),
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
      boolean channels = meta.hasChannels();
      if (channels) {
        columns.add(check(schema, CHANNELS, DataTypes.BinaryType));
      }
      columns.add(functions.input_file_name());
      return df.select(columns.toArray(new Column[0]))
          .javaRDD()
          .mapToPair(row -> decode(row, domains, channels));
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
              "Cannot read the qcal state %s: no column '%s' (columns: %s; its %s lists domains"
                  + " %s)",
              path, name, schema.simpleString(), META, meta.domainSet()));
    }
  }

  /** The state of a data-file row ({@link StateRow#state}), checked against the meta's columns. */
  private static Tuple2<String, TensorState> decode(
      Row row, List<Domain> domains, boolean hasChannels) {
    String file = row.getString(row.length() - 1);
    String tensor = row.isNullAt(0) ? null : row.getString(0);
    try {
      if (tensor == null || row.isNullAt(1)) {
        throw new IllegalArgumentException("a row has no tensor name or no stats");
      }
      byte[][] histograms = new byte[Domain.values().length][];
      for (int i = 0; i < domains.size(); i++) {
        if (row.isNullAt(2 + i)) {
          throw new IllegalArgumentException("no " + domains.get(i).key() + " histogram");
        }
        histograms[domains.get(i).ordinal()] = (byte[]) row.get(2 + i);
      }
      int c = 2 + domains.size();
      byte[] channels = hasChannels && !row.isNullAt(c) ? (byte[]) row.get(c) : null;
      TensorState state =
          new StateRow(
                  tensor.getBytes(StandardCharsets.UTF_8),
                  (byte[]) row.get(1),
                  histograms,
                  channels)
              .state();
      for (Domain d : domains) {
        Histogram h = state.histograms().get(d);
        if (h.domain() != d || h.spec() == null) {
          throw new IllegalArgumentException("the " + d.key() + " column holds " + h.layout());
        }
      }
      return new Tuple2<>(tensor, state);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          String.format(
              "%s file %s, tensor '%s': %s", StateErrors.CORRUPT, file, tensor, e.getMessage()),
          e);
    }
  }
}
