package dev.qcal.jobs.generate;

import dev.qcal.jobs.JobException;
import dev.qcal.jobs.dump.Layout;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a seeded synthetic dump with Spark (any size: rows are generated on the executors). The
 * values are those of {@link Synthetic}, so the same seed gives the same values in every layout.
 *
 * @param tensors number of tensors
 * @param values values per tensor
 * @param layout long, scalar or wide
 * @param seed the seed
 * @param valuesPerRow values per row of the long layout
 * @param files number of Parquet files (Spark partitions); 0 picks about 64 MB per file
 * @param doubles write float64 values instead of float32
 */
public record DumpGenerator(
    int tensors,
    long values,
    Layout layout,
    long seed,
    int valuesPerRow,
    int files,
    boolean doubles) {

  /** Validates the parameters (usage errors, exit 2). */
  public DumpGenerator {
    if (tensors < 1 || values < 0 || valuesPerRow < 1 || files < 0) {
      throw JobException.usage(
          String.format(
              "Cannot generate %d tensors of %d values, %d per row, in %d files: tensors and"
                  + " values per row must be positive, values and files not negative",
              tensors, values, valuesPerRow, files));
    }
    if (layout == Layout.AUTO) {
      throw JobException.usage("Cannot generate layout auto: choose long, scalar or wide");
    }
  }

  /** Writes the dump to {@code output}. */
  public void write(SparkSession spark, String output, SaveMode mode) {
    long total = tensors * values;
    int parts = files > 0 ? files : (int) Math.max(1, Math.min(10_000, total * 4 / (64L << 20)));
    spark.sparkContext().setJobDescription("qcal: generate a " + layout.key() + " dump");
    Dataset<Row> rows;
    switch (layout) {
      case LONG:
        rows = longRows(spark, parts);
        break;
      case SCALAR:
        rows = scalarRows(spark, parts);
        break;
      case WIDE:
        rows = wideRows(spark, parts);
        break;
      default:
        throw new AssertionError(layout);
    }
    rows.write().mode(mode).parquet(output);
  }

  private Dataset<Row> longRows(SparkSession spark, int parts) {
    long rowsPerTensor = Math.max(1, (values + valuesPerRow - 1) / valuesPerRow);
    long seed = this.seed;
    long values = this.values;
    int perRow = this.valuesPerRow;
    Dataset<Row> df =
        spark
            .range(0, tensors * rowsPerTensor, 1, parts)
            .map(
                (MapFunction<Long, LongRow>)
                    k -> {
                      int t = (int) (k / rowsPerTensor);
                      long from = Math.min(values, (k % rowsPerTensor) * perRow);
                      long to = Math.min(values, from + perRow);
                      return new LongRow(Synthetic.name(t), Synthetic.values(seed, t, from, to));
                    },
                Encoders.bean(LongRow.class))
            .select("tensor", "values");
    return doubles ? df.withColumn("values", functions.col("values").cast("array<double>")) : df;
  }

  private Dataset<Row> scalarRows(SparkSession spark, int parts) {
    long seed = this.seed;
    long values = this.values;
    Dataset<Row> df =
        spark
            .range(0, tensors * values, 1, parts)
            .map(
                (MapFunction<Long, ScalarRow>)
                    k -> {
                      int t = (int) (k / values);
                      return new ScalarRow(Synthetic.name(t), Synthetic.value(seed, t, k % values));
                    },
                Encoders.bean(ScalarRow.class))
            .select("tensor", "value");
    return doubles ? df.withColumn("value", functions.col("value").cast("double")) : df;
  }

  private Dataset<Row> wideRows(SparkSession spark, int parts) {
    List<StructField> fields = new ArrayList<>();
    for (int t = 0; t < tensors; t++) {
      fields.add(
          DataTypes.createStructField(
              Synthetic.name(t), doubles ? DataTypes.DoubleType : DataTypes.FloatType, false));
    }
    StructType schema = DataTypes.createStructType(fields);
    long seed = this.seed;
    int n = tensors;
    boolean asDouble = doubles;
    return spark
        .range(0, values, 1, parts)
        .map(
            (MapFunction<Long, Row>)
                i -> {
                  Object[] cells = new Object[n];
                  for (int t = 0; t < n; t++) {
                    float v = Synthetic.value(seed, t, i);
                    cells[t] = asDouble ? (Object) (double) v : (Object) v;
                  }
                  return RowFactory.create(cells);
                },
            Encoders.row(schema));
  }
}
