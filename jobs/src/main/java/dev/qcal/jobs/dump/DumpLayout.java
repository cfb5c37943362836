package dev.qcal.jobs.dump;

import dev.qcal.jobs.JobException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A dump's layout resolved against its schema: which columns are read and as what. Built on the
 * driver before any Spark job runs, so a missing or wrongly typed column fails at once (exit 3)
 * with a message naming the file and the column.
 */
public final class DumpLayout implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The tensor-name column of the long and scalar layouts unless told otherwise. */
  public static final String DEFAULT_TENSOR_COLUMN = "tensor";

  /** The values column of the long layout unless told otherwise. */
  public static final String DEFAULT_VALUES_COLUMN = "values";

  /** The value column of the scalar layout unless told otherwise. */
  public static final String DEFAULT_VALUE_COLUMN = "value";

  private final Layout layout;
  private final String[] columns;
  private final ValueKind[] kinds;
  private final transient StructType readSchema;

  private DumpLayout(Layout layout, List<StructField> fields) {
    this.layout = layout;
    int n = fields.size();
    this.columns = new String[n];
    this.kinds = new ValueKind[n];
    StructField[] read = new StructField[n];
    for (int i = 0; i < n; i++) {
      StructField f = fields.get(i);
      columns[i] = f.name();
      kinds[i] = ValueKind.of(f.dataType());
      read[i] = nullable(f);
    }
    this.readSchema = new StructType(read);
  }

  /**
   * {@code f} with nulls allowed at every level. The first file's footer says whether its columns
   * and elements may be null, not whether a later file's may (a 2-level list, or Spark's {@code
   * containsNull=false}, beside files with null elements): so every column is read as nullable and
   * every element's null bit is checked ({@code scan.ChunkIterator}), whatever the first file
   * declared.
   */
  public static StructField nullable(StructField f) {
    DataType t = f.dataType();
    if (t instanceof ArrayType) {
      t = DataTypes.createArrayType(((ArrayType) t).elementType(), true);
    }
    return new StructField(f.name(), t, true, f.metadata());
  }

  /**
   * Resolves {@code requested} against {@code schema} (the schema of {@code file}).
   *
   * @param tensorColumn the tensor-name column, or null for {@value #DEFAULT_TENSOR_COLUMN}
   * @param valuesColumn the values column, or null for {@value #DEFAULT_VALUES_COLUMN} (long) or
   *     {@value #DEFAULT_VALUE_COLUMN} (scalar)
   * @param tensors for the wide layout, only columns whose name matches are read; null for all
   * @throws JobException (input) naming the file and column when the schema does not fit
   */
  public static DumpLayout resolve(
      Layout requested,
      StructType schema,
      String file,
      String tensorColumn,
      String valuesColumn,
      Pattern tensors) {
    String tensorName = tensorColumn != null ? tensorColumn : DEFAULT_TENSOR_COLUMN;
    Layout layout =
        requested == Layout.AUTO ? detect(schema, file, tensorName, valuesColumn) : requested;
    DumpLayout out = select(layout, schema, file, tensorName, valuesColumn, tensors);
    for (StructField f : out.readSchema.fields()) {
      if (f.metadata().contains(DumpSchema.CODEC)) {
        throw JobException.input(
            PageCodecs.unreadable(
                "Cannot read '" + file + "': column '" + f.name() + "'",
                CompressionCodecName.valueOf(f.metadata().getString(DumpSchema.CODEC))));
      }
    }
    return out;
  }

  private static DumpLayout select(
      Layout layout,
      StructType schema,
      String file,
      String tensorName,
      String valuesColumn,
      Pattern tensors) {
    switch (layout) {
      case LONG:
        return new DumpLayout(
            layout,
            List.of(
                tensorField(schema, file, tensorName),
                valuesField(
                    schema,
                    file,
                    valuesColumn != null ? valuesColumn : DEFAULT_VALUES_COLUMN,
                    true)));
      case SCALAR:
        return new DumpLayout(
            layout,
            List.of(
                tensorField(schema, file, tensorName),
                valuesField(
                    schema,
                    file,
                    valuesColumn != null ? valuesColumn : DEFAULT_VALUE_COLUMN,
                    false)));
      case WIDE:
        return wide(schema, file, tensors);
      default:
        throw new AssertionError(layout);
    }
  }

  private static Layout detect(
      StructType schema, String file, String tensorName, String valuesColumn) {
    StructField tensor = find(schema, tensorName);
    if (tensor == null) {
      if (tensorNameGiven(tensorName)) {
        throw JobException.input(
            String.format(
                "Cannot read '%s': no tensor column '%s' (columns: %s)",
                file, tensorName, describe(schema)));
      }
      return Layout.WIDE;
    }
    String[] candidates =
        valuesColumn != null
            ? new String[] {valuesColumn}
            : new String[] {DEFAULT_VALUES_COLUMN, DEFAULT_VALUE_COLUMN};
    for (String c : candidates) {
      StructField f = find(schema, c);
      if (f != null) {
        ValueKind k = ValueKind.of(f.dataType());
        if (k == null) {
          throw wrongType(file, f, "float, double, array<float> or array<double>");
        }
        return k.isArray() ? Layout.LONG : Layout.SCALAR;
      }
    }
    throw JobException.input(
        String.format(
            "Cannot read '%s': it has a tensor column '%s' but no values column %s (columns: %s);"
                + " name it with --values-column",
            file, tensorName, String.join(" or ", candidates), describe(schema)));
  }

  private static boolean tensorNameGiven(String tensorName) {
    return !DEFAULT_TENSOR_COLUMN.equals(tensorName);
  }

  private static StructField tensorField(StructType schema, String file, String name) {
    StructField f = find(schema, name);
    if (f == null) {
      throw JobException.input(
          String.format(
              "Cannot read '%s': no tensor column '%s' (columns: %s); name it with --tensor-column",
              file, name, describe(schema)));
    }
    if (!f.dataType().equals(DataTypes.StringType)) {
      throw wrongType(file, f, "string");
    }
    return f;
  }

  private static StructField valuesField(
      StructType schema, String file, String name, boolean array) {
    StructField f = find(schema, name);
    if (f == null) {
      throw JobException.input(
          String.format(
              "Cannot read '%s': no values column '%s' (columns: %s); name it with --values-column",
              file, name, describe(schema)));
    }
    ValueKind k = ValueKind.of(f.dataType());
    if (k == null || k.isArray() != array) {
      throw wrongType(file, f, array ? "array<float> or array<double>" : "float or double");
    }
    return f;
  }

  private static DumpLayout wide(StructType schema, String file, Pattern tensors) {
    List<StructField> fields = new ArrayList<>();
    for (StructField f : schema.fields()) {
      if (tensors != null && !tensors.matcher(f.name()).matches()) {
        continue;
      }
      if (ValueKind.of(f.dataType()) == null) {
        throw JobException.input(
            String.format(
                "Cannot read '%s' as a wide dump: column '%s' is %s, but every column must be a"
                    + " tensor of float, double, array<float> or array<double> (select tensor"
                    + " columns with --tensors REGEX, or give --layout long|scalar)%s",
                file, f.name(), typeOf(f), halfPrecisionHint(f)));
      }
      fields.add(f);
    }
    if (fields.isEmpty()) {
      throw JobException.input(
          String.format(
              "Cannot read '%s' as a wide dump: no tensor column selected (columns: %s)",
              file, describe(schema)));
    }
    return new DumpLayout(Layout.WIDE, fields);
  }

  private static JobException wrongType(String file, StructField f, String expected) {
    return JobException.input(
        String.format(
            "Cannot read '%s': column '%s' is %s, expected %s%s",
            file, f.name(), typeOf(f), expected, halfPrecisionHint(f)));
  }

  /** The column's Spark type, or why Spark cannot read it (see {@link DumpSchema#UNREADABLE}). */
  private static String typeOf(StructField f) {
    return f.metadata().contains(DumpSchema.UNREADABLE)
        ? f.metadata().getString(DumpSchema.UNREADABLE)
        : f.dataType().simpleString();
  }

  /**
   * How to convert half-precision values, when the column may hold them: Parquet FLOAT16, or
   * bfloat16/float16 bits stored as 16-bit integers or 2-byte binaries (Spark has no half type).
   */
  private static String halfPrecisionHint(StructField f) {
    DataType t =
        f.dataType() instanceof ArrayType ? ((ArrayType) f.dataType()).elementType() : f.dataType();
    if (f.metadata().contains(DumpSchema.UNREADABLE)
        || t.equals(DataTypes.BinaryType)
        || t.equals(DataTypes.ShortType)
        || t.equals(DataTypes.IntegerType)) {
      return ". If it holds float16 or bfloat16 values, write the dump as float32 (PyTorch:"
          + " tensor.float(); numpy: a.astype(np.float32); pyarrow: table.cast(schema with"
          + " pa.float32()))";
    }
    return "";
  }

  private static StructField find(StructType schema, String name) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static String describe(StructType schema) {
    List<String> parts = new ArrayList<>();
    for (StructField f : schema.fields()) {
      parts.add(f.name() + " " + f.dataType().simpleString());
    }
    return String.join(", ", parts);
  }

  /** The resolved layout (never AUTO). */
  public Layout layout() {
    return layout;
  }

  /** The columns read, in read-schema order. */
  public List<String> columns() {
    return List.of(columns);
  }

  /** The schema handed to Spark's Parquet reader, nullable throughout (driver only). */
  public StructType readSchema() {
    return readSchema;
  }

  /** The name of column {@code i} of {@link #readSchema}. */
  public String column(int i) {
    return columns[i];
  }

  /** What column {@code i} holds (the tensor-name column, 0 in the long layout: null). */
  public ValueKind kind(int i) {
    return kinds[i];
  }

  /** The number of columns read. */
  public int columnCount() {
    return columns.length;
  }
}
