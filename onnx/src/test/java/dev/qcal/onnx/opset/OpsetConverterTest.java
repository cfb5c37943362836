package dev.qcal.onnx.opset;

import static dev.qcal.onnx.opset.AttributesToInputsTest.op;
import static dev.qcal.onnx.opset.OnnxGraphs.i;
import static dev.qcal.onnx.opset.OnnxGraphs.ints;
import static dev.qcal.onnx.opset.OnnxGraphs.model;
import static dev.qcal.onnx.opset.OnnxGraphs.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.FloatTensors;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.FunctionProto;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.OperatorSetIdProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import dev.qcal.onnx.testing.OrtRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the converter does to a model as a whole: opsets, IR versions, refusals, subgraphs, names.
 */
class OpsetConverterTest {
  private static final long[] SHAPE = {2, 3};

  private static ModelProto relu(int opset) {
    return model(opset, SHAPE, List.of(node("Relu", List.of("x"), List.of("y"))), "y");
  }

  @Test
  void theTargetOpsetReturnsTheSameModel() {
    OnnxModel model = OnnxModel.of(relu(13), "m.onnx");
    assertSame(model, OpsetConverter.convert(model, 13));
  }

  @Test
  void onlyTheOpsetAndIrVersionChangeWhenNoNodeDoes() {
    ModelProto proto =
        relu(9).toBuilder()
            .addOpsetImport(
                OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1))
            .build();
    OnnxModel converted = OpsetConverter.convert(OnnxModel.of(proto, "m.onnx"), 19);
    ModelProto expected =
        proto.toBuilder()
            .setIrVersion(9)
            .setOpsetImport(0, proto.getOpsetImport(0).toBuilder().setVersion(19))
            .build();
    assertEquals(expected, converted.proto(), "the other domain's opset stays");
    assertSame(proto.getGraph(), converted.graph(), "the graph is the same object");
  }

  /** IR versions rise to ONNX's release of the target opset, and are never lowered. */
  @Test
  void irVersions() {
    long[] expected = {
      3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 5, 6, 7, 7, 7, 8, 8, 8, 8, 9, 9, 10, 10, 11, 12, 13
    };
    for (int opset = 1; opset <= 25; opset++) {
      assertEquals(expected[opset], OpsetConverter.irVersionOf(opset), "opset " + opset);
    }
    assertEquals(9, OpsetConverter.convert(OnnxModel.of(relu(9), ""), 19).irVersion());
    ModelProto newer = relu(13).toBuilder().setIrVersion(10).build();
    assertEquals(
        10, OpsetConverter.convert(OnnxModel.of(newer, ""), 19).irVersion(), "never lowered");
    ModelProto ai =
        relu(11).toBuilder()
            .setOpsetImport(0, OperatorSetIdProto.newBuilder().setDomain("ai.onnx").setVersion(11))
            .build();
    OnnxModel converted = OpsetConverter.convert(OnnxModel.of(ai, ""), 13);
    assertEquals(
        "ai.onnx",
        converted.proto().getOpsetImport(0).getDomain(),
        "the domain keeps its spelling");
    assertEquals(13, converted.defaultOpset());
  }

  /** The table of IR versions (docs/onnx-models.md, "Opset conversion") is the converter's. */
  @Test
  void readmeIrTable() throws Exception {
    List<String> lines =
        Files.readAllLines(
            Path.of(System.getProperty("qcal.repo.root", ".."), "docs", "onnx-models.md"));
    int at = lines.indexOf("### Opset conversion");
    assertTrue(at >= 0, "docs/onnx-models.md has the section");
    String[] opsets = null;
    String[] irs = null;
    for (String line : lines.subList(at, lines.size())) {
      if (line.startsWith("| opset |")) {
        opsets = line.split("\\|");
      } else if (line.startsWith("| IR version |")) {
        irs = line.split("\\|");
        break;
      }
    }
    assertTrue(
        irs != null && opsets != null && irs.length == opsets.length, "an opset row and an IR row");
    int checked = 0;
    for (int k = 2; k < opsets.length; k++) {
      String[] range = opsets[k].trim().split("–");
      for (int opset = Integer.parseInt(range[0]);
          opset <= Integer.parseInt(range[range.length - 1]);
          opset++) {
        assertEquals(
            Long.parseLong(irs[k].trim()), OpsetConverter.irVersionOf(opset), "opset " + opset);
        checked++;
      }
    }
    assertEquals(17, checked, "opsets 9 to 25");
  }

  @Test
  void refusesToLowerOrGoPastTheNewest() {
    OnnxModel model = OnnxModel.of(relu(13), "m.onnx");
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> OpsetConverter.convert(model, 11));
    assertEquals(
        "m.onnx: the model is at opset 13 and qcal never lowers an opset (asked for 11)",
        e.getMessage());
    e = assertThrows(InputFormatException.class, () -> OpsetConverter.convert(model, 26));
    assertEquals(
        "m.onnx: opset 26 is newer than qcal converts to (up to 25, the newest TensorRT 11 and ONNX"
            + " Runtime 1.29 load)",
        e.getMessage());
    ModelProto noDefault =
        relu(13).toBuilder()
            .setOpsetImport(0, OperatorSetIdProto.newBuilder().setDomain("x").setVersion(1))
            .build();
    e =
        assertThrows(
            InputFormatException.class,
            () -> OpsetConverter.convert(OnnxModel.of(noDefault, "n.onnx"), 13));
    assertTrue(
        e.getMessage().startsWith("n.onnx: imports no version of the default ONNX operator set"),
        e.getMessage());
  }

  @Test
  void refusesUnknownOperatorsByName() {
    ModelProto model =
        model(
            9,
            SHAPE,
            List.of(
                node("Relu", List.of("x"), List.of("r")),
                node("ImageScaler", List.of("r"), List.of("y"))),
            "y");
    InputFormatException e =
        assertThrows(
            InputFormatException.class,
            () -> OpsetConverter.convert(OnnxModel.of(model, "old.onnx"), 13));
    assertEquals(
        "old.onnx: cannot raise the opset from 9 to 13: node 'imagescaler_y' (ImageScaler):"
            + " ImageScaler is not an operator of the default ONNX domain at opset 9 (an"
            + " experimental operator ONNX removed, or a misspelling)",
        e.getMessage());
    ModelProto later =
        model(
            9,
            SHAPE,
            List.of(NodeProto.newBuilder().setOpType("Gelu").addInput("x").addOutput("y").build()),
            "y");
    e =
        assertThrows(
            InputFormatException.class,
            () -> OpsetConverter.convert(OnnxModel.of(later, "g.onnx"), 21));
    assertEquals(
        "g.onnx: cannot raise the opset from 9 to 21: the Gelu node writing 'y': Gelu is not an"
            + " operator of the default ONNX domain at opset 9 (it came later)",
        e.getMessage());
  }

  /**
   * A change qcal has no conversion for is refused, never renumbered: opset 7's broadcasting,
   * Scan-9, GroupNormalization-21.
   */
  @Test
  void refusesChangesItDoesNotConvert() {
    ModelProto add6 = model(6, SHAPE, List.of(node("Add", List.of("x", "x"), List.of("y"))), "y");
    InputFormatException e =
        assertThrows(
            InputFormatException.class,
            () -> OpsetConverter.convert(OnnxModel.of(add6, "a.onnx"), 13));
    assertEquals(
        "a.onnx: cannot raise the opset from 6 to 13: node 'add_y' (Add): the schema of Add changed"
            + " at opset 7 and qcal has no conversion for that change",
        e.getMessage());

    ModelProto scan =
        model(
            8,
            SHAPE,
            List.of(
                node(
                    "Scan",
                    List.of("", "x"),
                    List.of("y"),
                    AttributeProto.newBuilder()
                        .setName("body")
                        .setType(AttributeProto.AttributeType.GRAPH)
                        .setG(GraphProto.newBuilder().setName("body"))
                        .build(),
                    i("num_scan_inputs", 1))),
            "y");
    e =
        assertThrows(
            InputFormatException.class,
            () -> OpsetConverter.convert(OnnxModel.of(scan, "s.onnx"), 9));
    assertEquals(
        "s.onnx: cannot raise the opset from 8 to 9: node 'scan_y' (Scan): Scan-9 replaced the"
            + " batch axis and directions of Scan-8 with per-input axes",
        e.getMessage());

    ModelProto group =
        model(
            18,
            SHAPE,
            List.of(
                node(
                    "GroupNormalization",
                    List.of("x", "s", "b"),
                    List.of("y"),
                    i("num_groups", 1))),
            "y");
    assertEquals(20, OpsetConverter.convert(OnnxModel.of(group, ""), 20).defaultOpset());
    e =
        assertThrows(
            InputFormatException.class,
            () -> OpsetConverter.convert(OnnxModel.of(group, "g.onnx"), 21));
    assertTrue(
        e.getMessage()
            .endsWith(
                "(GroupNormalization): scale and bias changed from one value per group to one per"
                    + " channel"),
        e.getMessage());
  }

  @Test
  void refusesModelLocalFunctions() {
    ModelProto model =
        relu(9).toBuilder()
            .addFunctions(FunctionProto.newBuilder().setName("f").setDomain("local"))
            .build();
    InputFormatException e =
        assertThrows(
            InputFormatException.class,
            () -> OpsetConverter.convert(OnnxModel.of(model, "f.onnx"), 13));
    assertEquals(
        "f.onnx: has model-local functions, whose nodes follow opsets of their own; qcal converts"
            + " the opset of models without them",
        e.getMessage());
  }

  @Test
  void leavesOtherDomainsAlone() {
    NodeProto custom =
        NodeProto.newBuilder()
            .setOpType("Squeeze")
            .setDomain("com.example")
            .addInput("x")
            .addOutput("y")
            .addAttribute(ints("axes", 0))
            .build();
    ModelProto model = model(11, SHAPE, List.of(custom), "y");
    assertEquals(
        List.of(custom), OpsetConverter.convert(OnnxModel.of(model, ""), 13).graph().getNodeList());
  }

  /**
   * If branches are graphs whose nodes follow the model's opset: converted too, and run by ONNX
   * Runtime.
   */
  @Test
  void convertsSubgraphs() throws Exception {
    GraphProto thenBranch =
        GraphProto.newBuilder()
            .setName("then")
            .addNode(node("Squeeze", List.of("x"), List.of("t"), ints("axes", 0)))
            .addOutput(ValueInfoProto.newBuilder().setName("t").setType(OnnxGraphs.floatType(null)))
            .build();
    GraphProto elseBranch =
        GraphProto.newBuilder()
            .setName("else")
            .addNode(node("Neg", List.of("x"), List.of("n")))
            .addNode(node("Squeeze", List.of("n"), List.of("e"), ints("axes", 0)))
            .addOutput(ValueInfoProto.newBuilder().setName("e").setType(OnnxGraphs.floatType(null)))
            .build();
    ModelProto model =
        model(
            11,
            new long[] {1, 4},
            List.of(
                node("ReduceSum", List.of("x"), List.of("sum"), i("keepdims", 0)),
                OnnxGraphs.constant(
                    "zero",
                    FloatTensors.fromFloats("", new long[0], new float[] {0}).toBuilder()
                        .clearName()
                        .build()),
                node("Greater", List.of("sum", "zero"), List.of("positive")),
                node(
                    "If",
                    List.of("positive"),
                    List.of("y"),
                    AttributeProto.newBuilder()
                        .setName("then_branch")
                        .setType(AttributeProto.AttributeType.GRAPH)
                        .setG(thenBranch)
                        .build(),
                    AttributeProto.newBuilder()
                        .setName("else_branch")
                        .setType(AttributeProto.AttributeType.GRAPH)
                        .setG(elseBranch)
                        .build())),
            "y");
    OnnxModel converted = SameOutputs.convertsTheSame(model, 13, new long[] {1, 4});
    GraphProto convertedElse = op(converted, "If", 0).getAttribute(1).getG();
    assertEquals(
        List.of("Neg", "Constant", "Squeeze"),
        convertedElse.getNodeList().stream().map(NodeProto::getOpType).toList());
    assertEquals(List.of("n", "e_axes"), convertedElse.getNode(2).getInputList());
    float[] positive = {1, 2, 3, -1};
    assertArrayEquals(
        positive,
        OrtRunner.run(converted.toBytes(), "x", new long[] {1, 4}, positive).get("y").values());
  }

  /** A fresh name never takes one the model uses, in any graph. */
  @Test
  void freshNamesAvoidTheModelsNames() {
    ModelProto model =
        model(
            11,
            new long[] {1, 3},
            List.of(
                node("Relu", List.of("x"), List.of("s_axes")),
                node("Squeeze", List.of("s_axes"), List.of("s"), ints("axes", 0))),
            "s");
    OnnxModel converted = OpsetConverter.convert(OnnxModel.of(model, ""), 13);
    assertEquals(List.of("s_axes", "s_axes_2"), op(converted, "Squeeze", 0).getInputList());
  }

  @Test
  void deterministicAndLeavesOtherNodesByteForByte() {
    List<NodeProto> nodes =
        List.of(
            node("Relu", List.of("x"), List.of("r")),
            node(
                "Slice",
                List.of("r"),
                List.of("s"),
                ints("starts", 0),
                ints("ends", 1),
                ints("axes", 1)),
            node("Sigmoid", List.of("s"), List.of("y")));
    OnnxModel model = OnnxModel.of(model(9, new long[] {2, 3}, nodes, "y"), "");
    OnnxModel converted = OpsetConverter.convert(model, 13);
    assertArrayEquals(converted.toBytes(), OpsetConverter.convert(model, 13).toBytes());
    List<NodeProto> after = converted.graph().getNodeList();
    assertSame(model.graph().getNode(0), after.get(0));
    assertSame(model.graph().getNode(2), after.get(after.size() - 1));
  }

  /**
   * Every schema change from opset 8 to 25 of every operator has a decision (converted, unchanged
   * or refused with a reason), and every decision names a real change.
   */
  @Test
  void everyStepIsDecided() {
    List<String> undecided = new ArrayList<>();
    int steps = 0;
    for (Map.Entry<String, int[]> op : OperatorHistory.all().entrySet()) {
      for (int i = 1; i < op.getValue().length; i++) {
        int version = op.getValue()[i];
        if (version >= 8) {
          steps++;
          if (Steps.of(op.getKey(), version).isEmpty()) {
            undecided.add(op.getKey() + "-" + version);
          }
        }
      }
    }
    assertEquals(List.of(), undecided);
    assertEquals(349, steps, "docs/onnx-models.md's count");
    assertEquals(steps, Steps.all().size(), "no step for a change that did not happen");
    for (String key : Steps.all().keySet()) {
      String op = key.substring(0, key.lastIndexOf('-'));
      int version = Integer.parseInt(key.substring(key.lastIndexOf('-') + 1));
      assertEquals(version, OperatorHistory.schemaAt(op, version).orElse(-1), key);
    }
  }

  /**
   * Not a conversion: ONNX Runtime runs AveragePool-19 (and later) with another kernel than
   * AveragePool-11, so a byte-identical node gives means that differ in the last bits. This is why
   * the PaddleOCR recognizer, which has one AveragePool, needs a tolerance from opset 19.
   */
  @Test
  void averagePool19IsAnotherOrtKernel() throws Exception {
    ModelProto model =
        model(
            11,
            new long[] {1, 8, 6, 40},
            List.of(
                node(
                    "AveragePool",
                    List.of("x"),
                    List.of("y"),
                    ints("kernel_shape", 3, 2),
                    ints("strides", 3, 2))),
            "y");
    OnnxModel original = OnnxModel.of(model, "");
    OnnxModel converted = OpsetConverter.convert(original, 19);
    assertEquals(model.getGraph().getNode(0), converted.graph().getNode(0));
    SameOutputs.assertSame(
        original.toBytes(),
        OpsetConverter.convert(original, 18).toBytes(),
        new long[] {1, 8, 6, 40},
        1);
    float[] input = SameOutputs.gaussian(new long[] {1, 8, 6, 40}, 1);
    float[] before =
        OrtRunner.run(original.toBytes(), "x", new long[] {1, 8, 6, 40}, input).get("y").values();
    float[] after =
        OrtRunner.run(converted.toBytes(), "x", new long[] {1, 8, 6, 40}, input).get("y").values();
    assertArrayEquals(before, after, 1e-6f);
  }

  @Test
  void halfPrecisionConstants() {
    assertEquals(0x0000, ConstantNodes.toHalf(0f));
    assertEquals((short) 0x8000, ConstantNodes.toHalf(-0f));
    assertEquals(0x3c00, ConstantNodes.toHalf(1f));
    assertEquals(0x4600, ConstantNodes.toHalf(6f));
    assertEquals((short) 0xc100, ConstantNodes.toHalf(-2.5f));
    assertEquals(0x7bff, ConstantNodes.toHalf(65504f), "the largest half");
    assertEquals(0x7bff, ConstantNodes.toHalf(65519f), "rounds down below the midpoint");
    assertEquals(0x7c00, ConstantNodes.toHalf(65520f), "the midpoint rounds to even: infinity");
    assertEquals(0x7c00, ConstantNodes.toHalf(Float.MAX_VALUE));
    assertEquals(0x0001, ConstantNodes.toHalf(5.9604645e-8f), "the smallest subnormal");
    assertEquals(0x0000, ConstantNodes.toHalf(2.9802322e-8f), "half of it ties to even: zero");
    assertEquals(0x0400, ConstantNodes.toHalf(6.1035156e-5f), "the smallest normal");
    assertEquals(0x3c00, ConstantNodes.toHalf(1.00048828125f), "1 + 2^-11 ties to even: 1");
    assertEquals(0x3c02, ConstantNodes.toHalf(1.00146484375f), "1 + 3 * 2^-11 ties to even: up");
    assertEquals(0x7e00, ConstantNodes.toHalf(Float.NaN) & 0x7e00);
  }

  @Test
  void sliceLengths() {
    assertEquals(2, ShapeArithmetic.sliceLength(4, 1, 3, 1));
    assertEquals(3, ShapeArithmetic.sliceLength(4, 1, Long.MAX_VALUE, 1));
    assertEquals(1, ShapeArithmetic.sliceLength(4, -1, 1000, 1));
    assertEquals(2, ShapeArithmetic.sliceLength(5, 0, 4, 3));
    assertEquals(
        4, ShapeArithmetic.sliceLength(4, -1, Long.MIN_VALUE, -1), "backwards through all");
    assertEquals(0, ShapeArithmetic.sliceLength(4, 3, 1, 1));
    assertEquals(
        TensorFacts.UNKNOWN_DIM, ShapeArithmetic.sliceLength(TensorFacts.UNKNOWN_DIM, 0, 1, 1));
    assertEquals(
        TensorProto.DataType.INT64_VALUE, ConstantNodes.int64s(new long[] {1}).getDataType());
  }
}
