package dev.qcal.onnx;

import com.google.protobuf.UnsafeByteOperations;
import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.proto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * FLOAT tensors as {@code float[]} and back. ONNX stores the elements either in the typed list
 * {@code float_data} or as little-endian IEEE 754 bytes in {@code raw_data} (exporters and ONNX's
 * {@code numpy_helper.from_array} use {@code raw_data}); both are read, and {@code raw_data} is
 * written.
 */
public final class FloatTensors {
  private FloatTensors() {}

  /**
   * The elements of a FLOAT tensor in row-major order.
   *
   * @throws InputFormatException naming the tensor when it is not FLOAT, keeps its data in an
   *     external file or in segments, or holds a number of elements its dims do not give
   */
  public static float[] toFloats(TensorProto tensor) {
    String name = "tensor '" + tensor.getName() + "'";
    if (tensor.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
      TensorProto.DataType type = TensorProto.DataType.forNumber(tensor.getDataType());
      throw new InputFormatException(
          name
              + " has data type "
              + (type == null ? tensor.getDataType() : type.name())
              + ", not FLOAT");
    }
    if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      throw new InputFormatException(
          name
              + " keeps its data in an external file, which qcal does not read; save the model"
              + " with its weights inside the .onnx file");
    }
    if (tensor.hasSegment()) {
      throw new InputFormatException(
          name + " is one segment of a split tensor, which qcal does not join");
    }
    int count = elementCount(tensor);
    if (tensor.hasRawData()) {
      if (tensor.getFloatDataCount() > 0) {
        throw new InputFormatException(name + " has both raw_data and float_data; ONNX allows one");
      }
      ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      if (raw.remaining() != (long) count * Float.BYTES) {
        throw new InputFormatException(
            name
                + ": raw_data has "
                + raw.remaining()
                + " bytes, its dims give "
                + count
                + " floats ("
                + (long) count * Float.BYTES
                + " bytes)");
      }
      float[] values = new float[count];
      raw.asFloatBuffer().get(values);
      return values;
    }
    if (tensor.getFloatDataCount() != count) {
      throw new InputFormatException(
          name
              + ": float_data has "
              + tensor.getFloatDataCount()
              + " values, its dims give "
              + count);
    }
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = tensor.getFloatData(i);
    }
    return values;
  }

  /**
   * A FLOAT tensor named {@code name} of shape {@code dims} holding {@code values} (row-major) in
   * {@code raw_data}.
   *
   * @throws IllegalArgumentException when the dims do not give {@code values.length} elements
   */
  public static TensorProto fromFloats(String name, long[] dims, float[] values) {
    long count = 1;
    for (long d : dims) {
      count *= d;
    }
    if (count != values.length) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "': dims give "
              + count
              + " elements, "
              + values.length
              + " values given");
    }
    ByteBuffer raw =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    TensorProto.Builder tensor =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE);
    for (long d : dims) {
      tensor.addDims(d);
    }
    // The array is not shared beyond this call, so the ByteString may wrap it without a copy.
    return tensor.setRawData(UnsafeByteOperations.unsafeWrap(raw.array())).build();
  }

  /**
   * The number of elements the tensor's dims give (1 for a scalar, no dims).
   *
   * @throws InputFormatException naming the tensor when a dim is negative or the count does not fit
   *     a Java array
   */
  public static int elementCount(TensorProto tensor) {
    long limit = Integer.MAX_VALUE - 8;
    for (long d : tensor.getDimsList()) {
      if (d < 0) {
        throw new InputFormatException("tensor '" + tensor.getName() + "' has a negative dim " + d);
      }
      if (d == 0) {
        return 0;
      }
    }
    long count = 1;
    for (long d : tensor.getDimsList()) {
      if (count > limit / d) {
        throw new InputFormatException(
            "tensor '"
                + tensor.getName()
                + "' has dims "
                + tensor.getDimsList()
                + ", too many elements for one array");
      }
      count *= d;
    }
    return (int) count;
  }
}
