package dev.qcal.jobs.dump;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** The Spark type of a column holding activation values. */
public enum ValueKind {
  FLOAT,
  DOUBLE,
  FLOAT_ARRAY,
  DOUBLE_ARRAY;

  /** The kind of {@code type}, or {@code null} if it holds no float values. */
  static ValueKind of(DataType type) {
    if (type.equals(DataTypes.FloatType)) {
      return FLOAT;
    }
    if (type.equals(DataTypes.DoubleType)) {
      return DOUBLE;
    }
    if (type instanceof ArrayType) {
      DataType element = ((ArrayType) type).elementType();
      if (element.equals(DataTypes.FloatType)) {
        return FLOAT_ARRAY;
      }
      if (element.equals(DataTypes.DoubleType)) {
        return DOUBLE_ARRAY;
      }
    }
    return null;
  }

  /** Whether the column holds a list of values per row. */
  public boolean isArray() {
    return this == FLOAT_ARRAY || this == DOUBLE_ARRAY;
  }
}
