package dev.qcal.onnx.qdq;

import com.google.protobuf.ByteString;
import dev.qcal.onnx.FloatTensors;
import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.TensorProto.DataType;

/**
 * The QuantizeLinear and DequantizeLinear nodes qcal writes and their constant inputs. Scales and
 * zero points are initializers: a scalar for one scale per tensor, a 1-D tensor of one value per
 * channel otherwise (with DequantizeLinear's {@code axis}), as TensorRT requires of Q/DQ scales
 * (build-time constants) and ONNX Runtime's quantizer writes them. Zero points are always given,
 * and they fix the quantized type (INT8, UINT8 or FLOAT8E4M3FN); 8-bit elements are stored as
 * {@code raw_data}, one byte each.
 */
final class QdqNodes {
  private QdqNodes() {}

  /** {@code QuantizeLinear(x, scale, zeroPoint) -> y}. */
  static NodeProto quantize(String name, String x, String scale, String zeroPoint, String y) {
    return NodeProto.newBuilder()
        .setName(name)
        .setOpType("QuantizeLinear")
        .addInput(x)
        .addInput(scale)
        .addInput(zeroPoint)
        .addOutput(y)
        .build();
  }

  /**
   * {@code DequantizeLinear(x, scale, zeroPoint) -> y}, per channel of {@code axis} unless it is
   * -1.
   */
  static NodeProto dequantize(
      String name, String x, String scale, String zeroPoint, String y, int axis) {
    NodeProto.Builder node =
        NodeProto.newBuilder()
            .setName(name)
            .setOpType("DequantizeLinear")
            .addInput(x)
            .addInput(scale)
            .addInput(zeroPoint)
            .addOutput(y);
    if (axis >= 0) {
      node.addAttribute(
          AttributeProto.newBuilder()
              .setName("axis")
              .setType(AttributeProto.AttributeType.INT)
              .setI(axis));
    }
    return node.build();
  }

  /** A float32 scale: a scalar when {@code perChannel} is false (one value), else 1-D. */
  static TensorProto scale(String name, float[] scales, boolean perChannel) {
    long[] dims = perChannel ? new long[] {scales.length} : new long[0];
    return FloatTensors.fromFloats(name, dims, scales);
  }

  /** A scalar zero point of {@code type} holding {@code value} (its byte: 0..255 for UINT8). */
  static TensorProto zeroPoint(String name, DataType type, int value) {
    return codes(name, type, new long[0], new byte[] {(byte) value});
  }

  /** The zero points of {@code channels} channels, all 0, as a 1-D tensor of {@code type}. */
  static TensorProto zeroPoints(String name, DataType type, int channels) {
    return codes(name, type, new long[] {channels}, new byte[channels]);
  }

  /** 8-bit codes of shape {@code dims} (INT8 or FLOAT8E4M3FN), as {@code raw_data}. */
  static TensorProto codes(String name, DataType type, long[] dims, byte[] codes) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    return t.setRawData(ByteString.copyFrom(codes)).build();
  }
}
