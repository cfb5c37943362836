package dev.qcal.jobs.capture;

import dev.qcal.jobs.JobException;
import dev.qcal.jobs.dump.DumpFiles;
import dev.qcal.onnx.DeclaredShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns of a dataset that feed a model, checked on the driver against the schema of its first
 * file (read from the footer) before any task runs: each model input {@code x} needs an {@code
 * array<float>} (or {@code array<double>}) column {@code x} and, unless the model's declared shape
 * leaves at most one dim unknown, an {@code array<int>} (or {@code array<bigint>}) column {@code
 * x_shape}. Other columns are ignored (and never read: Parquet reads only the columns asked for),
 * so a dataset may carry labels or ids.
 */
final class DatasetInputs {
  private DatasetInputs() {}

  /**
   * The input columns of {@code inputs} in {@code schema} (the schema of {@code file}).
   *
   * @throws JobException (input) naming the file, the input, its declared shape and what to write
   *     when a column is missing or of another type
   */
  static List<InputColumn> check(StructType schema, String file, List<DeclaredShape> inputs) {
    List<InputColumn> columns = new ArrayList<>();
    for (DeclaredShape input : inputs) {
      String shapeName = input.name() + InputColumn.SHAPE_SUFFIX;
      StructField values = find(schema, input.name());
      if (values == null) {
        throw JobException.input(
            String.format(
                "Dataset file '%s' has no column '%s' for the model's input '%s' of shape %s: write"
                    + " each sample's values, flattened in row-major order, to an array<float>"
                    + " column '%s'%s (columns: %s)",
                file,
                input.name(),
                input.name(),
                input.text(),
                input.name(),
                shapeAdvice(input, shapeName),
                describe(schema)));
      }
      DataType element = elementType(values);
      if (!DataTypes.FloatType.equals(element) && !DataTypes.DoubleType.equals(element)) {
        throw wrongType(file, values, "array<float> or array<double>", input);
      }
      StructField shape = find(schema, shapeName);
      DataType shapeElement = shape == null ? null : elementType(shape);
      if (shape != null
          && !DataTypes.IntegerType.equals(shapeElement)
          && !DataTypes.LongType.equals(shapeElement)) {
        throw wrongType(file, shape, "array<int> or array<bigint>", input);
      }
      if (shape == null && !input.impliesShape()) {
        throw JobException.input(
            String.format(
                "Dataset file '%s' has no column '%s': the model's input '%s' has shape %s, whose"
                    + " unknown dims cannot follow from the values alone; write each row's shape to"
                    + " an array<int> column '%s' (columns: %s)",
                file, shapeName, input.name(), input.text(), shapeName, describe(schema)));
      }
      columns.add(
          new InputColumn(
              input,
              DataTypes.DoubleType.equals(element),
              shape == null ? null : shapeName,
              DataTypes.LongType.equals(shapeElement)));
    }
    return columns;
  }

  /**
   * The dataset's {@code readSchema} columns, then each row's {@code file_path} and {@code
   * row_index} (Spark's file metadata), which the partitions name in their errors.
   */
  static Dataset<Row> readWithPositions(
      SparkSession spark, StructType readSchema, DumpFiles files) {
    Dataset<Row> df =
        spark
            .read()
            .schema(readSchema)
            .option("recursiveFileLookup", "true")
            .parquet(files.inputs().toArray(new String[0]));
    List<Column> read = new ArrayList<>();
    for (String name : readSchema.fieldNames()) {
      read.add(df.col("`" + name.replace("`", "``") + "`"));
    }
    read.add(df.col("_metadata.file_path").as("file_path"));
    read.add(df.col("_metadata.row_index").as("row_index"));
    return df.select(read.toArray(new Column[0]));
  }

  /** The schema Spark reads: the values and shape columns of every input, in that order. */
  static StructType readSchema(StructType schema, List<InputColumn> columns) {
    List<StructField> fields = new ArrayList<>();
    for (InputColumn c : columns) {
      fields.add(find(schema, c.valuesColumn()));
      if (c.shapeColumn() != null) {
        fields.add(find(schema, c.shapeColumn()));
      }
    }
    return new StructType(fields.toArray(new StructField[0]));
  }

  private static String shapeAdvice(DeclaredShape input, String shapeName) {
    return input.impliesShape()
        ? " (its shape follows from the model's; to give it, add an array<int> column '"
            + shapeName
            + "')"
        : " and its shape to an array<int> column '" + shapeName + "'";
  }

  private static DataType elementType(StructField f) {
    return f.dataType() instanceof ArrayType a ? a.elementType() : null;
  }

  private static JobException wrongType(
      String file, StructField f, String expected, DeclaredShape input) {
    return JobException.input(
        String.format(
            "Dataset file '%s': column '%s' is %s, expected %s (the model's input '%s' has shape"
                + " %s)",
            file, f.name(), f.dataType().simpleString(), expected, input.name(), input.text()));
  }

  private static StructField find(StructType schema, String name) {
    return Arrays.stream(schema.fields())
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElse(null);
  }

  private static String describe(StructType schema) {
    return schema.toDDL();
  }
}
