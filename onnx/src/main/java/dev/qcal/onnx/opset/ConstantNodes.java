package dev.qcal.onnx.opset;

import com.google.protobuf.ByteString;
import dev.qcal.onnx.FloatTensors;
import dev.qcal.onnx.proto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The constant tensors conversions add: attribute values that became inputs, and helpers. */
final class ConstantNodes {
  private ConstantNodes() {}

  /** A 1-D INT64 tensor (axes, starts, pads, split sizes, k). */
  static TensorProto int64s(long[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      raw.putLong(v);
    }
    return TensorProto.newBuilder()
        .addDims(values.length)
        .setDataType(TensorProto.DataType.INT64_VALUE)
        .setRawData(ByteString.copyFrom(raw.array()))
        .build();
  }

  /** A 1-D FLOAT tensor (scales, an empty roi). */
  static TensorProto floats(float[] values) {
    return FloatTensors.fromFloats("", new long[] {values.length}, values).toBuilder()
        .clearName()
        .build();
  }

  /**
   * A scalar of element type {@code elemType} holding {@code value}: the float types Clip and Pad
   * accepted before opset 11, whose bounds and pad value were float attributes.
   *
   * @throws CannotConvert for any other element type, or an unknown one (0)
   */
  static TensorProto scalar(int elemType, float value) {
    ByteBuffer raw;
    switch (TensorProto.DataType.forNumber(elemType) == null
        ? TensorProto.DataType.UNDEFINED
        : TensorProto.DataType.forNumber(elemType)) {
      case FLOAT:
        raw = ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
        break;
      case DOUBLE:
        raw = ByteBuffer.allocate(Double.BYTES).order(ByteOrder.LITTLE_ENDIAN).putDouble(value);
        break;
      case FLOAT16:
        raw =
            ByteBuffer.allocate(Short.BYTES).order(ByteOrder.LITTLE_ENDIAN).putShort(toHalf(value));
        break;
      case UNDEFINED:
        throw new CannotConvert(
            "the element type of its input is not declared in the model and qcal could not infer it"
                + " (the attribute becomes an input of that type); declare the input's type in"
                + " value_info");
      default:
        throw new CannotConvert(
            "its input has element type "
                + TensorProto.DataType.forNumber(elemType)
                + ", which the old schema did not allow (float16, float or double)");
    }
    return TensorProto.newBuilder()
        .setDataType(elemType)
        .setRawData(ByteString.copyFrom(raw.array()))
        .build();
  }

  /**
   * The IEEE 754 binary16 bits nearest to {@code f} (round to nearest, ties to even; overflow to
   * infinity), as numpy's {@code astype(float16)} gives. Java 17 has no Float.floatToFloat16.
   */
  static short toHalf(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) {
      return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
    }
    int e = exponent - 127 + 15;
    if (e >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    int shift;
    int significand;
    int base;
    if (e <= 0) {
      if (e < -10) {
        return (short) sign;
      }
      significand = mantissa | 0x800000;
      shift = 14 - e;
      base = 0;
    } else {
      significand = mantissa;
      shift = 13;
      base = e << 10;
    }
    int half = significand >> shift;
    int rest = significand & ((1 << shift) - 1);
    int halfway = 1 << (shift - 1);
    if (rest > halfway || (rest == halfway && (half & 1) == 1)) {
      half++;
    }
    // A carry out of the mantissa moves into the exponent, as rounding up should (up to infinity).
    return (short) (sign | (base + half));
  }
}
