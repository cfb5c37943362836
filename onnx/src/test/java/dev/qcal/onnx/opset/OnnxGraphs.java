package dev.qcal.onnx.opset;

import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.OperatorSetIdProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.TensorShapeProto;
import dev.qcal.onnx.proto.TypeProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import java.util.List;

/** Small models built in the tests with the generated protobuf classes: one input x, float. */
final class OnnxGraphs {
  private OnnxGraphs() {}

  /**
   * A model of default-domain opset {@code opset} (IR of that opset) with float input {@code x} of
   * shape {@code inputShape} (null: no shape declared), the nodes, and float outputs.
   */
  static ModelProto model(int opset, long[] inputShape, List<NodeProto> nodes, String... outputs) {
    GraphProto.Builder graph = GraphProto.newBuilder().setName("synthetic").addAllNode(nodes);
    graph.addInput(ValueInfoProto.newBuilder().setName("x").setType(floatType(inputShape)));
    for (String output : outputs) {
      graph.addOutput(ValueInfoProto.newBuilder().setName(output).setType(floatType(null)));
    }
    return ModelProto.newBuilder()
        .setIrVersion(OpsetConverter.irVersionOf(opset))
        .setProducerName("qcal-test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
        .setGraph(graph)
        .build();
  }

  /** A FLOAT tensor type of shape {@code dims} (null: no shape). */
  static TypeProto floatType(long[] dims) {
    TypeProto.Tensor.Builder tensor =
        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE);
    if (dims != null) {
      TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
      for (long d : dims) {
        shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
      }
      tensor.setShape(shape);
    }
    return TypeProto.newBuilder().setTensorType(tensor).build();
  }

  /** A default-domain node named after its first output. */
  static NodeProto node(
      String op, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
    return NodeProto.newBuilder()
        .setName(op.toLowerCase(java.util.Locale.ROOT) + "_" + outputs.get(0))
        .setOpType(op)
        .addAllInput(inputs)
        .addAllOutput(outputs)
        .addAllAttribute(List.of(attributes))
        .build();
  }

  /** A Constant node writing {@code tensor} as {@code name}. */
  static NodeProto constant(String name, TensorProto tensor) {
    return node(
        "Constant",
        List.of(),
        List.of(name),
        AttributeProto.newBuilder()
            .setName("value")
            .setType(AttributeProto.AttributeType.TENSOR)
            .setT(tensor)
            .build());
  }

  static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  static AttributeProto floats(String name, float... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
    for (float v : values) {
      a.addFloats(v);
    }
    return a.build();
  }

  static AttributeProto f(String name, float value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.FLOAT)
        .setF(value)
        .build();
  }

  static AttributeProto i(String name, long value) {
    return Attributes.ofInt(name, value);
  }

  static AttributeProto s(String name, String value) {
    return Attributes.ofString(name, value);
  }

  /** The attribute {@code name} of {@code node}, or null. */
  static AttributeProto attribute(NodeProto node, String name) {
    return node.getAttributeList().stream()
        .filter(a -> a.getName().equals(name))
        .findFirst()
        .orElse(null);
  }
}
