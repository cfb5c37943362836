package dev.qcal.onnx.opset;

import static dev.qcal.onnx.opset.OnnxGraphs.constant;
import static dev.qcal.onnx.opset.OnnxGraphs.f;
import static dev.qcal.onnx.opset.OnnxGraphs.i;
import static dev.qcal.onnx.opset.OnnxGraphs.ints;
import static dev.qcal.onnx.opset.OnnxGraphs.model;
import static dev.qcal.onnx.opset.OnnxGraphs.node;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.onnx.FloatTensors;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The steps the table calls unchanged, checked the same way as the adapters: one model at opset 9
 * with the common operators whose schemas changed only in ways that keep a node's meaning (Conv,
 * ConvTranspose, Gemm, MatMul, Flatten, Cast, pooling, normalizations, the elementwise and shape
 * operators, ...), raised to 13, 19, 21 and 25; ONNX Runtime gives the same outputs bit for bit,
 * and the nodes are the same.
 */
class UnchangedStepsTest {
  private static final long[] SHAPE = {2, 3, 4, 6};

  private static TensorProto weights(long[] dims, long seed) {
    int count = 1;
    for (long d : dims) {
      count *= (int) d;
    }
    float[] values = new float[count];
    Random random = new Random(seed);
    for (int k = 0; k < count; k++) {
      values[k] = (float) random.nextGaussian() * 0.5f;
    }
    return FloatTensors.fromFloats("", dims, values).toBuilder().clearName().build();
  }

  private static TensorProto int64s(long... values) {
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setDataType(TensorProto.DataType.INT64_VALUE)
            .addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    return t.build();
  }

  private static ModelProto opset9() {
    List<NodeProto> n = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    n.add(constant("w", weights(new long[] {4, 3, 3, 3}, 1)));
    n.add(constant("b", weights(new long[] {4}, 2)));
    n.add(node("Conv", List.of("x", "w", "b"), List.of("conv"), ints("pads", 1, 1, 1, 1)));
    n.add(constant("wt", weights(new long[] {4, 2, 2, 2}, 3)));
    n.add(node("ConvTranspose", List.of("conv", "wt"), List.of("deconv"), ints("strides", 2, 2)));
    n.add(
        node(
            "MaxPool",
            List.of("deconv"),
            List.of("maxpool"),
            ints("kernel_shape", 2, 2),
            ints("strides", 2, 2)));
    n.add(node("GlobalAveragePool", List.of("conv"), List.of("gap")));
    n.add(node("GlobalMaxPool", List.of("conv"), List.of("gmp")));
    n.add(constant("scale", weights(new long[] {4}, 4)));
    n.add(constant("mean", weights(new long[] {4}, 5)));
    n.add(node("Abs", List.of("scale"), List.of("var")));
    n.add(node("BatchNormalization", List.of("conv", "scale", "b", "mean", "var"), List.of("bn")));
    n.add(node("InstanceNormalization", List.of("conv", "scale", "b"), List.of("in")));
    n.add(node("LRN", List.of("bn"), List.of("lrn"), i("size", 3)));
    n.add(node("Flatten", List.of("maxpool"), List.of("flat"), i("axis", 1)));
    n.add(constant("gw", weights(new long[] {5, 48}, 6)));
    n.add(constant("gb", weights(new long[] {5}, 7)));
    n.add(
        node(
            "Gemm",
            List.of("flat", "gw", "gb"),
            List.of("gemm"),
            i("transB", 1),
            f("alpha", 0.5f)));
    n.add(constant("mw", weights(new long[] {6, 3}, 8)));
    n.add(node("MatMul", List.of("x", "mw"), List.of("matmul")));
    n.add(node("Transpose", List.of("matmul"), List.of("t"), ints("perm", 0, 2, 1, 3)));
    n.add(constant("shape", int64s(2, -1, 3)));
    n.add(node("Reshape", List.of("t", "shape"), List.of("reshaped")));
    n.add(constant("idx", int64s(2, 0)));
    n.add(node("Gather", List.of("reshaped", "idx"), List.of("gathered"), i("axis", 1)));
    n.add(node("Concat", List.of("x", "x"), List.of("concat"), i("axis", 3)));
    n.add(constant("two", weights(new long[] {1}, 9)));
    n.add(node("Pow", List.of("x", "two"), List.of("pow")));
    n.add(node("Add", List.of("x", "two"), List.of("add")));
    n.add(node("Sub", List.of("x", "two"), List.of("sub")));
    n.add(node("Mul", List.of("add", "sub"), List.of("mul")));
    n.add(node("Abs", List.of("x"), List.of("abs")));
    n.add(node("Sqrt", List.of("abs"), List.of("sqrt")));
    n.add(node("Div", List.of("x", "add"), List.of("div")));
    n.add(node("Exp", List.of("x"), List.of("exp")));
    n.add(node("Log", List.of("exp"), List.of("log")));
    n.add(node("Reciprocal", List.of("exp"), List.of("reciprocal")));
    for (String unary :
        new String[] {
          "Tanh", "Sigmoid", "Relu", "Neg", "Floor", "Ceil", "Sign", "Erf", "Softplus", "Softsign"
        }) {
      n.add(node(unary, List.of("x"), List.of(unary.toLowerCase(java.util.Locale.ROOT))));
      outputs.add(unary.toLowerCase(java.util.Locale.ROOT));
    }
    n.add(node("HardSigmoid", List.of("x"), List.of("hardsigmoid"), f("alpha", 0.3f)));
    n.add(node("LeakyRelu", List.of("x"), List.of("leakyrelu"), f("alpha", 0.2f)));
    n.add(node("Elu", List.of("x"), List.of("elu")));
    n.add(node("Selu", List.of("x"), List.of("selu")));
    n.add(constant("slope", weights(new long[] {6}, 10)));
    n.add(node("PRelu", List.of("x", "slope"), List.of("prelu")));
    n.add(
        node("Cast", List.of("x"), List.of("double"), i("to", TensorProto.DataType.DOUBLE_VALUE)));
    n.add(
        node(
            "Cast", List.of("double"), List.of("cast"), i("to", TensorProto.DataType.FLOAT_VALUE)));
    n.add(node("Max", List.of("x", "neg", "two"), List.of("max")));
    n.add(node("Min", List.of("x", "neg"), List.of("min")));
    n.add(node("Mean", List.of("x", "neg", "abs"), List.of("mean_")));
    n.add(node("Sum", List.of("x", "abs"), List.of("sum")));
    n.add(node("Greater", List.of("x", "two"), List.of("greater")));
    n.add(node("Where", List.of("greater", "x", "neg"), List.of("where")));
    n.add(node("ArgMax", List.of("x"), List.of("argmax"), i("axis", 3)));
    n.add(
        node(
            "Cast",
            List.of("argmax"),
            List.of("argmax_f"),
            i("to", TensorProto.DataType.FLOAT_VALUE)));
    n.add(
        node(
            "Cast", List.of("sign"), List.of("sign_i"), i("to", TensorProto.DataType.INT64_VALUE)));
    n.add(node("Equal", List.of("sign_i", "argmax"), List.of("equal")));
    n.add(
        node(
            "Cast",
            List.of("equal"),
            List.of("equal_f"),
            i("to", TensorProto.DataType.FLOAT_VALUE)));
    n.add(node("Shape", List.of("x"), List.of("shape_of")));
    n.add(
        node(
            "Cast",
            List.of("shape_of"),
            List.of("shape_f"),
            i("to", TensorProto.DataType.FLOAT_VALUE)));
    n.add(node("Expand", List.of("two", "shape_of"), List.of("expand")));
    n.add(constant("repeats", int64s(1, 2, 1, 1)));
    n.add(node("Tile", List.of("x", "repeats"), List.of("tile")));
    n.add(node("DepthToSpace", List.of("conv"), List.of("d2s"), i("blocksize", 2)));
    n.add(node("SpaceToDepth", List.of("x"), List.of("s2d"), i("blocksize", 2)));
    n.add(node("Identity", List.of("x"), List.of("identity")));
    n.add(node("MeanVarianceNormalization", List.of("x"), List.of("mvn")));
    outputs.addAll(
        List.of(
            "deconv",
            "gap",
            "gmp",
            "in",
            "lrn",
            "gemm",
            "gathered",
            "concat",
            "pow",
            "mul",
            "sqrt",
            "div",
            "log",
            "reciprocal",
            "hardsigmoid",
            "leakyrelu",
            "elu",
            "selu",
            "prelu",
            "cast",
            "max",
            "min",
            "mean_",
            "sum",
            "where",
            "equal_f",
            "argmax_f",
            "shape_f",
            "expand",
            "tile",
            "d2s",
            "s2d",
            "identity",
            "mvn"));
    return model(9, SHAPE, n, outputs.toArray(new String[0]));
  }

  @ParameterizedTest
  @ValueSource(ints = {13, 19, 21, 25})
  void sameOutputsSameNodes(int target) throws Exception {
    ModelProto model = opset9();
    OnnxModel converted = SameOutputs.convertsTheSame(model, target, SHAPE);
    assertEquals(model.getGraph().getNodeList(), converted.graph().getNodeList());
  }
}
