package dev.qcal.onnx.qdq;

import static dev.qcal.onnx.testing.GraphBuilder.attr;
import static dev.qcal.onnx.testing.GraphBuilder.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.FloatTensors;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.qdq.QdqPlacement.Role;
import dev.qcal.onnx.qdq.QdqPlacement.Site;
import dev.qcal.onnx.qdq.QdqPlacement.Use;
import dev.qcal.onnx.testing.GraphBuilder;
import dev.qcal.onnx.testing.SyntheticModel;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which tensors get Q/DQ, with which role and axis, read by which inputs. */
class QdqPlacementTest {
  private static final OnnxModel MODEL =
      OnnxModel.of(SyntheticModel.build(13, 8), "synthetic.onnx");

  private static Map<String, Site> byTensor(List<Site> sites) {
    return sites.stream().collect(Collectors.toMap(s -> s.tensor() + "/" + s.role(), s -> s));
  }

  @Test
  void defaultOpsQuantizeTheInputsOfTheWeightedOps() {
    List<Site> sites = QdqPlacement.of(MODEL, QdqOptions.DEFAULTS);
    assertEquals(
        List.of("x", "w1", "r1", "w2", "mp", "w3", "fl", "w4", "g1", "w5", "g2", "w6", "mm", "y"),
        sites.stream().map(Site::tensor).collect(Collectors.toList()),
        "graph order of first use; biases never");
    Map<String, Site> s = byTensor(sites);
    assertEquals(0, s.get("w1/WEIGHT").axis(), "Conv [M, C, k, k]: output channels on axis 0");
    assertEquals(0, s.get("w2/WEIGHT").axis(), "grouped Conv [M, C/g, k, k]: still axis 0");
    assertEquals(1, s.get("w3/WEIGHT").axis(), "ConvTranspose [C, M, k, k]: axis 1");
    assertEquals(1, s.get("w4/WEIGHT").axis(), "Gemm B [K, N] without transB: axis 1");
    assertEquals(0, s.get("w5/WEIGHT").axis(), "Gemm B [N, K] with transB: axis 0");
    assertEquals(1, s.get("w6/WEIGHT").axis(), "MatMul 2-D B [K, N]: the last axis");
    assertEquals(
        Role.ACTIVATION, s.get("y/ACTIVATION").role(), "a non-constant MatMul B is an activation");
    for (Site site : sites) {
      if (site.role() == Role.ACTIVATION) {
        assertEquals(-1, site.axis(), site.tensor());
      }
    }
    assertEquals(
        List.of(new Use(0, 0)),
        s.get("x/ACTIVATION").uses(),
        "x: Conv's input only (Concat not selected)");
    // Nodes: ..., 17 matmul1, 18 matmul2.
    assertEquals(List.of(new Use(18, 1)), s.get("y/ACTIVATION").uses());
  }

  @Test
  void activationsAreTheActivationSitesWithoutTheWeights() {
    assertEquals(
        SyntheticModel.DEFAULT_ACTIVATIONS,
        QdqPlacement.activations(MODEL, QdqOptions.DEFAULTS),
        "what capture captures by default: the tensors whose table scales qdq reads");
    assertEquals(
        List.of("g2", "mm", "y"),
        QdqPlacement.activations(
            MODEL, QdqOptions.of(List.of("MatMul"), WeightGranularity.PER_CHANNEL)));
  }

  @Test
  void aTensorReadByManyQuantizedInputsIsOneSite() {
    List<Site> sites =
        QdqPlacement.of(
            MODEL, QdqOptions.of(QdqOptions.SUPPORTED_OPS, WeightGranularity.PER_CHANNEL));
    assertEquals(
        SyntheticModel.ALL_ACTIVATIONS,
        sites.stream()
            .filter(s -> s.role() == Role.ACTIVATION)
            .map(Site::tensor)
            .collect(Collectors.toList()));
    Map<String, Site> s = byTensor(sites);
    // r1: conv2's input 0 and add1's input 1; x: conv1's input 0 and concat1's input 1.
    assertEquals(List.of(new Use(4, 0), new Use(5, 1)), s.get("r1/ACTIVATION").uses());
    assertEquals(List.of(new Use(0, 0), new Use(10, 1)), s.get("x/ACTIVATION").uses());
    // Nodes: 0 conv1, 1 relu1, 2-3 Constants, 4 conv2, 5 add1, 6 sigmoid1, 7 mul1, ..., 10 concat1.
    assertEquals(
        List.of(new Use(7, 0)),
        s.get("a1/ACTIVATION").uses(),
        "a1's Sigmoid reader is not quantized");
  }

  @Test
  void perTensorWeightsAndTheAxesThatFallBackToPerTensor() {
    for (Site site :
        QdqPlacement.of(
            MODEL, QdqOptions.of(QdqOptions.DEFAULT_OPS, WeightGranularity.PER_TENSOR))) {
      assertEquals(-1, site.axis(), site.tensor());
    }
    TensorProto w3 = FloatTensors.fromFloats("w", new long[] {8, 2, 2, 2}, values(1, 8, 2, 2, 2));
    NodeProto grouped =
        NodeProto.newBuilder().setOpType("ConvTranspose").addAttribute(attr("group", 2)).build();
    assertEquals(
        -1,
        QdqPlacement.weightAxis(grouped, w3, WeightGranularity.PER_CHANNEL),
        "grouped ConvTranspose: axis 1 is not the output channels");
    TensorProto batched = FloatTensors.fromFloats("w", new long[] {2, 3, 4}, values(1, 2, 3, 4));
    NodeProto matmul = NodeProto.newBuilder().setOpType("MatMul").build();
    assertEquals(
        -1,
        QdqPlacement.weightAxis(matmul, batched, WeightGranularity.PER_CHANNEL),
        "3-D MatMul B");
  }

  @Test
  void constantsOutsideTheWeightInputAndNonFloatInputsStayFloat() {
    OnnxModel model =
        OnnxModel.of(
            new GraphBuilder("g")
                .input("x", 1, 4)
                .constant("three", new long[0], new float[] {3f})
                .node("Add", "add", List.of("x", "three"), List.of("a"))
                .node("Shape", "shape", List.of("a"), List.of("s"))
                .node(
                    "Cast",
                    "cast",
                    List.of("s"),
                    List.of("f"),
                    attr("to", TensorProto.DataType.FLOAT_VALUE))
                .node(
                    "Cast",
                    "cast64",
                    List.of("f"),
                    List.of("i"),
                    attr("to", TensorProto.DataType.INT64_VALUE))
                .node("Concat", "concat", List.of("s", "i", "f"), List.of("c"), attr("axis", 0))
                .output("c")
                .model(13, 8),
            "g.onnx");
    List<Site> sites =
        QdqPlacement.of(
            model, QdqOptions.of(List.of("Add", "Concat"), WeightGranularity.PER_CHANNEL));
    assertEquals(
        List.of("x", "f"),
        sites.stream().map(Site::tensor).collect(Collectors.toList()),
        "the Add's constant, Shape's and an INT64 Cast's outputs are left alone; a float Cast's is"
            + " quantized");
  }

  @Test
  void aHalfPrecisionInputIsRefusedNamed() {
    TensorProto half =
        TensorProto.newBuilder()
            .setName("w")
            .setDataType(TensorProto.DataType.FLOAT16_VALUE)
            .addDims(2)
            .addDims(2)
            .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[8]))
            .build();
    OnnxModel model =
        OnnxModel.of(
            new GraphBuilder("g")
                .input("x", 1, 2)
                .initializer(half)
                .node("MatMul", "mm", List.of("x", "w"), List.of("y"))
                .output("y")
                .model(13, 8),
            "half.onnx");
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> QdqPlacement.of(model, QdqOptions.DEFAULTS));
    assertTrue(
        e.getMessage().contains("half.onnx")
            && e.getMessage().contains("'w'")
            && e.getMessage().contains("FLOAT16"),
        e.getMessage());
  }

  @Test
  void aNodeKeptFloatReadsFloatWhileOtherReadersOfItsInputsAreQuantized() {
    QdqOptions all = QdqOptions.of(QdqOptions.SUPPORTED_OPS, WeightGranularity.PER_CHANNEL);
    Map<String, Site> before = byTensor(QdqPlacement.of(MODEL, all));
    Map<String, Site> kept =
        byTensor(QdqPlacement.of(MODEL, all.keepingFloat(List.of("conv2", "matmul2"))));
    assertTrue(before.containsKey("w2/WEIGHT") && before.containsKey("y/ACTIVATION"));
    assertTrue(!kept.containsKey("w2/WEIGHT"), "conv2's weight stays float: " + kept.keySet());
    int conv2 = before.get("w2/WEIGHT").firstNode();
    assertEquals(
        before.get("r1/ACTIVATION").uses().stream().filter(u -> u.node() != conv2).toList(),
        kept.get("r1/ACTIVATION").uses(),
        "r1 keeps its Q/DQ for add1, not for conv2");
    Set<String> gone = new HashSet<>(before.keySet());
    gone.removeAll(kept.keySet());
    assertEquals(
        Set.of("w2/WEIGHT", "mm/ACTIVATION", "y/ACTIVATION"),
        gone,
        "conv2's weight, and matmul2's inputs, which no other quantized input reads");
  }

  @Test
  void aNodeToKeepFloatThatTheModelLacksIsNamed() {
    QdqUsageException e =
        assertThrows(
            QdqUsageException.class,
            () ->
                QdqPlacement.checkKeepFloat(
                    MODEL, QdqOptions.DEFAULTS.keepingFloat(List.of("conv2", "r1"))));
    assertTrue(
        e.getMessage().contains("synthetic.onnx")
            && e.getMessage().contains("'r1'")
            && e.getMessage().contains("node names"),
        e.getMessage());
  }
}
