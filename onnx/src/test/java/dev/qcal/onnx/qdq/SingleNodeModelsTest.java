package dev.qcal.onnx.qdq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.testing.SyntheticModel;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one-node models of a sensitivity analysis on {@link SyntheticModel}: which nodes are
 * measured, and that each model is, byte for byte, what {@code qdq --keep-float} writes with every
 * other node kept float.
 */
class SingleNodeModelsTest {
  private static final List<String> QUANTIZED =
      List.of("conv1", "conv2", "convt1", "gemm1", "gemm2", "matmul1", "matmul2");

  private static ActivationScales scales(Set<String> leftOut) {
    byte[] table = SyntheticModel.table(QuantSpec.symmetric(8), List.of("max"), leftOut, Set.of());
    return ActivationScales.from(
        CalibrationJson.read(new ByteArrayInputStream(table), "t.json"),
        "max",
        QdqScheme.SYMMETRIC,
        "t.json");
  }

  private static OnnxModel model(ModelProto proto) {
    return OnnxModel.of(proto, "synthetic.onnx");
  }

  @Test
  void eachModelIsQdqWithEveryOtherNodeKeptFloat() {
    OnnxModel model = model(SyntheticModel.build(13, 8));
    ActivationScales scales = scales(Set.of());
    SingleNodeModels models = SingleNodeModels.of(model, scales, QdqOptions.DEFAULTS);
    assertEquals(QUANTIZED, models.nodes());
    assertEquals("ConvTranspose", models.op("convt1"));
    assertEquals(0, models.unnamed());
    for (String node : QUANTIZED) {
      List<String> others = new ArrayList<>(QUANTIZED);
      others.remove(node);
      OnnxModel alone = models.quantizing(node);
      assertArrayEquals(
          QdqWriter.quantize(model, scales, QdqOptions.DEFAULTS.keepingFloat(others))
              .model()
              .toBytes(),
          alone.toBytes(),
          node);
      // Every dequantized value is read by that node alone.
      for (NodeProto n : alone.graph().getNodeList()) {
        if (n.getOpType().equals("DequantizeLinear")) {
          for (NodeProto reader : alone.graph().getNodeList()) {
            if (reader.getInputList().contains(n.getOutput(0))) {
              assertEquals(node, reader.getName(), n.getOutput(0));
            }
          }
        }
      }
    }
    assertArrayEquals(
        QdqWriter.quantize(model, scales, QdqOptions.DEFAULTS).model().toBytes(),
        models.quantizingAll().toBytes());
  }

  @Test
  void aNodeWithNothingToQuantizeOrNoNameIsNotMeasured() {
    // matmul2 reads two activations the table lacks, and has no weight.
    SingleNodeModels models =
        SingleNodeModels.of(
            model(SyntheticModel.build(13, 8)), scales(Set.of("mm", "y")), QdqOptions.DEFAULTS);
    assertEquals(QUANTIZED.subList(0, 6), models.nodes());

    ModelProto proto = SyntheticModel.build(13, 8);
    GraphProto.Builder graph = proto.getGraph().toBuilder();
    graph.setNode(0, graph.getNode(0).toBuilder().setName(""));
    SingleNodeModels unnamed =
        SingleNodeModels.of(
            model(proto.toBuilder().setGraph(graph).build()),
            scales(Set.of()),
            QdqOptions.DEFAULTS);
    assertEquals(QUANTIZED.subList(1, 7), unnamed.nodes());
    assertEquals(1, unnamed.unnamed());
    assertThrows(IllegalArgumentException.class, () -> unnamed.quantizing("conv1"));
  }

  @Test
  void theModelIsRaisedToTheQdqOpsetOnceAndAQdqModelIsRefused() {
    SingleNodeModels models =
        SingleNodeModels.of(
            model(SyntheticModel.build(11, 8)), scales(Set.of()), QdqOptions.DEFAULTS);
    assertEquals(13, models.floatModel().defaultOpset());
    assertEquals(13, models.quantizing("gemm1").defaultOpset());

    OnnxModel quantized =
        QdqWriter.quantize(
                model(SyntheticModel.build(13, 8)), scales(Set.of()), QdqOptions.DEFAULTS)
            .model();
    QdqUsageException e =
        assertThrows(
            QdqUsageException.class,
            () -> SingleNodeModels.of(quantized, scales(Set.of()), QdqOptions.DEFAULTS));
    assertTrue(e.getMessage().contains("measure the float model"), e.getMessage());
  }
}
