package dev.qcal.jobs.channel;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes long-layout dumps with a channel or shape column, with Spark, for the per-channel tests.
 */
final class ChannelDumps {
  private ChannelDumps() {}

  /** One row of a dump with a channel column. */
  record ChannelRow(String tensor, Object channel, float[] values) {}

  /** One row of a dump with a shape column. */
  record ShapeRow(String tensor, long[] shape, float[] values) {}

  static void withChannels(
      SparkSession spark, String dir, List<ChannelRow> rows, DataType channelType, int files) {
    StructType schema =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType))
            .add("channel", channelType);
    List<Row> out = new ArrayList<>();
    for (ChannelRow r : rows) {
      out.add(RowFactory.create(r.tensor(), boxed(r.values()), r.channel()));
    }
    write(spark.createDataFrame(out, schema), dir, files);
  }

  static void withShapes(SparkSession spark, String dir, List<ShapeRow> rows, int files) {
    withShapes(spark, dir, rows, files, 0);
  }

  /** As {@link #withShapes}, with every {@code nullEvery}-th element null (0: none). */
  static void withShapes(
      SparkSession spark, String dir, List<ShapeRow> rows, int files, int nullEvery) {
    StructType schema =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType))
            .add("shape", DataTypes.createArrayType(DataTypes.LongType));
    List<Row> out = new ArrayList<>();
    for (ShapeRow r : rows) {
      Long[] shape = new Long[r.shape().length];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = r.shape()[i];
      }
      Float[] values = boxed(r.values());
      for (int i = nullEvery - 1; nullEvery > 0 && i < values.length; i += nullEvery) {
        values[i] = null;
      }
      out.add(RowFactory.create(r.tensor(), values, shape));
    }
    write(spark.createDataFrame(out, schema), dir, files);
  }

  private static void write(Dataset<Row> df, String dir, int files) {
    // Round-robin into exactly `files` files, so the read is split into that many partitions.
    df.repartition(files).write().mode(SaveMode.ErrorIfExists).parquet(dir);
  }

  static Float[] boxed(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }
}
