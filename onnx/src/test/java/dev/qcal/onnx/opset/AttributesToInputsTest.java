package dev.qcal.onnx.opset;

import static dev.qcal.onnx.opset.OnnxGraphs.attribute;
import static dev.qcal.onnx.opset.OnnxGraphs.f;
import static dev.qcal.onnx.opset.OnnxGraphs.i;
import static dev.qcal.onnx.opset.OnnxGraphs.ints;
import static dev.qcal.onnx.opset.OnnxGraphs.model;
import static dev.qcal.onnx.opset.OnnxGraphs.node;
import static dev.qcal.onnx.opset.OnnxGraphs.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.FloatTensors;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The steps where attributes became inputs, one synthetic model per operator at its old opset: ONNX
 * Runtime gives the converted model the outputs of the original bit for bit, and the converted node
 * takes the values as constant inputs with no attribute left.
 */
class AttributesToInputsTest {
  @Test
  void sliceStartsEndsAxesBecomeInputsAt10() throws Exception {
    ModelProto model =
        model(
            9,
            new long[] {3, 4, 5},
            List.of(
                node(
                    "Slice",
                    List.of("x"),
                    List.of("a"),
                    ints("axes", 1, 2),
                    ints("starts", 1, -3),
                    ints("ends", 3, 1000)),
                node(
                    "Slice",
                    List.of("x"),
                    List.of("b"),
                    ints("starts", 0, 1),
                    ints("ends", 2, -1))),
            "a",
            "b");
    for (int target : new int[] {10, 13}) {
      OnnxModel converted = SameOutputs.convertsTheSame(model, target, new long[] {3, 4, 5});
      NodeProto a = op(converted, "Slice", 0);
      assertEquals(0, a.getAttributeCount());
      assertEquals(List.of("x", "a_starts", "a_ends", "a_axes"), a.getInputList());
      assertArrayEquals(new long[] {1, -3}, longs(converted, "a_starts"));
      assertArrayEquals(new long[] {3, 1000}, longs(converted, "a_ends"));
      assertArrayEquals(new long[] {1, 2}, longs(converted, "a_axes"));
      assertEquals(
          List.of("x", "b_starts", "b_ends"),
          op(converted, "Slice", 1).getInputList(),
          "no axes: input left out");
    }
  }

  @Test
  void topKBecomesAnInputAt10() throws Exception {
    ModelProto model =
        model(
            9,
            new long[] {3, 5},
            List.of(
                node("TopK", List.of("x"), List.of("values", "indices"), i("k", 2), i("axis", 1)),
                node(
                    "Cast",
                    List.of("indices"),
                    List.of("positions"),
                    i("to", TensorProto.DataType.FLOAT_VALUE))),
            "values",
            "positions");
    for (int target : new int[] {10, 11, 25}) {
      OnnxModel converted = SameOutputs.convertsTheSame(model, target, new long[] {3, 5});
      NodeProto topK = op(converted, "TopK", 0);
      assertNull(attribute(topK, "k"));
      assertArrayEquals(new long[] {2}, longs(converted, topK.getInput(1)), "K: 1-D, one element");
    }
  }

  @Test
  void clipBoundsBecomeScalarInputsAt11() throws Exception {
    ModelProto model =
        model(
            9,
            new long[] {2, 3, 4},
            List.of(
                node("Clip", List.of("x"), List.of("both"), f("min", -0.5f), f("max", 0.75f)),
                node("Clip", List.of("x"), List.of("low"), f("min", 0.1f)),
                node("Clip", List.of("x"), List.of("high"), f("max", 6f)),
                node("Clip", List.of("x"), List.of("none"))),
            "both",
            "low",
            "high",
            "none");
    for (int target : new int[] {11, 13, 19}) {
      OnnxModel converted = SameOutputs.convertsTheSame(model, target, new long[] {2, 3, 4});
      assertEquals(List.of("x", "both_min", "both_max"), op(converted, "Clip", 0).getInputList());
      assertEquals(List.of("x", "low_min"), op(converted, "Clip", 1).getInputList());
      assertEquals(
          List.of("x", "", "high_max"), op(converted, "Clip", 2).getInputList(), "min left out");
      assertEquals(List.of("x"), op(converted, "Clip", 3).getInputList());
      TensorProto max = converted.constant("both_max").orElseThrow();
      assertEquals(0, max.getDimsCount(), "a scalar");
      assertArrayEquals(new float[] {0.75f}, FloatTensors.toFloats(max));
    }
  }

  /**
   * The bounds take the data's element type: DOUBLE and FLOAT16 data get DOUBLE and FLOAT16 bounds.
   */
  @Test
  void clipBoundsTakeTheDataType() {
    for (TensorProto.DataType type :
        new TensorProto.DataType[] {TensorProto.DataType.DOUBLE, TensorProto.DataType.FLOAT16}) {
      ModelProto model =
          model(
              9,
              new long[] {4},
              List.of(
                  node("Cast", List.of("x"), List.of("c"), i("to", type.getNumber())),
                  node("Clip", List.of("c"), List.of("y"), f("min", 0f), f("max", 6f))),
              "y");
      OnnxModel converted = OpsetConverter.convert(OnnxModel.of(model, "typed"), 11);
      TensorProto max = converted.constant("y_max").orElseThrow();
      assertEquals(type.getNumber(), max.getDataType());
      if (type == TensorProto.DataType.FLOAT16) {
        assertEquals(
            0x4600,
            max.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getShort(),
            "6.0 in binary16");
      } else {
        assertEquals(
            6.0,
            max.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getDouble());
      }
    }
  }

  /**
   * A bound whose type cannot be known (here the output of another domain's operator) is refused.
   */
  @Test
  void clipOfAnUnknownTypeIsRefused() {
    NodeProto custom =
        NodeProto.newBuilder()
            .setOpType("Scale")
            .setDomain("com.example")
            .addInput("x")
            .addOutput("c")
            .build();
    ModelProto model =
        model(
            9,
            new long[] {4},
            List.of(custom, node("Clip", List.of("c"), List.of("y"), f("max", 6f))),
            "y");
    InputFormatException e =
        assertThrows(
            InputFormatException.class,
            () -> OpsetConverter.convert(OnnxModel.of(model, "c.onnx"), 11));
    assertEquals(
        "c.onnx: cannot raise the opset from 9 to 11: node 'clip_y' (Clip): the element type of its"
            + " input is not declared in the model and qcal could not infer it (the attribute"
            + " becomes an input of that type); declare the input's type in value_info",
        e.getMessage());
  }

  @Test
  void padPadsAndValueBecomeInputsAt11() throws Exception {
    long[] pads = {0, 1, 2, 0, 0, 2, 1, 1};
    ModelProto model =
        model(
            10,
            new long[] {2, 3, 4, 5},
            List.of(
                node(
                    "Pad", List.of("x"), List.of("constant"), ints("pads", pads), f("value", 1.5f)),
                node("Pad", List.of("x"), List.of("zero"), ints("pads", pads)),
                node(
                    "Pad",
                    List.of("x"),
                    List.of("reflect"),
                    ints("pads", pads),
                    s("mode", "reflect")),
                node("Pad", List.of("x"), List.of("edge"), ints("pads", pads), s("mode", "edge"))),
            "constant",
            "zero",
            "reflect",
            "edge");
    for (int target : new int[] {11, 13, 19, 25}) {
      OnnxModel converted = SameOutputs.convertsTheSame(model, target, new long[] {2, 3, 4, 5});
      assertEquals(
          List.of("x", "constant_pads", "constant_value"), op(converted, "Pad", 0).getInputList());
      assertArrayEquals(pads, longs(converted, "constant_pads"));
      assertEquals(List.of("x", "zero_pads"), op(converted, "Pad", 1).getInputList());
      assertEquals(
          "reflect",
          attribute(op(converted, "Pad", 2), "mode").getS().toStringUtf8(),
          "mode stays an attribute");
    }
  }

  @Test
  void dropoutRatioBecomesAnInputAt12() throws Exception {
    ModelProto model =
        model(
            10,
            new long[] {3, 4},
            List.of(
                node("Dropout", List.of("x"), List.of("d"), f("ratio", 0.3f)),
                node("Relu", List.of("d"), List.of("y"))),
            "y");
    for (int target : new int[] {12, 13, 22}) {
      OnnxModel converted = SameOutputs.convertsTheSame(model, target, new long[] {3, 4});
      NodeProto dropout = op(converted, "Dropout", 0);
      assertEquals(0, dropout.getAttributeCount());
      assertArrayEquals(
          new float[] {0.3f},
          FloatTensors.toFloats(converted.constant(dropout.getInput(1)).orElseThrow()));
    }
  }

  @Test
  void splitSizesBecomeAnInputAt13AndNumOutputsAt18() throws Exception {
    ModelProto model =
        model(
            11,
            new long[] {2, 3, 4},
            List.of(
                node("Split", List.of("x"), List.of("a", "b"), i("axis", 1), ints("split", 1, 2)),
                node("Split", List.of("x"), List.of("c", "d"), i("axis", -1))),
            "a",
            "b",
            "c",
            "d");
    OnnxModel at13 = SameOutputs.convertsTheSame(model, 13, new long[] {2, 3, 4});
    assertArrayEquals(new long[] {1, 2}, longs(at13, op(at13, "Split", 0).getInput(1)));
    assertEquals(1, op(at13, "Split", 1).getInputCount(), "equal parts: no split input");
    assertNull(attribute(op(at13, "Split", 1), "num_outputs"), "num_outputs is opset 18's");
    for (int target : new int[] {18, 25}) {
      OnnxModel converted = SameOutputs.convertsTheSame(model, target, new long[] {2, 3, 4});
      assertNull(attribute(op(converted, "Split", 0), "num_outputs"), "sizes given");
      assertEquals(2, attribute(op(converted, "Split", 1), "num_outputs").getI());
    }
  }

  @Test
  void squeezeAndUnsqueezeAxesBecomeInputsAt13() throws Exception {
    ModelProto model =
        model(
            11,
            new long[] {2, 1, 3, 1},
            List.of(
                node("Squeeze", List.of("x"), List.of("s"), ints("axes", 1, -1)),
                node("Unsqueeze", List.of("s"), List.of("u"), ints("axes", 0, -1)),
                node("Squeeze", List.of("x"), List.of("all"))),
            "u",
            "all");
    for (int target : new int[] {13, 21, 25}) {
      OnnxModel converted = SameOutputs.convertsTheSame(model, target, new long[] {2, 1, 3, 1});
      assertArrayEquals(
          new long[] {1, -1}, longs(converted, op(converted, "Squeeze", 0).getInput(1)));
      assertArrayEquals(
          new long[] {0, -1}, longs(converted, op(converted, "Unsqueeze", 0).getInput(1)));
      assertEquals(
          List.of("x"),
          op(converted, "Squeeze", 1).getInputList(),
          "no axes: every 1 squeezed, as before");
    }
  }

  @Test
  void reduceSumAxesBecomeAnInputAt13() throws Exception {
    ModelProto model =
        model(
            12,
            new long[] {2, 3, 4},
            List.of(
                node("ReduceSum", List.of("x"), List.of("a"), ints("axes", 1), i("keepdims", 0)),
                node("ReduceSum", List.of("x"), List.of("b"), ints("axes", -1, 0)),
                node("ReduceSum", List.of("x"), List.of("all"), i("keepdims", 0))),
            "a",
            "b",
            "all");
    OnnxModel converted = SameOutputs.convertsTheSame(model, 13, new long[] {2, 3, 4});
    assertArrayEquals(new long[] {1}, longs(converted, op(converted, "ReduceSum", 0).getInput(1)));
    assertEquals(
        0,
        attribute(op(converted, "ReduceSum", 0), "keepdims").getI(),
        "keepdims stays an attribute");
    assertEquals(
        1, op(converted, "ReduceSum", 2).getInputCount(), "no axes: everything reduced, as before");
  }

  /** The nine other reductions at 18; |x| first so that the logarithms are defined. */
  @Test
  void otherReductionsAxesBecomeInputsAt18() throws Exception {
    String[] ops = {
      "ReduceL1",
      "ReduceL2",
      "ReduceLogSum",
      "ReduceLogSumExp",
      "ReduceMax",
      "ReduceMean",
      "ReduceMin",
      "ReduceProd",
      "ReduceSumSquare"
    };
    List<NodeProto> nodes = new ArrayList<>();
    nodes.add(node("Abs", List.of("x"), List.of("a")));
    String[] outputs = new String[ops.length];
    for (int k = 0; k < ops.length; k++) {
      outputs[k] = ops[k].toLowerCase(java.util.Locale.ROOT);
      nodes.add(
          node(
              ops[k],
              List.of("a"),
              List.of(outputs[k]),
              ints("axes", k % 2 == 0 ? -1 : 1),
              i("keepdims", k % 2)));
    }
    ModelProto model = model(17, new long[] {2, 3, 4}, nodes, outputs);
    for (int target : new int[] {18, 20, 25}) {
      OnnxModel converted = SameOutputs.convertsTheSame(model, target, new long[] {2, 3, 4});
      for (int k = 0; k < ops.length; k++) {
        NodeProto reduce = op(converted, ops[k], 0);
        assertNull(attribute(reduce, "axes"), ops[k]);
        assertArrayEquals(
            new long[] {k % 2 == 0 ? -1 : 1}, longs(converted, reduce.getInput(1)), ops[k]);
      }
    }
  }

  @Test
  void upsampleScalesBecomeAnInputAt9() throws Exception {
    ModelProto model =
        model(
            8,
            new long[] {1, 2, 3, 4},
            List.of(
                node(
                    "Upsample",
                    List.of("x"),
                    List.of("y"),
                    OnnxGraphs.floats("scales", 1, 1, 2, 3),
                    s("mode", "nearest"))),
            "y");
    OnnxModel converted = SameOutputs.convertsTheSame(model, 9, new long[] {1, 2, 3, 4});
    NodeProto upsample = op(converted, "Upsample", 0);
    assertNull(attribute(upsample, "scales"));
    assertArrayEquals(
        new float[] {1, 1, 2, 3},
        FloatTensors.toFloats(converted.constant(upsample.getInput(1)).orElseThrow()));
  }

  /** The n-th node of operator {@code op}. */
  static NodeProto op(OnnxModel model, String op, int n) {
    List<NodeProto> nodes =
        model.graph().getNodeList().stream().filter(x -> x.getOpType().equals(op)).toList();
    assertTrue(nodes.size() > n, "a " + op + " node number " + n);
    return nodes.get(n);
  }

  private static long[] longs(OnnxModel model, String constant) {
    return IntTensors.toLongs(model.constant(constant).orElseThrow());
  }
}
