package dev.qcal.onnx.opset;

import static dev.qcal.onnx.opset.AttributesToInputsTest.op;
import static dev.qcal.onnx.opset.OnnxGraphs.attribute;
import static dev.qcal.onnx.opset.OnnxGraphs.i;
import static dev.qcal.onnx.opset.OnnxGraphs.model;
import static dev.qcal.onnx.opset.OnnxGraphs.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Softmax, LogSoftmax and Hardmax at opset 13 (the axis stopped meaning "flatten from here"): kept
 * when the axis is the last one, spelled out otherwise; ONNX Runtime agrees bit for bit.
 */
class SoftmaxAxisTest {
  private static final long[] SHAPE = {2, 3, 4};

  @Test
  void lastAxisIsKeptByteForByte() throws Exception {
    ModelProto model =
        model(
            11,
            SHAPE,
            List.of(
                node("Softmax", List.of("x"), List.of("a"), i("axis", 2)),
                node("LogSoftmax", List.of("x"), List.of("b"), i("axis", -1)),
                node("Hardmax", List.of("x"), List.of("c"), i("axis", 2))),
            "a",
            "b",
            "c");
    for (int target : new int[] {13, 19}) {
      OnnxModel converted = SameOutputs.convertsTheSame(model, target, SHAPE);
      assertEquals(model.getGraph().getNodeList(), converted.graph().getNodeList(), "same nodes");
    }
  }

  @Test
  void anotherAxisIsSpelledOut() throws Exception {
    ModelProto model =
        model(
            11,
            SHAPE,
            List.of(
                node("Softmax", List.of("x"), List.of("a"), i("axis", 1)),
                node("LogSoftmax", List.of("x"), List.of("b"), i("axis", 0)),
                node("Hardmax", List.of("x"), List.of("c"), i("axis", -2)),
                node("Softmax", List.of("x"), List.of("d"))),
            "a",
            "b",
            "c",
            "d");
    OnnxModel converted = SameOutputs.convertsTheSame(model, 13, SHAPE);
    List<String> ops = converted.graph().getNodeList().stream().map(NodeProto::getOpType).toList();
    assertEquals(List.of("Flatten", "Softmax", "Shape", "Reshape"), ops.subList(0, 4));
    NodeProto flatten = op(converted, "Flatten", 0);
    assertEquals(1, attribute(flatten, "axis").getI());
    NodeProto softmax = op(converted, "Softmax", 0);
    assertEquals("softmax_a", softmax.getName(), "the operator keeps its name");
    assertEquals(1, attribute(softmax, "axis").getI());
    assertEquals("a", op(converted, "Reshape", 0).getOutput(0), "the output keeps its name");
    assertEquals(
        1, attribute(op(converted, "Flatten", 3), "axis").getI(), "an absent axis meant 1");
    assertEquals(16, converted.graph().getNodeCount());
  }

  /**
   * Without a declared input shape the rank is unknown: spelled out, which is right for any rank.
   */
  @Test
  void unknownRankIsSpelledOut() throws Exception {
    ModelProto model =
        model(12, null, List.of(node("Softmax", List.of("x"), List.of("a"), i("axis", 2))), "a");
    OnnxModel converted = SameOutputs.convertsTheSame(model, 13, SHAPE);
    assertEquals(4, converted.graph().getNodeCount());
    SameOutputs.assertSame(
        OnnxModel.of(model, "").toBytes(), converted.toBytes(), new long[] {2, 3, 4, 5}, 4);
  }

  /** The rank follows Paddle's shape arithmetic (Shape, Slice, Concat, Reshape): kept. */
  @Test
  void rankThroughReshapeOfComputedShape() throws Exception {
    ModelProto model =
        model(
            9,
            SHAPE,
            List.of(
                node("Shape", List.of("x"), List.of("s")),
                node(
                    "Slice",
                    List.of("s"),
                    List.of("head"),
                    OnnxGraphs.ints("axes", 0),
                    OnnxGraphs.ints("starts", 0),
                    OnnxGraphs.ints("ends", 1)),
                OnnxGraphs.constant(
                    "minus",
                    TensorProto.newBuilder()
                        .addDims(2)
                        .setDataType(TensorProto.DataType.INT64_VALUE)
                        .addInt64Data(3)
                        .addInt64Data(-1)
                        .build()),
                node("Concat", List.of("head", "minus"), List.of("shape"), i("axis", 0)),
                node("Reshape", List.of("x", "shape"), List.of("r")),
                node("Softmax", List.of("r"), List.of("a"), i("axis", 2))),
            "a");
    OnnxModel converted = SameOutputs.convertsTheSame(model, 13, SHAPE);
    assertTrue(
        converted.graph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Flatten")));
    for (OnnxModel m : List.of(OnnxModel.of(model, ""), converted)) {
      GraphScope scope = GraphScope.of(m.graph(), Names.of(m.graph()));
      assertArrayEquals(
          new long[] {3},
          scope.facts("shape").dims(),
          "Slice (attributes or inputs) and Concat lengths");
      assertEquals(3, scope.facts("r").rank().getAsInt());
    }
  }
}
