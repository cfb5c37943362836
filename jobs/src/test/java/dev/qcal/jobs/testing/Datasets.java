package dev.qcal.jobs.testing;

import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Datasets of model inputs written by Spark, and capture dumps read back in file and row order. */
public final class Datasets {
  private Datasets() {}

  /**
   * One dataset row: a value per column, in column order (float[] for array&lt;float&gt;, double[]
   * for array&lt;double&gt;, int[] for array&lt;int&gt;, long[] for array&lt;bigint&gt;, String for
   * string).
   */
  public record Sample(Map<String, Object> cells) {
    /** A row from column names and values, alternating. */
    public static Sample of(Object... nameThenValue) {
      Map<String, Object> cells = new LinkedHashMap<>();
      for (int i = 0; i < nameThenValue.length; i += 2) {
        cells.put((String) nameThenValue[i], nameThenValue[i + 1]);
      }
      return new Sample(cells);
    }

    /**
     * A row of capture's input dataset for a model with one input {@code x}: the tensor's values
     * and its {@code x_shape}, and a {@code text} column capture ignores (what the image shows).
     */
    public static Sample input(String text, FloatOutput x) {
      int[] shape = java.util.Arrays.stream(x.shape()).mapToInt(Math::toIntExact).toArray();
      return of("text", text, "x", x.values(), "x_shape", shape);
    }
  }

  /**
   * Writes {@code samples} to {@code dir} as {@code files} Parquet files (rows in order when 1).
   */
  public static Path write(SparkSession spark, Path dir, int files, List<Sample> samples) {
    List<StructField> fields = new ArrayList<>();
    samples
        .get(0)
        .cells()
        .forEach((name, v) -> fields.add(DataTypes.createStructField(name, typeOf(v), true)));
    StructType schema = new StructType(fields.toArray(new StructField[0]));
    List<Row> rows = new ArrayList<>();
    for (Sample s : samples) {
      List<Object> cells = new ArrayList<>();
      for (Object v : s.cells().values()) {
        cells.add(boxed(v));
      }
      rows.add(RowFactory.create(cells.toArray()));
    }
    Dataset<Row> df = spark.createDataFrame(rows, schema);
    // coalesce keeps the rows in order; repartition deals them out.
    (files == 1 ? df.coalesce(1) : df.repartition(files)).write().parquet(dir.toString());
    return dir;
  }

  private static DataType typeOf(Object v) {
    if (v instanceof float[]) {
      return DataTypes.createArrayType(DataTypes.FloatType);
    }
    if (v instanceof double[]) {
      return DataTypes.createArrayType(DataTypes.DoubleType);
    }
    if (v instanceof int[]) {
      return DataTypes.createArrayType(DataTypes.IntegerType);
    }
    if (v instanceof long[]) {
      return DataTypes.createArrayType(DataTypes.LongType);
    }
    return DataTypes.StringType;
  }

  private static Object boxed(Object v) {
    if (v instanceof float[] f) {
      Float[] b = new Float[f.length];
      for (int i = 0; i < f.length; i++) {
        b[i] = f[i];
      }
      return b;
    }
    if (v instanceof double[] d) {
      return java.util.Arrays.stream(d).boxed().toArray(Double[]::new);
    }
    if (v instanceof int[] n) {
      return java.util.Arrays.stream(n).boxed().toArray(Integer[]::new);
    }
    if (v instanceof long[] n) {
      return java.util.Arrays.stream(n).boxed().toArray(Long[]::new);
    }
    return v;
  }

  /** One row of a dump. */
  public record DumpRow(String tensor, float[] values) {}

  /** The rows of a capture's dump: its Parquet files in name order, each in row order. */
  public static List<DumpRow> read(SparkSession spark, Path dump) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dump.resolve("tensors"))) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
    List<DumpRow> out = new ArrayList<>();
    for (Path f : files) {
      for (Row r : spark.read().parquet(f.toString()).collectAsList()) {
        List<Float> boxed = r.getList(1);
        float[] v = new float[boxed.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = boxed.get(i);
        }
        out.add(new DumpRow(r.getString(0), v));
      }
    }
    return out;
  }
}
