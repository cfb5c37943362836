package dev.qcal.onnx;

import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The constant values of a graph by name: its initializers, and the outputs of its {@code Constant}
 * nodes. Exporters differ in where weights go: PyTorch writes initializers, while Paddle2ONNX (the
 * PaddleOCR models among them) writes every weight as a {@code Constant} node, so code that looks
 * for a weight must look in both places.
 */
public final class ConstantTensors {
  private ConstantTensors() {}

  /**
   * Initializers first (in graph order, the first of a repeated name), then each default-domain
   * {@code Constant} node's output whose name is not taken. A {@code Constant} contributes the
   * tensor of its {@code value} attribute, or one built from {@code value_float}, {@code
   * value_floats}, {@code value_int} or {@code value_ints} (opset 12); one holding a sparse tensor
   * or strings is left out. Each tensor carries the name of the value it defines.
   */
  public static Map<String, TensorProto> index(GraphProto graph) {
    Map<String, TensorProto> byName = new LinkedHashMap<>(initializers(graph));
    for (NodeProto node : graph.getNodeList()) {
      if (node.getOpType().equals("Constant")
          && (node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx"))
          && node.getOutputCount() == 1
          && node.getAttributeCount() == 1) {
        String name = node.getOutput(0);
        TensorProto value = tensorOf(node.getAttribute(0));
        if (value != null && !byName.containsKey(name)) {
          byName.put(
              name, value.getName().equals(name) ? value : value.toBuilder().setName(name).build());
        }
      }
    }
    return Collections.unmodifiableMap(byName);
  }

  /** The initializers by name, in graph order; the first of a repeated name. */
  public static Map<String, TensorProto> initializers(GraphProto graph) {
    Map<String, TensorProto> byName = new LinkedHashMap<>();
    for (TensorProto t : graph.getInitializerList()) {
      byName.putIfAbsent(t.getName(), t);
    }
    return Collections.unmodifiableMap(byName);
  }

  /** The tensor a Constant attribute holds, or null for a sparse or string value. */
  private static TensorProto tensorOf(AttributeProto a) {
    switch (a.getName()) {
      case "value":
        return a.hasT() ? a.getT() : null;
      case "value_float":
        return TensorProto.newBuilder()
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addFloatData(a.getF())
            .build();
      case "value_floats":
        return TensorProto.newBuilder()
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addDims(a.getFloatsCount())
            .addAllFloatData(a.getFloatsList())
            .build();
      case "value_int":
        return TensorProto.newBuilder()
            .setDataType(TensorProto.DataType.INT64_VALUE)
            .addInt64Data(a.getI())
            .build();
      case "value_ints":
        return TensorProto.newBuilder()
            .setDataType(TensorProto.DataType.INT64_VALUE)
            .addDims(a.getIntsCount())
            .addAllInt64Data(a.getIntsList())
            .build();
      default:
        return null;
    }
  }
}
