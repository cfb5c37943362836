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
import java.util.Random;

/**
 * Small models built in code for the tests (shared with the jobs module's tests through onnx's test
 * jar), with seeded weights.
 */
public final class SyntheticModels {
  private SyntheticModels() {}

  /**
   * A two-input network, opset 13:
   *
   * <pre>
   * x [n, 3, 8, 8] -- Conv(w1, b1, 3x3, pad 1) -> c1 -- Relu -> r1 -- Conv(w2, 1x1) -> c2
   * Add(c2, r1) -> a1 -- Flatten -> f [n, 256] -- MatMul(w3) -> m [n, 8]
   * z [?, ?] ----------------------------------- Add(m, z) -> y [n, 8]
   * </pre>
   *
   * w1, b1 and w3 are initializers, w2 a {@code Constant} node (where Paddle2ONNX puts weights).
   * The activations are x, z, c1, r1, c2, a1, f, m and y; z declares two unknown dims, so its shape
   * must be given, while x's batch follows from its length.
   */
  public static ModelProto convNet() {
    Random random = new Random(7);
    GraphProto graph =
        GraphProto.newBuilder()
            .setName("convnet")
            .addNode(
                node("Conv", "conv1", new String[] {"x", "w1", "b1"}, "c1")
                    .addAttribute(ints("pads", 1, 1, 1, 1)))
            .addNode(node("Relu", "relu1", new String[] {"c1"}, "r1"))
            .addNode(
                node("Constant", "w2_const", new String[0], "w2")
                    .addAttribute(
                        AttributeProto.newBuilder()
                            .setName("value")
                            .setType(AttributeProto.AttributeType.TENSOR)
                            .setT(weights("w2", random, 4, 4, 1, 1))))
            .addNode(node("Conv", "conv2", new String[] {"r1", "w2"}, "c2"))
            .addNode(node("Add", "skip", new String[] {"c2", "r1"}, "a1"))
            .addNode(node("Flatten", "flatten", new String[] {"a1"}, "f"))
            .addNode(node("MatMul", "fc", new String[] {"f", "w3"}, "m"))
            .addNode(node("Add", "join", new String[] {"m", "z"}, "y"))
            .addInitializer(weights("w1", random, 4, 3, 3, 3))
            .addInitializer(weights("b1", random, 4))
            .addInitializer(weights("w3", random, 256, 8))
            .addInput(value("x", "n", 3L, 8L, 8L))
            .addInput(value("z", "zn", "zk"))
            .addOutput(value("y", "n", 8L))
            .build();
    return ModelProto.newBuilder()
        .setIrVersion(7)
        .setProducerName("qcal-test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
        .setGraph(graph)
        .build();
  }

  private static NodeProto.Builder node(String op, String name, String[] inputs, String output) {
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
    for (String in : inputs) {
      node.addInput(in);
    }
    return node;
  }

  private static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  private static TensorProto weights(String name, Random random, long... dims) {
    long count = 1;
    for (long d : dims) {
      count *= d;
    }
    float[] values = new float[(int) count];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * 0.3);
    }
    return FloatTensors.fromFloats(name, dims, values);
  }

  /** A FLOAT value; each dim a Long (known) or a String (a named unknown dim). */
  private static ValueInfoProto value(String name, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof Long n) {
        dim.setDimValue(n);
      } else {
        dim.setDimParam((String) d);
      }
      shape.addDim(dim);
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            TypeProto.newBuilder()
                .setTensorType(
                    TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape)))
        .build();
  }
}
