package dev.qcal.onnx.testing;

import dev.qcal.onnx.FloatTensors;
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
import java.util.Random;

/**
 * Builds small ONNX models in tests with the generated protobuf classes: nodes, float initializers
 * or Constant nodes, float inputs and outputs. Shared with the jobs module's tests.
 */
public final class GraphBuilder {
  private final GraphProto.Builder graph = GraphProto.newBuilder();

  /** A graph named {@code name}. */
  public GraphBuilder(String name) {
    graph.setName(name);
  }

  /** A float input of the given shape (a negative dim is symbolic). */
  public GraphBuilder input(String name, long... dims) {
    graph.addInput(floatValue(name, dims));
    return this;
  }

  /** A float output of the given shape (no dims: shape unknown). */
  public GraphBuilder output(String name, long... dims) {
    graph.addOutput(floatValue(name, dims));
    return this;
  }

  /** A node {@code op(inputs) -> outputs} named {@code name}. */
  public GraphBuilder node(
      String op,
      String name,
      List<String> inputs,
      List<String> outputs,
      AttributeProto... attributes) {
    graph.addNode(
        NodeProto.newBuilder()
            .setOpType(op)
            .setName(name)
            .addAllInput(inputs)
            .addAllOutput(outputs)
            .addAllAttribute(List.of(attributes)));
    return this;
  }

  /** A float initializer. */
  public GraphBuilder initializer(String name, long[] dims, float[] values) {
    graph.addInitializer(FloatTensors.fromFloats(name, dims, values));
    return this;
  }

  /** Any initializer. */
  public GraphBuilder initializer(TensorProto tensor) {
    graph.addInitializer(tensor);
    return this;
  }

  /**
   * A Constant node named {@code name + "_constant"} whose output {@code name} holds the values.
   */
  public GraphBuilder constant(String name, long[] dims, float[] values) {
    return constant(name, FloatTensors.fromFloats(name, dims, values));
  }

  /** A Constant node whose output {@code name} holds {@code value}. */
  public GraphBuilder constant(String name, TensorProto value) {
    graph.addNode(
        NodeProto.newBuilder()
            .setOpType("Constant")
            .setName(name + "_constant")
            .addOutput(name)
            .addAttribute(
                AttributeProto.newBuilder()
                    .setName("value")
                    .setType(AttributeProto.AttributeType.TENSOR)
                    .setT(value)));
    return this;
  }

  /** The graph so far. */
  public GraphProto graph() {
    return graph.build();
  }

  /** A model of the graph importing the default opset {@code opset}, IR version {@code ir}. */
  public ModelProto model(int opset, int ir) {
    return ModelProto.newBuilder()
        .setIrVersion(ir)
        .setProducerName("qcal-test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
        .setGraph(graph)
        .build();
  }

  /** An INT attribute. */
  public static AttributeProto attr(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  /** An INTS attribute. */
  public static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  /**
   * Seeded gaussian values of shape {@code dims}, scaled per slice of axis 0 by {@code 1 + c} (so
   * each output channel has its own range).
   */
  public static float[] values(long seed, long... dims) {
    int count = 1;
    for (long d : dims) {
      count *= (int) d;
    }
    int perSlice = dims.length == 0 ? 1 : count / (int) dims[0];
    Random random = new Random(seed);
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = (float) (random.nextGaussian() * 0.3 * (1 + i / perSlice));
    }
    return v;
  }

  private static ValueInfoProto floatValue(String name, long... dims) {
    TypeProto.Tensor.Builder tensor =
        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE);
    if (dims.length > 0) {
      TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
      for (long d : dims) {
        shape.addDim(
            d < 0
                ? TensorShapeProto.Dimension.newBuilder().setDimParam("n")
                : TensorShapeProto.Dimension.newBuilder().setDimValue(d));
      }
      tensor.setShape(shape);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(tensor))
        .build();
  }
}
