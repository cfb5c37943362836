package dev.qcal.onnx.qdq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.io.CalibrationTableDocument;
import dev.qcal.core.io.InputFormatException;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.onnx.FloatTensors;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.testing.GraphBuilder;
import dev.qcal.onnx.testing.OrtRunner;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import dev.qcal.onnx.testing.SyntheticModel;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** --patch: a Q/DQ model keeps its graph and gets the table's activation scales. */
class QdqPatcherTest {
  private static final QdqOptions ALL =
      QdqOptions.of(QdqOptions.SUPPORTED_OPS, WeightGranularity.PER_CHANNEL);

  private static OnnxModel quantized(String method) {
    return QdqWriter.quantize(
            QdqWriterTest.synthetic(13, 8), QdqWriterTest.scales(QdqScheme.SYMMETRIC, method), ALL)
        .model();
  }

  /** The nightly path: yesterday's Q/DQ model patched with today's scales is today's Q/DQ model. */
  @Test
  void patchingQcalsOwnModelGivesTheBytesOfAFreshQdq() {
    ActivationScales today = QdqWriterTest.scales(QdqScheme.SYMMETRIC, "mse");
    QdqResult patched = QdqPatcher.patch(quantized("max"), today);
    assertArrayEquals(quantized("mse").toBytes(), patched.model().toBytes());
    assertNotEquals(quantized("max").proto(), patched.model().proto(), "the scales did change");
    assertEquals(
        List.of(), patched.notInTable(), "ap, left out of both tables, has no Q/DQ to patch");
    assertEquals(List.of(), patched.weights());
  }

  /**
   * A model quantized the way ONNX Runtime's and ModelOpt's quantizers write them: a scale
   * initializer shared by two tensors' groups, a scale in a Constant node, a QuantizeLinear read by
   * two DequantizeLinear nodes, a float weight behind its own Q/DQ pair, INT8 weights, and stale
   * scales everywhere.
   */
  private static ModelProto foreignLayout() {
    ModelProto m = quantized("max").proto();
    GraphProto.Builder g = m.getGraph().toBuilder();
    // mp's group reads g1's scale and zero point: shared, as ONNX Runtime shares equal scales.
    for (String node : List.of("mp_QuantizeLinear", "mp_DequantizeLinear")) {
      NodeProto.Builder n = nodeBuilder(g, node);
      n.setInput(1, "g1_scale").setInput(2, "g1_zero_point");
    }
    removeInitializer(g, "mp_scale");
    removeInitializer(g, "mp_zero_point");
    // g2's scale in a Constant node at the top of the graph.
    TensorProto g2Scale = initializer(g, "g2_scale");
    removeInitializer(g, "g2_scale");
    g.addNode(
        0,
        NodeProto.newBuilder()
            .setOpType("Constant")
            .setName("g2_scale_constant")
            .addOutput("g2_scale")
            .addAttribute(
                AttributeProto.newBuilder()
                    .setName("value")
                    .setType(AttributeProto.AttributeType.TENSOR)
                    .setT(g2Scale)));
    // x's QuantizeLinear read by a second DequantizeLinear, which concat1 reads.
    int concat = indexOf(g, "concat1");
    g.addNode(
        concat,
        NodeProto.newBuilder()
            .setOpType("DequantizeLinear")
            .setName("x_DequantizeLinear_2")
            .addInput("x_quantized")
            .addInput("x_scale")
            .addInput("x_zero_point")
            .addOutput("x_dequantized_2"));
    nodeBuilder(g, "concat1").setInput(1, "x_dequantized_2");
    // w6 as ModelOpt keeps weights: float, behind QuantizeLinear -> DequantizeLinear.
    g.addInitializer(
        FloatTensors.fromFloats(
            "w6", new long[] {5, 3}, QdqWriterTest.synthetic(13, 8).floatConstant("w6")));
    int dq = indexOf(g, "w6_DequantizeLinear");
    g.addNode(
        dq,
        NodeProto.newBuilder()
            .setOpType("QuantizeLinear")
            .setName("w6_QuantizeLinear")
            .addInput("w6")
            .addInput("w6_scale")
            .addInput("w6_zero_point")
            .addOutput("w6_q")
            .addAttribute(
                AttributeProto.newBuilder()
                    .setName("axis")
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(1)));
    nodeBuilder(g, "w6_DequantizeLinear").setInput(0, "w6_q");
    removeInitializer(g, "w6_quantized");
    // Stale scales: every activation scale 1.
    for (int i = 0; i < g.getInitializerCount(); i++) {
      TensorProto t = g.getInitializer(i);
      if (t.getName().endsWith("_scale") && t.getDimsCount() == 0) {
        g.setInitializer(i, FloatTensors.fromFloats(t.getName(), new long[0], new float[] {1f}));
      }
    }
    return m.toBuilder().setGraph(g).build();
  }

  @Test
  void sharedAndConstantScalesAreSplitAndEveryGroupGetsTheTablesScale() throws Exception {
    ModelProto foreign = foreignLayout();
    // Today's table: a calibration run of the float model (ONNX Runtime, qcal's calibrators).
    CalibrationTableDocument table =
        QdqOrtTest.calibrate(SyntheticModel.build(13, 8), QuantSpec.symmetric(8));
    ActivationScales scales =
        ActivationScales.from(table, "max", QdqScheme.SYMMETRIC, "calibration.json");
    QdqResult r = QdqPatcher.patch(OnnxModel.of(foreign, "foreign.onnx"), scales);
    GraphProto before = foreign.getGraph();
    GraphProto after = r.model().graph();
    List<String> expected = new ArrayList<>(SyntheticModel.ALL_ACTIVATIONS);
    expected.removeAll(List.of("ap", "fl"));
    assertEquals(expected, r.activations());

    // The same nodes in the same order, but the Constant scale that nothing reads any more.
    List<String> names = new ArrayList<>();
    before.getNodeList().forEach(n -> names.add(n.getName()));
    names.remove("g2_scale_constant");
    List<String> namesAfter = new ArrayList<>();
    after.getNodeList().forEach(n -> namesAfter.add(n.getName()));
    assertEquals(names, namesAfter);
    // Every group's Q and DQ nodes read one float scale: the table's.
    for (NodeProto q : after.getNodeList()) {
      if (!q.getOpType().equals("QuantizeLinear") || q.getInput(0).equals("w6")) {
        continue;
      }
      String t = q.getInput(0);
      float want = table.tensor(t).method("max").scale();
      assertArrayEquals(
          new float[] {want}, FloatTensors.toFloats(initializer(after, q.getInput(1))), t);
      for (NodeProto dq : after.getNodeList()) {
        if (dq.getOpType().equals("DequantizeLinear") && dq.getInput(0).equals(q.getOutput(0))) {
          assertEquals(q.getInput(1), dq.getInput(1), t);
          assertEquals(q.getInput(2), dq.getInput(2), t);
        }
      }
    }
    // x's scale was its group's alone: rewritten in place, at the same place in the list.
    assertEquals(indexOfInitializer(before, "x_scale"), indexOfInitializer(after, "x_scale"));
    // The shared scale became one per tensor; g1 keeps the shared name, mp gets a new one.
    assertEquals("mp_scale", nodeOf(after, "mp_QuantizeLinear").getInput(1));
    assertEquals(
        "g1_scale", nodeOf(after, "g1_QuantizeLinear").getInput(1), "g1's name, now g1's alone");
    assertEquals(
        "g2_scale",
        nodeOf(after, "g2_QuantizeLinear").getInput(1),
        "the Constant's name, an initializer now");
    assertTrue(after.getInitializerList().stream().anyMatch(t -> t.getName().equals("g2_scale")));
    // Weights untouched: the float w6 behind its own Q/DQ, the INT8 codes of the others.
    assertEquals(initializer(before, "w6"), initializer(after, "w6"));
    assertEquals(initializer(before, "w6_scale"), initializer(after, "w6_scale"));
    assertEquals(initializer(before, "w1_quantized"), initializer(after, "w1_quantized"));
    assertEquals(nodeOf(before, "w6_QuantizeLinear"), nodeOf(after, "w6_QuantizeLinear"));

    // ONNX Runtime runs it, and the patched scales bring it back to the float model.
    Map<String, FloatOutput> in =
        Map.of(
            "x", new FloatOutput(new long[] {1, 4, 8, 8}, GraphBuilder.values(5, 1, 4, 8, 8)),
            "y", new FloatOutput(new long[] {3, 4}, GraphBuilder.values(6, 1, 3, 4)));
    float[] reference =
        OrtRunner.run(SyntheticModel.build(13, 8).toByteArray(), in, OptLevel.ALL_OPT)
            .get("out")
            .values();
    float[] stale = OrtRunner.run(foreign.toByteArray(), in, OptLevel.ALL_OPT).get("out").values();
    float[] patched = OrtRunner.run(r.model().toBytes(), in, OptLevel.ALL_OPT).get("out").values();
    double staleDb = QdqOrtTest.sqnr(reference, stale);
    double patchedDb = QdqOrtTest.sqnr(reference, patched);
    assertTrue(
        patchedDb > 20 && patchedDb > staleDb + 10,
        "stale " + staleDb + " dB, patched " + patchedDb + " dB");
  }

  @Test
  void affinePatchSetsTheZeroPointAndAddsOneWhereNoneWas() {
    OnnxModel model =
        QdqWriter.quantize(
                QdqWriterTest.synthetic(13, 8),
                QdqWriterTest.scales(QdqScheme.AFFINE, "max"),
                QdqOptions.DEFAULTS)
            .model();
    // Drop x's zero point: UINT8 is QuantizeLinear's default type.
    GraphProto.Builder g = model.graph().toBuilder();
    for (String node : List.of("x_QuantizeLinear", "x_DequantizeLinear")) {
      NodeProto.Builder n = nodeBuilder(g, node);
      List<String> inputs = new ArrayList<>(n.getInputList().subList(0, 2));
      n.clearInput().addAllInput(inputs);
    }
    removeInitializer(g, "x_zero_point");
    OnnxModel noZeroPoint = OnnxModel.of(model.proto().toBuilder().setGraph(g).build(), "m.onnx");
    QdqResult r = QdqPatcher.patch(noZeroPoint, QdqWriterTest.scales(QdqScheme.AFFINE, "mse"));
    CalibrationTableDocument table = QdqWriterTest.table(QuantSpec.affine(8));
    NodeProto q = nodeOf(r.model().graph(), "x_QuantizeLinear");
    assertEquals(3, q.getInputCount());
    TensorProto zp = initializer(r.model().graph(), q.getInput(2));
    assertEquals(TensorProto.DataType.UINT8_VALUE, zp.getDataType());
    assertEquals(table.tensor("x").method("mse").zeroPoint(), zp.getRawData().byteAt(0) & 0xFF);
    assertEquals(q.getInput(2), nodeOf(r.model().graph(), "x_DequantizeLinear").getInput(2));
  }

  @Test
  void whatPatchCannotDoIsNamed() {
    QdqUsageException none =
        assertThrows(
            QdqUsageException.class,
            () ->
                QdqPatcher.patch(
                    QdqWriterTest.synthetic(13, 8),
                    QdqWriterTest.scales(QdqScheme.SYMMETRIC, null)));
    assertTrue(
        none.getMessage().contains("has no QuantizeLinear/DequantizeLinear node"),
        none.getMessage());

    QdqUsageException type =
        assertThrows(
            QdqUsageException.class,
            () -> QdqPatcher.patch(quantized("max"), QdqWriterTest.scales(QdqScheme.AFFINE, null)));
    assertTrue(
        type.getMessage().contains("'x_QuantizeLinear'")
            && type.getMessage().contains("INT8")
            && type.getMessage().contains("affine"),
        type.getMessage());

    GraphProto.Builder g = quantized("max").graph().toBuilder();
    nodeBuilder(g, "x_DequantizeLinear").setOpType("QLinearConv");
    InputFormatException qop =
        assertThrows(
            InputFormatException.class,
            () ->
                QdqPatcher.patch(
                    OnnxModel.of(
                        quantized("max").proto().toBuilder().setGraph(g).build(), "q.onnx"),
                    QdqWriterTest.scales(QdqScheme.SYMMETRIC, null)));
    assertTrue(
        qop.getMessage().contains("QLinearConv") && qop.getMessage().contains("QDQ format"),
        qop.getMessage());

    GraphProto.Builder pc = quantized("max").graph().toBuilder();
    int at = indexOfInitializer(pc.build(), "x_scale");
    pc.setInitializer(at, FloatTensors.fromFloats("x_scale", new long[] {2}, new float[] {1f, 2f}));
    InputFormatException perChannel =
        assertThrows(
            InputFormatException.class,
            () ->
                QdqPatcher.patch(
                    OnnxModel.of(
                        quantized("max").proto().toBuilder().setGraph(pc).build(), "pc.onnx"),
                    QdqWriterTest.scales(QdqScheme.SYMMETRIC, null)));
    assertTrue(perChannel.getMessage().contains("per channel (2 scales)"), perChannel.getMessage());
  }

  @Test
  void tensorsMissingFromTheTableOrDegenerateKeepTheirScales() {
    // Quantized with a table holding every tensor; patched with one without ap and fl all zero.
    byte[] full =
        SyntheticModel.table(QuantSpec.symmetric(8), QdqWriterTest.METHODS, Set.of(), Set.of());
    ActivationScales all =
        ActivationScales.from(
            CalibrationJson.read(new ByteArrayInputStream(full), "full.json"),
            null,
            QdqScheme.SYMMETRIC,
            "full.json");
    OnnxModel model = QdqWriter.quantize(QdqWriterTest.synthetic(13, 8), all, ALL).model();
    QdqResult r = QdqPatcher.patch(model, QdqWriterTest.scales(QdqScheme.SYMMETRIC, "mse"));
    assertEquals(List.of("ap"), r.notInTable());
    assertEquals(Map.of("fl", "all_zero"), r.degenerate());
    assertFalse(r.activations().contains("fl") || r.activations().contains("ap"));
    for (String kept : List.of("ap_scale", "fl_scale")) {
      assertEquals(initializer(model.graph(), kept), initializer(r.model().graph(), kept), kept);
    }
    assertNotEquals(
        initializer(model.graph(), "x_scale"), initializer(r.model().graph(), "x_scale"));
  }

  private static NodeProto.Builder nodeBuilder(GraphProto.Builder g, String name) {
    return g.getNodeBuilder(indexOf(g, name));
  }

  private static int indexOf(GraphProto.Builder g, String name) {
    for (int i = 0; i < g.getNodeCount(); i++) {
      if (g.getNode(i).getName().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no node " + name);
  }

  private static NodeProto nodeOf(GraphProto g, String name) {
    return g.getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst().orElseThrow();
  }

  private static TensorProto initializer(GraphProto.Builder g, String name) {
    return initializer(g.build(), name);
  }

  private static TensorProto initializer(GraphProto g, String name) {
    return g.getInitializerList().stream()
        .filter(t -> t.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static int indexOfInitializer(GraphProto g, String name) {
    for (int i = 0; i < g.getInitializerCount(); i++) {
      if (g.getInitializer(i).getName().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static void removeInitializer(GraphProto.Builder g, String name) {
    for (int i = 0; i < g.getInitializerCount(); i++) {
      if (g.getInitializer(i).getName().equals(name)) {
        g.removeInitializer(i);
        return;
      }
    }
    throw new AssertionError("no initializer " + name);
  }
}
