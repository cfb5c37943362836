package dev.qcal.onnx.opset;

import dev.qcal.onnx.proto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Integer tensors (INT64 or INT32, typed lists or little-endian raw_data) as {@code long[]}. */
final class IntTensors {
  private IntTensors() {}

  /** The elements of an INT64 or INT32 tensor stored in the model, or null for any other tensor. */
  static long[] toLongs(TensorProto t) {
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      return null;
    }
    boolean int64 = t.getDataType() == TensorProto.DataType.INT64_VALUE;
    if (!int64 && t.getDataType() != TensorProto.DataType.INT32_VALUE) {
      return null;
    }
    if (t.hasRawData()) {
      ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      int width = int64 ? Long.BYTES : Integer.BYTES;
      if (raw.remaining() % width != 0) {
        return null;
      }
      long[] values = new long[raw.remaining() / width];
      for (int i = 0; i < values.length; i++) {
        values[i] = int64 ? raw.getLong() : raw.getInt();
      }
      return values;
    }
    return int64
        ? t.getInt64DataList().stream().mapToLong(Long::longValue).toArray()
        : t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
  }
}
