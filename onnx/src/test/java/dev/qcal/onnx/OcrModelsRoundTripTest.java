package dev.qcal.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.TensorShapeProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import dev.qcal.onnx.testing.OcrModels;
import dev.qcal.onnx.testing.OrtRunner;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real PaddleOCR models ({@code .ci/fetch-models}), read, checked as found, written back byte
 * for byte, and run by ONNX Runtime before and after the round trip. The operator counts pinned
 * here are what an opset conversion of these models has to handle.
 */
class OcrModelsRoundTripTest {
  @TempDir Path temp;

  @Test
  void detector() throws Exception {
    OcrModels models = OcrModels.require();
    OnnxModel model = OnnxModel.read(models.detector());
    assertFound(model, 11, "x", "?x3x?x?", "sigmoid_0.tmp_0", "?x1x?x?");
    assertEquals(
        Map.ofEntries(
            Map.entry("Add", 89),
            Map.entry("BatchNormalization", 3),
            Map.entry("Clip", 24),
            Map.entry("Concat", 1),
            Map.entry("Constant", 342),
            Map.entry("Conv", 62),
            Map.entry("ConvTranspose", 2),
            Map.entry("Div", 24),
            Map.entry("GlobalAveragePool", 10),
            Map.entry("HardSigmoid", 10),
            Map.entry("Mul", 86),
            Map.entry("Relu", 12),
            Map.entry("Resize", 6),
            Map.entry("Sigmoid", 1)),
        opCounts(model));
    Map<String, FloatOutput> out =
        assertRoundTripRunsTheSame(models.detector(), new long[] {1, 3, 64, 96});
    FloatOutput map = out.get("sigmoid_0.tmp_0");
    assertArrayEquals(new long[] {1, 1, 64, 96}, map.shape(), "a probability per pixel");
    for (float p : map.values()) {
      assertTrue(p >= 0 && p <= 1, "sigmoid output " + p);
    }
  }

  @Test
  void recognizer() throws Exception {
    OcrModels models = OcrModels.require();
    OnnxModel model = OnnxModel.read(models.recognizer());
    assertFound(model, 9, "x", "?x3x48x?", "softmax_11.tmp_0", "?x?x6625");
    // CTC classes: the blank, one per dictionary line, and the space.
    String dictionary = Files.readString(models.dictionary(), StandardCharsets.UTF_8);
    assertEquals(6625, 1 + dictionary.split("\n", -1).length + 1, "classes from ppocr_keys_v1.txt");
    assertEquals(
        Map.ofEntries(
            Map.entry("Add", 107),
            Map.entry("AveragePool", 1),
            Map.entry("BatchNormalization", 6),
            Map.entry("Cast", 23),
            Map.entry("Clip", 28),
            Map.entry("Concat", 7),
            Map.entry("Constant", 325),
            Map.entry("Conv", 38),
            Map.entry("Div", 33),
            Map.entry("GlobalAveragePool", 2),
            Map.entry("HardSigmoid", 2),
            Map.entry("MatMul", 13),
            Map.entry("Mul", 107),
            Map.entry("Pow", 5),
            Map.entry("ReduceMean", 10),
            Map.entry("Relu", 2),
            Map.entry("Reshape", 6),
            Map.entry("Shape", 4),
            Map.entry("Sigmoid", 7),
            Map.entry("Slice", 10),
            Map.entry("Softmax", 3),
            Map.entry("Sqrt", 5),
            Map.entry("Squeeze", 7),
            Map.entry("Sub", 5),
            Map.entry("Transpose", 9)),
        opCounts(model));
    Map<String, FloatOutput> out =
        assertRoundTripRunsTheSame(models.recognizer(), new long[] {1, 3, 48, 320});
    FloatOutput probs = out.get("softmax_11.tmp_0");
    assertArrayEquals(
        new long[] {1, 40, 6625}, probs.shape(), "one time step per 8 pixels of width");
    assertRowsSumToOne(probs.values(), 6625);
  }

  @Test
  void classifier() throws Exception {
    OcrModels models = OcrModels.require();
    OnnxModel model = OnnxModel.read(models.classifier());
    assertFound(model, 9, "x", "?x3x?x?", "softmax_0.tmp_0", "?x2");
    assertEquals(
        Map.ofEntries(
            Map.entry("Add", 26),
            Map.entry("BatchNormalization", 35),
            Map.entry("Cast", 3),
            Map.entry("Clip", 18),
            Map.entry("Concat", 1),
            Map.entry("Constant", 250),
            Map.entry("Conv", 53),
            Map.entry("Div", 18),
            Map.entry("GlobalAveragePool", 10),
            Map.entry("HardSigmoid", 9),
            Map.entry("MatMul", 1),
            Map.entry("MaxPool", 1),
            Map.entry("Mul", 27),
            Map.entry("Relu", 15),
            Map.entry("Reshape", 1),
            Map.entry("Shape", 1),
            Map.entry("Slice", 1),
            Map.entry("Softmax", 1)),
        opCounts(model));
    Map<String, FloatOutput> out =
        assertRoundTripRunsTheSame(models.classifier(), new long[] {1, 3, 48, 192});
    FloatOutput probs = out.get("softmax_0.tmp_0");
    assertArrayEquals(new long[] {1, 2}, probs.shape(), "0 or 180 degrees");
    assertRowsSumToOne(probs.values(), 2);
  }

  /**
   * Paddle2ONNX puts every weight in a Constant node (no initializers); most in raw_data, the
   * Resize scales of the detector in float_data: both decode, and re-encode to the same bits.
   */
  @Test
  void weightsAreConstantNodesInBothEncodings() throws Exception {
    OnnxModel model = OnnxModel.read(OcrModels.require().detector());
    assertEquals(0, model.initializers().size());
    int raw = 0;
    int typed = 0;
    for (NodeProto node : model.graph().getNodeList()) {
      if (!node.getOpType().equals("Constant")) {
        continue;
      }
      TensorProto tensor = model.constant(node.getOutput(0)).orElseThrow();
      if (tensor.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
        continue;
      }
      float[] values = model.floatConstant(node.getOutput(0));
      assertEquals(FloatTensors.elementCount(tensor), values.length);
      long[] dims = tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
      assertArrayEquals(
          values, FloatTensors.toFloats(FloatTensors.fromFloats("copy", dims, values)));
      if (tensor.hasRawData()) {
        raw++;
        assertEquals(
            tensor.getRawData(), FloatTensors.fromFloats("copy", dims, values).getRawData());
      } else {
        typed++;
      }
    }
    assertEquals(336, raw, "raw_data constants");
    assertEquals(6, typed, "float_data constants");
    // The first Conv's weight: 4-D, output channels first.
    NodeProto conv =
        model.graph().getNodeList().stream()
            .filter(n -> n.getOpType().equals("Conv"))
            .findFirst()
            .orElseThrow();
    TensorProto weight = model.constant(conv.getInput(1)).orElseThrow();
    assertEquals(4, weight.getDimsCount());
  }

  private static void assertFound(
      OnnxModel model,
      long opset,
      String input,
      String inputShape,
      String output,
      String outputShape) {
    assertEquals(8, model.irVersion(), "IR version");
    assertEquals(1, model.proto().getOpsetImportCount(), "only the default domain");
    assertEquals(opset, model.defaultOpset());
    assertEquals("Model from PaddlePaddle.", model.graph().getName());
    List<ValueInfoProto> inputs = model.inputs();
    assertEquals(1, inputs.size());
    assertEquals(input, inputs.get(0).getName());
    assertEquals(inputShape, shape(inputs.get(0)));
    assertEquals(1, model.outputs().size());
    assertEquals(output, model.outputs().get(0).getName());
    assertEquals(outputShape, shape(model.outputs().get(0)));
    assertEquals(
        TensorProto.DataType.FLOAT_VALUE, inputs.get(0).getType().getTensorType().getElemType());
    assertEquals(inputs.get(0), model.valueInfo(input).orElseThrow());
  }

  /**
   * Writes the model back: the same bytes, the same message parsed again, and ONNX Runtime gives
   * the original and the written file the same outputs, bit for bit, on a seeded random input.
   */
  private Map<String, FloatOutput> assertRoundTripRunsTheSame(Path file, long[] inputShape)
      throws Exception {
    byte[] original = Files.readAllBytes(file);
    OnnxModel model = OnnxModel.read(file);
    Path written = temp.resolve(file.getFileName());
    model.write(written);
    byte[] rewritten = Files.readAllBytes(written);
    assertArrayEquals(original, rewritten, "written back byte for byte");
    assertEquals(model.proto(), ModelProto.parseFrom(rewritten));

    int count = 1;
    for (long d : inputShape) {
      count *= (int) d;
    }
    float[] input = new float[count];
    Random random = new Random(12);
    for (int i = 0; i < count; i++) {
      input[i] = (float) random.nextGaussian();
    }
    String name = model.inputs().get(0).getName();
    Map<String, FloatOutput> before = OrtRunner.run(original, name, inputShape, input);
    Map<String, FloatOutput> after = OrtRunner.run(rewritten, name, inputShape, input);
    assertEquals(before.keySet(), after.keySet());
    for (String output : before.keySet()) {
      assertArrayEquals(before.get(output).shape(), after.get(output).shape(), output);
      assertArrayEquals(before.get(output).values(), after.get(output).values(), output);
      for (float v : before.get(output).values()) {
        assertTrue(Float.isFinite(v), output + " holds " + v);
      }
    }
    return before;
  }

  private static void assertRowsSumToOne(float[] values, int width) {
    for (int row = 0; row < values.length / width; row++) {
      double sum = 0;
      for (int i = 0; i < width; i++) {
        sum += values[row * width + i];
      }
      assertEquals(1.0, sum, 1e-4, "softmax row " + row);
    }
  }

  private static Map<String, Integer> opCounts(OnnxModel model) {
    Map<String, Integer> counts = new TreeMap<>();
    for (NodeProto node : model.graph().getNodeList()) {
      assertEquals("", node.getDomain(), node.getName());
      counts.merge(node.getOpType(), 1, Integer::sum);
    }
    return counts;
  }

  /** A tensor type's shape as "?x3x48x?" (? for a symbolic or unknown dim). */
  private static String shape(ValueInfoProto info) {
    List<String> dims = new ArrayList<>();
    for (TensorShapeProto.Dimension d : info.getType().getTensorType().getShape().getDimList()) {
      dims.add(d.hasDimValue() ? Long.toString(d.getDimValue()) : "?");
    }
    return String.join("x", dims);
  }
}
