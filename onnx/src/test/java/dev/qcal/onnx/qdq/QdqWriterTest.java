package dev.qcal.onnx.qdq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.io.CalibrationTableDocument;
import dev.qcal.core.io.InputFormatException;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.ScaleRounding;
import dev.qcal.core.quant.Scheme;
import dev.qcal.onnx.FloatTensors;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.TensorProto.DataType;
import dev.qcal.onnx.testing.SyntheticModel;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The Q/DQ model's structure, scales, types, opsets and names, read back from the proto. */
class QdqWriterTest {
  static final List<String> METHODS = List.of("max", "mse");

  /** The synthetic table: every value but {@code ap}, with {@code fl} all zero (degenerate). */
  static CalibrationTableDocument table(QuantSpec quant) {
    byte[] json = SyntheticModel.table(quant, METHODS, Set.of("ap"), Set.of("fl"));
    return CalibrationJson.read(new ByteArrayInputStream(json), "calibration.json");
  }

  static ActivationScales scales(QdqScheme scheme, String method) {
    QuantSpec quant = new QuantSpec(8, scheme.tableScheme(), ScaleRounding.EXACT);
    return ActivationScales.from(table(quant), method, scheme, "calibration.json");
  }

  static OnnxModel synthetic(int opset, int ir) {
    return OnnxModel.of(SyntheticModel.build(opset, ir), "synthetic.onnx");
  }

  private static Map<String, TensorProto> initializers(OnnxModel m) {
    Map<String, TensorProto> byName = new TreeMap<>();
    m.graph().getInitializerList().forEach(t -> byName.put(t.getName(), t));
    return byName;
  }

  private static NodeProto node(OnnxModel m, String name) {
    return m.graph().getNodeList().stream()
        .filter(n -> n.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> ops(OnnxModel m) {
    List<String> ops = new ArrayList<>();
    m.graph().getNodeList().forEach(n -> ops.add(n.getOpType() + ":" + n.getName()));
    return ops;
  }

  @Test
  void defaultPlacementSymmetricPerChannel() {
    OnnxModel model = synthetic(13, 8);
    ActivationScales scales = scales(QdqScheme.SYMMETRIC, null);
    QdqResult r = QdqWriter.quantize(model, scales, QdqOptions.DEFAULTS);
    OnnxModel q = r.model();
    assertEquals(List.of("x", "r1", "mp", "g1", "g2", "mm", "y"), r.activations());
    assertEquals(SyntheticModel.WEIGHTS, r.weights());
    assertEquals(List.of(), r.notInTable(), "ap is not read by a default op");
    assertEquals(Map.of("fl", "all_zero"), r.degenerate());
    assertEquals(13, r.opsetBefore());
    assertEquals(13, r.opsetAfter());
    assertEquals(8, q.irVersion());

    // One Q and one DQ per activation, one DQ per weight, each just before its first reader.
    assertEquals(
        List.of(
            "QuantizeLinear:x_QuantizeLinear",
            "DequantizeLinear:x_DequantizeLinear",
            "DequantizeLinear:w1_DequantizeLinear",
            "Conv:conv1",
            "Relu:relu1",
            "Constant:b2_constant",
            "QuantizeLinear:r1_QuantizeLinear",
            "DequantizeLinear:r1_DequantizeLinear",
            "DequantizeLinear:w2_DequantizeLinear",
            "Conv:conv2",
            "Add:add1",
            "Sigmoid:sigmoid1",
            "Mul:mul1",
            "MaxPool:maxpool1",
            "QuantizeLinear:mp_QuantizeLinear",
            "DequantizeLinear:mp_DequantizeLinear",
            "DequantizeLinear:w3_DequantizeLinear",
            "ConvTranspose:convt1",
            "Concat:concat1",
            "AveragePool:avgpool1",
            "GlobalAveragePool:gap1",
            "Flatten:flatten1",
            "DequantizeLinear:w4_DequantizeLinear",
            "Gemm:gemm1",
            "QuantizeLinear:g1_QuantizeLinear",
            "DequantizeLinear:g1_DequantizeLinear",
            "DequantizeLinear:w5_DequantizeLinear",
            "Gemm:gemm2",
            "QuantizeLinear:g2_QuantizeLinear",
            "DequantizeLinear:g2_DequantizeLinear",
            "DequantizeLinear:w6_DequantizeLinear",
            "MatMul:matmul1",
            "QuantizeLinear:mm_QuantizeLinear",
            "DequantizeLinear:mm_DequantizeLinear",
            "QuantizeLinear:y_QuantizeLinear",
            "DequantizeLinear:y_DequantizeLinear",
            "MatMul:matmul2"),
        ops(q),
        "the float weights' Constant nodes (w2, w5) are gone; b2's stays");
    assertEquals(List.of("x_dequantized", "w1_dequantized", "b1"), node(q, "conv1").getInputList());
    assertEquals(
        List.of("r1_dequantized", "w2_dequantized", "b2"), node(q, "conv2").getInputList());
    assertEquals(
        List.of("c2", "r1"),
        node(q, "add1").getInputList(),
        "unquantized readers keep the float tensor");
    assertEquals(
        List.of("fl", "w4_dequantized", "c4"),
        node(q, "gemm1").getInputList(),
        "degenerate fl stays float");
    assertEquals(List.of("mm_dequantized", "y_dequantized"), node(q, "matmul2").getInputList());
    assertEquals(
        List.of("x", "r1_scale", "r1_zero_point"),
        List.of(
            "x",
            node(q, "r1_QuantizeLinear").getInput(1),
            node(q, "r1_QuantizeLinear").getInput(2)));
    assertEquals(
        model.proto().getGraph().getInputList(),
        q.graph().getInputList(),
        "graph inputs as they were");
    assertEquals(
        model.proto().getGraph().getOutputList(),
        q.graph().getOutputList(),
        "graph outputs as they were");
    assertEquals(
        "r1", node(q, "relu1").getOutput(0), "the output r1 is still produced under its name");

    Map<String, TensorProto> init = initializers(q);
    for (String w : SyntheticModel.WEIGHTS) {
      assertFalse(init.containsKey(w), w + ": the float weight is dropped");
    }
    assertTrue(init.containsKey("b1") && init.containsKey("c4"), "biases stay float");
    // Activation scales: the table's, as scalars; zero points INT8 0.
    CalibrationTableDocument doc = table(QuantSpec.symmetric(8));
    for (String t : r.activations()) {
      TensorProto scale = init.get(t + "_scale");
      assertEquals(0, scale.getDimsCount(), t);
      assertArrayEquals(
          new float[] {doc.tensor(t).method("max").scale()}, FloatTensors.toFloats(scale), t);
      TensorProto zp = init.get(t + "_zero_point");
      assertEquals(DataType.INT8_VALUE, zp.getDataType());
      assertArrayEquals(new byte[] {0}, zp.getRawData().toByteArray());
    }
    // Weights: INT8 codes with the weight's shape, one scale per output channel, computed by hand.
    Map<String, Integer> axes = Map.of("w1", 0, "w2", 0, "w3", 1, "w4", 1, "w5", 0, "w6", 1);
    for (String w : SyntheticModel.WEIGHTS) {
      TensorProto original = model.constant(w).orElseThrow();
      int axis = axes.get(w);
      float[] expected = handScales(model.floatConstant(w), original.getDimsList(), axis, 127f);
      TensorProto codes = init.get(w + "_quantized");
      assertEquals(DataType.INT8_VALUE, codes.getDataType(), w);
      assertEquals(original.getDimsList(), codes.getDimsList(), w);
      assertArrayEquals(expected, FloatTensors.toFloats(init.get(w + "_scale")), w);
      assertEquals(List.of((long) expected.length), init.get(w + "_scale").getDimsList(), w);
      TensorProto zp = init.get(w + "_zero_point");
      assertEquals(DataType.INT8_VALUE, zp.getDataType());
      assertArrayEquals(new byte[expected.length], zp.getRawData().toByteArray(), w);
      NodeProto dq = node(q, w + "_DequantizeLinear");
      assertEquals(List.of(w + "_quantized", w + "_scale", w + "_zero_point"), dq.getInputList());
      assertEquals(
          List.of(
              AttributeProto.newBuilder()
                  .setName("axis")
                  .setType(AttributeProto.AttributeType.INT)
                  .setI(axis)
                  .build()),
          dq.getAttributeList(),
          w);
    }
    assertEquals(
        1f, FloatTensors.toFloats(init.get("w1_scale"))[3], "w1's all-zero channel 3 gets scale 1");
  }

  /** Per-channel max |w| / bound, in float32, computed independently of the code under test. */
  static float[] handScales(float[] w, List<Long> dims, int axis, float bound) {
    int channels = dims.get(axis).intValue();
    int inner = 1;
    for (int d = axis + 1; d < dims.size(); d++) {
      inner *= dims.get(d).intValue();
    }
    float[] amax = new float[channels];
    for (int i = 0; i < w.length; i++) {
      int c = (i / inner) % channels;
      amax[c] = Math.max(amax[c], Math.abs(w[i]));
    }
    float[] scales = new float[channels];
    for (int c = 0; c < channels; c++) {
      scales[c] = amax[c] == 0 ? 1f : amax[c] / bound;
    }
    return scales;
  }

  @Test
  void everyOpWithMissingAndDegenerateTensorsListed() {
    QdqResult r =
        QdqWriter.quantize(
            synthetic(13, 8),
            scales(QdqScheme.SYMMETRIC, "mse"),
            QdqOptions.of(QdqOptions.SUPPORTED_OPS, WeightGranularity.PER_CHANNEL));
    List<String> expected = new ArrayList<>(SyntheticModel.ALL_ACTIVATIONS);
    expected.removeAll(List.of("ap", "fl"));
    assertEquals(expected, r.activations());
    assertEquals(List.of("ap"), r.notInTable());
    assertEquals(Map.of("fl", "all_zero"), r.degenerate());
    long qs =
        r.model().graph().getNodeList().stream()
            .filter(n -> n.getOpType().equals("QuantizeLinear"))
            .count();
    assertEquals(expected.size(), qs, "one pair per tensor, however many quantized inputs read it");
    assertEquals(
        List.of("c2_dequantized", "r1_dequantized"), node(r.model(), "add1").getInputList());
    assertEquals(
        List.of("r1_dequantized", "w2_dequantized", "b2"), node(r.model(), "conv2").getInputList());
    assertEquals(
        List.of("ct_dequantized", "x_dequantized"), node(r.model(), "concat1").getInputList());
    assertEquals(List.of("a1"), node(r.model(), "sigmoid1").getInputList());
    CalibrationTableDocument doc = table(QuantSpec.symmetric(8));
    assertArrayEquals(
        new float[] {doc.tensor("r1").method("mse").scale()},
        FloatTensors.toFloats(initializers(r.model()).get("r1_scale")),
        "--method mse");
  }

  @Test
  void aNodeKeptFloatReadsTheFloatTensorsAndKeepsItsFloatWeight() {
    QdqResult r =
        QdqWriter.quantize(
            synthetic(13, 8),
            scales(QdqScheme.SYMMETRIC, null),
            QdqOptions.of(QdqOptions.SUPPORTED_OPS, WeightGranularity.PER_CHANNEL)
                .keepingFloat(List.of("conv2")));
    assertEquals(List.of("r1", "w2", "b2"), node(r.model(), "conv2").getInputList());
    assertEquals(
        List.of("c2_dequantized", "r1_dequantized"),
        node(r.model(), "add1").getInputList(),
        "r1 keeps its Q/DQ for add1");
    assertTrue(r.model().constant("w2").isPresent(), "the float weight conv2 reads stays");
    assertTrue(!r.weights().contains("w2"), r.weights().toString());
  }

  @Test
  void affineWritesUint8WithTheTablesZeroPointAndInt8Weights() {
    QdqResult r =
        QdqWriter.quantize(synthetic(13, 8), scales(QdqScheme.AFFINE, null), QdqOptions.DEFAULTS);
    CalibrationTableDocument doc = table(QuantSpec.affine(8));
    Map<String, TensorProto> init = initializers(r.model());
    boolean someNonZero = false;
    for (String t : r.activations()) {
      TensorProto zp = init.get(t + "_zero_point");
      assertEquals(DataType.UINT8_VALUE, zp.getDataType(), t);
      int expected = doc.tensor(t).method("max").zeroPoint();
      assertEquals(expected, zp.getRawData().byteAt(0) & 0xFF, t);
      someNonZero |= expected != 0 && expected != 128;
      assertArrayEquals(
          new float[] {doc.tensor(t).method("max").scale()},
          FloatTensors.toFloats(init.get(t + "_scale")));
    }
    assertTrue(someNonZero, "the table's zero points are not all 0 or 128");
    assertEquals(DataType.INT8_VALUE, init.get("w1_quantized").getDataType());
    assertEquals(DataType.INT8_VALUE, init.get("w1_zero_point").getDataType());
  }

  @Test
  void fp8WritesFloat8AndRaisesTheIrVersion() {
    QdqResult r =
        QdqWriter.quantize(synthetic(19, 8), scales(QdqScheme.FP8_E4M3, null), QdqOptions.DEFAULTS);
    assertEquals(9, r.model().irVersion(), "FLOAT8 types need IR 9");
    assertEquals(19, r.opsetAfter());
    Map<String, TensorProto> init = initializers(r.model());
    CalibrationTableDocument doc = table(new QuantSpec(8, Scheme.FP8_E4M3, ScaleRounding.EXACT));
    for (String t : r.activations()) {
      assertEquals(DataType.FLOAT8E4M3FN_VALUE, init.get(t + "_zero_point").getDataType());
      assertArrayEquals(
          new float[] {(float) doc.tensor(t).method("max").amax() / 448f},
          FloatTensors.toFloats(init.get(t + "_scale")),
          t);
    }
    OnnxModel model = synthetic(19, 8);
    for (String w : SyntheticModel.WEIGHTS) {
      assertEquals(DataType.FLOAT8E4M3FN_VALUE, init.get(w + "_quantized").getDataType());
      TensorProto original = model.constant(w).orElseThrow();
      int axis = Map.of("w1", 0, "w2", 0, "w3", 1, "w4", 1, "w5", 0, "w6", 1).get(w);
      assertArrayEquals(
          handScales(model.floatConstant(w), original.getDimsList(), axis, 448f),
          FloatTensors.toFloats(init.get(w + "_scale")),
          w);
    }
  }

  @Test
  void sameModelAndTableSameBytes() {
    ActivationScales scales = scales(QdqScheme.SYMMETRIC, null);
    QdqOptions all = QdqOptions.of(QdqOptions.SUPPORTED_OPS, WeightGranularity.PER_CHANNEL);
    byte[] first = QdqWriter.quantize(synthetic(13, 8), scales, all).model().toBytes();
    OnnxModel reread = OnnxModel.parse(synthetic(13, 8).toBytes(), "again.onnx");
    byte[] second =
        QdqWriter.quantize(reread, scales(QdqScheme.SYMMETRIC, null), all).model().toBytes();
    assertArrayEquals(first, second);
  }

  @Test
  void namesTakenInTheModelGetASuffix() {
    ModelProto m = SyntheticModel.build(13, 8);
    // A value already named like the Q output of x.
    ModelProto taken =
        m.toBuilder()
            .setGraph(
                m.getGraph().toBuilder()
                    .addNode(
                        NodeProto.newBuilder()
                            .setOpType("Identity")
                            .setName("x_QuantizeLinear")
                            .addInput("out")
                            .addOutput("x_quantized")))
            .build();
    QdqResult r =
        QdqWriter.quantize(
            OnnxModel.of(taken, "t.onnx"), scales(QdqScheme.SYMMETRIC, null), QdqOptions.DEFAULTS);
    NodeProto q = r.model().graph().getNode(0);
    assertEquals("x_QuantizeLinear_1", q.getName());
    assertEquals(List.of("x_quantized_1"), q.getOutputList());
  }

  @Test
  void perTensorWeightsNeedOnlyOpsetTen() {
    QdqResult r =
        QdqWriter.quantize(
            synthetic(11, 6),
            scales(QdqScheme.SYMMETRIC, null),
            QdqOptions.of(QdqOptions.DEFAULT_OPS, WeightGranularity.PER_TENSOR));
    assertEquals(11, r.opsetAfter());
    for (NodeProto n : r.model().graph().getNodeList()) {
      if (n.getOpType().equals("QuantizeLinear") || n.getOpType().equals("DequantizeLinear")) {
        assertEquals(0, n.getAttributeCount(), n.getName() + ": no axis below opset 13");
      }
    }
    assertEquals(0, initializers(r.model()).get("w1_scale").getDimsCount(), "one scalar scale");
  }

  /**
   * A model below the opset its Q/DQ needs is converted (per-channel weights 13, FP8 19 with IR 9),
   * not renumbered: the opset converter's own tests check that the float model computes the same.
   */
  @Test
  void belowTheNeededOpsetTheModelIsConverted() {
    QdqResult r =
        QdqWriter.quantize(
            synthetic(11, 6), scales(QdqScheme.SYMMETRIC, null), QdqOptions.DEFAULTS);
    assertEquals(13, r.opsetAfter());
    assertEquals(13, r.model().defaultOpset());
    QdqResult fp8 =
        QdqWriter.quantize(synthetic(13, 8), scales(QdqScheme.FP8_E4M3, null), QdqOptions.DEFAULTS);
    assertEquals(19, fp8.opsetAfter());
    assertTrue(fp8.model().irVersion() >= 9, "FP8 needs IR 9, not " + fp8.model().irVersion());
  }

  @Test
  void anOpsetNewerThanQcalKnowsIsNamed() {
    InputFormatException e =
        assertThrows(
            InputFormatException.class,
            () ->
                QdqWriter.quantize(
                    synthetic(26, 11), scales(QdqScheme.SYMMETRIC, null), QdqOptions.DEFAULTS));
    assertTrue(
        e.getMessage().contains("opset 26") && e.getMessage().contains("up to 25"), e.getMessage());
  }

  @Test
  void aModelWithQdqNodesNeedsPatch() {
    OnnxModel quantized =
        QdqWriter.quantize(synthetic(13, 8), scales(QdqScheme.SYMMETRIC, null), QdqOptions.DEFAULTS)
            .model();
    QdqUsageException e =
        assertThrows(
            QdqUsageException.class,
            () ->
                QdqWriter.quantize(
                    quantized, scales(QdqScheme.SYMMETRIC, null), QdqOptions.DEFAULTS));
    assertTrue(e.getMessage().contains("--patch"), e.getMessage());
  }

  @Test
  void aTableOfAnotherSchemeOrWithoutTheMethodIsAUsageError() {
    CalibrationTableDocument symmetric = table(QuantSpec.symmetric(8));
    QdqUsageException e =
        assertThrows(
            QdqUsageException.class,
            () -> ActivationScales.from(symmetric, null, QdqScheme.AFFINE, "t.json"));
    assertTrue(
        e.getMessage().contains("t.json was calibrated with --scheme symmetric --bits 8")
            && e.getMessage().contains("--scheme affine"),
        e.getMessage());
    CalibrationTableDocument fourBits = table(QuantSpec.symmetric(4));
    e =
        assertThrows(
            QdqUsageException.class,
            () -> ActivationScales.from(fourBits, null, QdqScheme.SYMMETRIC, "t.json"));
    assertTrue(
        e.getMessage().contains("t.json was calibrated with --scheme symmetric --bits 4")
            && e.getMessage().contains("--bits 8"),
        e.getMessage());
    e =
        assertThrows(
            QdqUsageException.class,
            () -> ActivationScales.from(symmetric, "entropy", QdqScheme.SYMMETRIC, "t.json"));
    assertTrue(
        e.getMessage().contains("no method 'entropy'") && e.getMessage().contains("max, mse"),
        e.getMessage());
    assertEquals(
        "max",
        ActivationScales.from(symmetric, null, QdqScheme.SYMMETRIC, "t.json").method(),
        "the primary");
    e =
        assertThrows(
            QdqUsageException.class,
            () -> QdqOptions.of(List.of("Conv", "Relu"), WeightGranularity.PER_CHANNEL));
    assertTrue(
        e.getMessage().contains("'Relu'") && e.getMessage().contains("MaxPool"), e.getMessage());
  }
}
