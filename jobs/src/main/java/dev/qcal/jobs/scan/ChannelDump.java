package dev.qcal.jobs.scan;

import dev.qcal.core.channel.ChannelSplit;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.dump.ChannelSource;
import dev.qcal.jobs.dump.DumpFiles;
import dev.qcal.jobs.dump.DumpLayout;
import dev.qcal.jobs.dump.DumpRowException;
import dev.qcal.jobs.dump.Layout;
import dev.qcal.jobs.dump.ValueKind;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * The rows of the per-channel tensors of a long-layout dump, with each row's channel (an integer
 * column) or shape (an integer array column), folded per task into one accumulator per tensor. Read
 * with Spark's Parquet reader (qcal's page decoder reads only the tensor and values columns), with
 * Spark's {@code _metadata.file_path} and {@code _metadata.row_index}, so a bad row is named by
 * file and row ({@link DumpRowException}, exit 3).
 *
 * <p>Rows of other tensors are skipped; so are rows whose tensor name or values are null (the
 * per-tensor pass counts those). A null element is no value: it is counted for its channel (by its
 * position when a shape splits the row). The per-tensor passes read the same rows as usual.
 */
public final class ChannelDump implements Serializable {
  private static final long serialVersionUID = 1L;

  private final transient JavaRDD<InternalRow> rows;
  private final ChannelSource source;
  private final ValueKind kind;
  private final DataType channelType;
  private final Pattern tensors;
  private final Pattern perChannel;

  private ChannelDump(
      JavaRDD<InternalRow> rows,
      ChannelSource source,
      ValueKind kind,
      DataType channelType,
      Pattern tensors,
      Pattern perChannel) {
    this.rows = rows;
    this.source = source;
    this.kind = kind;
    this.channelType = channelType;
    this.tensors = tensors;
    this.perChannel = perChannel;
  }

  /**
   * The per-channel rows of the dump at {@code files}, resolved against {@code schema} (the first
   * file's, named {@code file} in messages).
   *
   * @param tensors only tensors matching it (null for all)
   * @param perChannel only tensors matching it are calibrated per channel (null for all)
   * @throws JobException (usage) unless the dump is in the long layout; (input) naming the file and
   *     column when the channel or shape column is missing or not of an integer type
   */
  public static ChannelDump open(
      SparkSession spark,
      DumpFiles files,
      StructType schema,
      String file,
      DumpLayout layout,
      ChannelSource source,
      Pattern tensors,
      Pattern perChannel) {
    StructField field = check(schema, file, layout, source);
    StructType read =
        new StructType(
            new StructField[] {
              layout.readSchema().fields()[0],
              layout.readSchema().fields()[1],
              DumpLayout.nullable(field)
            });
    Dataset<Row> df =
        spark
            .read()
            .schema(read)
            .option("recursiveFileLookup", "true")
            .parquet(files.inputs().toArray(new String[0]));
    Dataset<Row> selected =
        df.select(
            df.col(quote(read.fields()[0].name())),
            df.col(quote(read.fields()[1].name())),
            df.col(quote(field.name())),
            df.col("_metadata.file_path"),
            df.col("_metadata.row_index"));
    return new ChannelDump(
        selected.queryExecution().toRdd().toJavaRDD(),
        source,
        layout.kind(1),
        source.kind() == ChannelSource.Kind.COLUMN
            ? field.dataType()
            : ((ArrayType) field.dataType()).elementType(),
        tensors,
        perChannel);
  }

  private static String quote(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  /**
   * Checks, from the first file's schema alone (before Spark starts), that the dump can be read per
   * channel: the long layout, and the channel or shape column; returns that column.
   *
   * @throws JobException (usage) for another layout, (input) naming the file for a missing or
   *     wrongly typed column
   */
  public static StructField check(
      StructType schema, String file, DumpLayout layout, ChannelSource source) {
    if (layout.layout() != Layout.LONG) {
      throw JobException.usage(
          "Cannot calibrate per channel a "
              + layout.layout().key()
              + " dump: per-channel ranges read"
              + " the long layout (tensor, values array, and a channel or shape column)");
    }
    return channelField(schema, file, source);
  }

  private static StructField channelField(StructType schema, String file, ChannelSource source) {
    StructField f = null;
    for (StructField s : schema.fields()) {
      if (s.name().equals(source.column())) {
        f = s;
      }
    }
    boolean column = source.kind() == ChannelSource.Kind.COLUMN;
    if (f == null) {
      List<String> columns = new ArrayList<>();
      for (StructField s : schema.fields()) {
        columns.add(s.name() + " " + s.dataType().simpleString());
      }
      throw JobException.input(
          String.format(
              "Cannot read '%s' per channel: no %s column '%s' (columns: %s); name it with %s",
              file,
              column ? "channel" : "shape",
              source.column(),
              String.join(", ", columns),
              column
                  ? "--channel-column"
                  : "--shape-column, or give a channel column with --channel-column"));
    }
    DataType t =
        column
            ? f.dataType()
            : f.dataType() instanceof ArrayType ? ((ArrayType) f.dataType()).elementType() : null;
    if (t == null || !isInteger(t)) {
      throw JobException.input(
          String.format(
              "Cannot read '%s': column '%s' is %s, expected %s",
              file,
              f.name(),
              f.dataType().simpleString(),
              column
                  ? "an integer channel index (tinyint, smallint, int or bigint)"
                  : "a shape: array<int> or array<bigint>"));
    }
    return f;
  }

  private static boolean isInteger(DataType t) {
    return t.equals(DataTypes.ByteType)
        || t.equals(DataTypes.ShortType)
        || t.equals(DataTypes.IntegerType)
        || t.equals(DataTypes.LongType);
  }

  /** Where the channels come from. */
  public ChannelSource source() {
    return source;
  }

  /** (tensor, accumulator) pairs: one per per-channel tensor per partition, not yet merged. */
  public <A> JavaPairRDD<String, A> aggregate(ChannelFold<A> fold) {
    ChannelDump dump = this;
    return rows.mapPartitionsToPair(it -> dump.fold(it, fold).iterator());
  }

  private <A> List<Tuple2<String, A>> fold(Iterator<InternalRow> it, ChannelFold<A> fold) {
    Map<String, A> accumulators = new HashMap<>();
    Map<UTF8String, Optional<String>> names = new HashMap<>(); // empty: not selected
    while (it.hasNext()) {
      InternalRow row = it.next();
      if (row.isNullAt(0) || row.isNullAt(1)) {
        continue;
      }
      UTF8String utf8 = row.getUTF8String(0);
      Optional<String> selectedName = names.get(utf8);
      if (selectedName == null) {
        String s = utf8.toString();
        boolean selected =
            (tensors == null || tensors.matcher(s).matches())
                && (perChannel == null || perChannel.matcher(s).matches());
        selectedName = selected ? Optional.of(s) : Optional.empty();
        names.put(utf8.clone(), selectedName);
      }
      if (selectedName.isEmpty()) {
        continue;
      }
      String name = selectedName.get();
      ArrayData array = row.getArray(1);
      float[] values = ChunkIterator.elements(array, kind);
      boolean[] isNull = ChunkIterator.nullMask(array);
      A acc = accumulators.get(name);
      if (acc == null) {
        acc = fold.create(name);
        accumulators.put(name, acc);
      }
      try {
        if (source.kind() == ChannelSource.Kind.COLUMN) {
          int channel = channel(row);
          float[] present = ChunkIterator.withoutNulls(values, isNull);
          fold.add(acc, channel, present, 0, present.length);
          if (present.length < values.length) {
            fold.addNulls(acc, channel, values.length - present.length);
          }
        } else {
          fold.add(acc, split(row, values.length), values, 0, isNull);
        }
      } catch (IllegalArgumentException e) {
        throw new DumpRowException(where(row, name) + e.getMessage() + source.hint());
      }
    }
    List<Tuple2<String, A>> out = new ArrayList<>(accumulators.size());
    accumulators.forEach((k, v) -> out.add(new Tuple2<>(k, v)));
    return out;
  }

  private int channel(InternalRow row) {
    if (row.isNullAt(2)) {
      throw new IllegalArgumentException("the channel is null");
    }
    long c = integer(row, 2, channelType);
    if (c < 0 || c >= ChannelSplit.MAX_CHANNELS) {
      throw new IllegalArgumentException(
          String.format("channel %d is not in [0, %d)", c, ChannelSplit.MAX_CHANNELS));
    }
    return (int) c;
  }

  private ChannelSplit split(InternalRow row, int valueCount) {
    if (row.isNullAt(2)) {
      throw new IllegalArgumentException("the shape is null");
    }
    ArrayData a = row.getArray(2);
    long[] shape = new long[a.numElements()];
    for (int i = 0; i < shape.length; i++) {
      if (a.isNullAt(i)) {
        throw new IllegalArgumentException("the shape has a null dimension");
      }
      shape[i] =
          channelType.equals(DataTypes.LongType)
              ? a.getLong(i)
              : channelType.equals(DataTypes.IntegerType)
                  ? a.getInt(i)
                  : channelType.equals(DataTypes.ShortType) ? a.getShort(i) : a.getByte(i);
    }
    return ChannelSplit.of(shape, source.axis(), valueCount);
  }

  private static long integer(InternalRow row, int i, DataType t) {
    if (t.equals(DataTypes.LongType)) {
      return row.getLong(i);
    }
    if (t.equals(DataTypes.IntegerType)) {
      return row.getInt(i);
    }
    if (t.equals(DataTypes.ShortType)) {
      return row.getShort(i);
    }
    return row.getByte(i);
  }

  private static String where(InternalRow row, String tensor) {
    String file = row.isNullAt(3) ? "?" : row.getUTF8String(3).toString();
    String index = row.isNullAt(4) ? "?" : Long.toString(row.getLong(4));
    return String.format("Cannot read '%s' row %s: tensor '%s': ", file, index, tensor);
  }
}
