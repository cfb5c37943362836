package dev.qcal.jobs.capture;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.qcal.jobs.dump.DumpRowException;
import dev.qcal.onnx.DeclaredShape;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;

/**
 * One dataset row read as a model's inputs, on the heap: each input's values (doubles narrowed to
 * float32) and its shape, from the row's shape column or the model's declared shape, and where the
 * row is (its file and row index), which names it in errors.
 *
 * <p>The rows read are the input columns of {@link DatasetInputs#readSchema} followed by the file
 * path and row index (Spark's {@code _metadata}).
 *
 * @param where "Dataset file 'F' row N: ", the prefix of this row's errors
 * @param file the row's file, as Spark names it
 * @param index the row's index in its file
 * @param inputs each model input's values and shape, in the columns' order
 */
record RowInputs(String where, String file, long index, List<Input> inputs) {
  /** One input's values and shape. */
  record Input(String name, float[] values, long[] shape) {}

  /**
   * Reads {@code row}, whose input columns are {@code columns}.
   *
   * @throws DumpRowException naming the row and the input when a value or shape is null, or the
   *     values do not fit the shape
   */
  static RowInputs read(InternalRow row, List<InputColumn> columns) {
    int fileOrdinal = 0;
    for (InputColumn c : columns) {
      fileOrdinal += c.shapeColumn() == null ? 1 : 2;
    }
    String file = row.isNullAt(fileOrdinal) ? "?" : row.getUTF8String(fileOrdinal).toString();
    long index = row.isNullAt(fileOrdinal + 1) ? -1 : row.getLong(fileOrdinal + 1);
    String where =
        "Dataset file '" + file + "' row " + (index < 0 ? "?" : Long.toString(index)) + ": ";
    List<Input> inputs = new ArrayList<>();
    int ordinal = 0;
    for (InputColumn c : columns) {
      float[] v = values(row, ordinal, c, where);
      long[] given = c.shapeColumn() == null ? null : shape(row, ordinal + 1, c, where);
      try {
        inputs.add(new Input(c.declared().name(), v, c.declared().resolve(given, v.length)));
      } catch (IllegalArgumentException e) {
        throw bad(where, c, e.getMessage());
      }
      ordinal += c.shapeColumn() == null ? 1 : 2;
    }
    return new RowInputs(where, file, index, List.copyOf(inputs));
  }

  /**
   * The inputs as ONNX Runtime tensors, by input name, which the caller closes (after the run's
   * result: an exposed graph input is returned as the fed tensor's own memory).
   */
  Map<String, OnnxTensor> tensors(OrtEnvironment env) throws OrtException {
    Map<String, OnnxTensor> feed = new LinkedHashMap<>();
    boolean made = false;
    try {
      for (Input in : inputs) {
        feed.put(
            in.name(), OnnxTensor.createTensor(env, FloatBuffer.wrap(in.values()), in.shape()));
      }
      made = true;
      return feed;
    } finally {
      if (!made) {
        close(feed);
      }
    }
  }

  /** The inputs' names and shapes, for errors: {@code x [1, 3, 48, 320], z [2, 8]}. */
  String shapes() {
    List<String> parts = new ArrayList<>();
    inputs.forEach(in -> parts.add(in.name() + " " + DeclaredShape.text(in.shape())));
    return String.join(", ", parts);
  }

  /** Closes the tensors of {@link #tensors} and empties the map. */
  static void close(Map<String, OnnxTensor> feed) {
    feed.values().forEach(OnnxTensor::close);
    feed.clear();
  }

  private static float[] values(InternalRow row, int ordinal, InputColumn c, String where) {
    if (row.isNullAt(ordinal)) {
      throw bad(where, c, "the values are null");
    }
    ArrayData a = row.getArray(ordinal);
    for (int i = 0; i < a.numElements(); i++) {
      if (a.isNullAt(i)) {
        throw bad(where, c, "value " + i + " is null");
      }
    }
    if (!c.doubles()) {
      return a.toFloatArray();
    }
    double[] d = a.toDoubleArray();
    float[] v = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      v[i] = (float) d[i];
    }
    return v;
  }

  private static long[] shape(InternalRow row, int ordinal, InputColumn c, String where) {
    if (row.isNullAt(ordinal)) {
      throw bad(where, c, "the shape in '" + c.shapeColumn() + "' is null");
    }
    ArrayData a = row.getArray(ordinal);
    long[] shape = new long[a.numElements()];
    for (int i = 0; i < shape.length; i++) {
      if (a.isNullAt(i)) {
        throw bad(where, c, "the shape in '" + c.shapeColumn() + "' has a null dim");
      }
      shape[i] = c.longShape() ? a.getLong(i) : a.getInt(i);
    }
    return shape;
  }

  private static DumpRowException bad(String where, InputColumn c, String what) {
    return new DumpRowException(
        where
            + "input '"
            + c.declared().name()
            + "': "
            + what
            + " (the model's input '"
            + c.declared().name()
            + "' has shape "
            + c.declared().text()
            + ")");
  }
}
