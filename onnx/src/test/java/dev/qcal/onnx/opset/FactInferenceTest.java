package dev.qcal.onnx.opset;

import static dev.qcal.onnx.opset.OnnxGraphs.constant;
import static dev.qcal.onnx.opset.OnnxGraphs.i;
import static dev.qcal.onnx.opset.OnnxGraphs.ints;
import static dev.qcal.onnx.opset.OnnxGraphs.model;
import static dev.qcal.onnx.opset.OnnxGraphs.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.onnx.FloatTensors;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shape inference behind Softmax's conversion: shapes derived by hand for each rule. */
class FactInferenceTest {
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

  private static GraphScope scope(int opset, long[] x, List<NodeProto> nodes) {
    GraphProto graph = model(opset, x, nodes, "y").getGraph();
    return GraphScope.of(graph, Names.of(graph));
  }

  @Test
  void shapesThroughTheRules() {
    GraphScope s =
        scope(
            9,
            new long[] {2, 3, 4},
            List.of(
                constant(
                    "w",
                    int64s(1, 2, 3, 4, 5, 6, 7, 8).toBuilder()
                        .clearDims()
                        .addDims(4)
                        .addDims(2)
                        .setDataType(TensorProto.DataType.FLOAT_VALUE)
                        .clearInt64Data()
                        .addAllFloatData(List.of(1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f))
                        .build()),
                node("MatMul", List.of("x", "w"), List.of("mm")),
                node("Transpose", List.of("mm"), List.of("t"), ints("perm", 2, 0, 1)),
                node("Unsqueeze", List.of("t"), List.of("u"), ints("axes", 0, -1)),
                node("Squeeze", List.of("u"), List.of("sq"), ints("axes", -1)),
                node("ReduceMean", List.of("sq"), List.of("rm"), ints("axes", 1), i("keepdims", 0)),
                node("ReduceMax", List.of("sq"), List.of("rk"), ints("axes", -1)),
                node("Concat", List.of("x", "x"), List.of("c"), i("axis", -1)),
                constant("shape", int64s(0, -1, 2)),
                node("Reshape", List.of("c", "shape"), List.of("r")),
                constant("idx", int64s(1, 0)),
                node("Gather", List.of("r", "idx"), List.of("g"), i("axis", 1)),
                constant("row", FloatTensors.fromFloats("", new long[] {1, 2}, new float[] {1, 2})),
                node("Add", List.of("g", "row"), List.of("a")),
                node("Shape", List.of("a"), List.of("sh")),
                node(
                    "Cast",
                    List.of("sh"),
                    List.of("shf"),
                    i("to", TensorProto.DataType.FLOAT_VALUE)),
                node("Flatten", List.of("x"), List.of("f"), i("axis", 2)),
                node(
                    "BatchNormalization", List.of("x", "s", "b", "m", "v"), List.of("y", "mean"))));
    assertArrayEquals(new long[] {2, 3, 2}, s.facts("mm").dims());
    assertArrayEquals(new long[] {2, 2, 3}, s.facts("t").dims());
    assertArrayEquals(new long[] {1, 2, 2, 3, 1}, s.facts("u").dims());
    assertArrayEquals(new long[] {1, 2, 2, 3}, s.facts("sq").dims());
    assertArrayEquals(new long[] {1, 2, 3}, s.facts("rm").dims());
    assertArrayEquals(new long[] {1, 2, 2, 1}, s.facts("rk").dims());
    assertArrayEquals(new long[] {2, 3, 8}, s.facts("c").dims());
    assertArrayEquals(
        new long[] {2, -1, 2}, s.facts("r").dims(), "0 copies the dim, -1 is unknown");
    assertArrayEquals(
        new long[] {2, 2, 2}, s.facts("g").dims(), "the indices' dims in place of the axis");
    assertArrayEquals(new long[] {2, 2, 2}, s.facts("a").dims(), "broadcast");
    assertArrayEquals(new long[] {3}, s.facts("sh").dims());
    assertEquals(TensorProto.DataType.INT64_VALUE, s.facts("sh").elemType());
    assertEquals(TensorProto.DataType.FLOAT_VALUE, s.facts("shf").elemType());
    assertEquals(2, s.facts("f").rank().getAsInt());
    assertEquals(3, s.facts("y").rank().getAsInt());
    assertTrue(s.facts("mean").rank().isEmpty(), "BatchNormalization's statistics: not x's shape");
  }

  /** Axes given as inputs (opset 13 and 18 forms) are read too; declared value_info wins. */
  @Test
  void axesInputsAndDeclarations() {
    List<NodeProto> nodes =
        List.of(
            constant("axes", int64s(0)),
            node("Unsqueeze", List.of("x", "axes"), List.of("u")),
            node("ReduceSum", List.of("u", "axes"), List.of("rs"), i("keepdims", 0)),
            node("Identity", List.of("u"), List.of("declared")));
    GraphProto graph =
        model(13, new long[] {5}, nodes, "rs").getGraph().toBuilder()
            .addValueInfo(
                ValueInfoProto.newBuilder()
                    .setName("declared")
                    .setType(OnnxGraphs.floatType(new long[] {1, 5, 1})))
            .build();
    GraphScope s = GraphScope.of(graph, Names.of(graph));
    assertArrayEquals(new long[] {1, 5}, s.facts("u").dims());
    assertArrayEquals(new long[] {5}, s.facts("rs").dims());
    assertArrayEquals(
        new long[] {1, 5, 1}, s.facts("declared").dims(), "the model's declaration wins");
  }
}
