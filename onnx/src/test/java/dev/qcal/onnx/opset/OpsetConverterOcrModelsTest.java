package dev.qcal.onnx.opset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.onnx.FloatTensors;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.testing.OcrModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real PaddleOCR models ({@code .ci/fetch-models}) raised to the opsets a Q/DQ model needs (13:
 * per-channel QuantizeLinear; 19: FLOAT8 and ModelOpt's default; 21: INT4; 25: the newest): ONNX
 * Runtime gives the converted model exactly the outputs of the original on several inputs, the
 * converted nodes carry the new signatures, and every other node is kept byte for byte.
 */
class OpsetConverterOcrModelsTest {
  @ParameterizedTest
  @ValueSource(ints = {13, 19, 21, 25})
  void detector(int target) throws Exception {
    OnnxModel model = OnnxModel.read(OcrModels.require().detector());
    OnnxModel converted = convertAndCheck(model, target, Set.of("Clip", "Resize"));
    for (NodeProto clip : nodes(converted, "Clip")) {
      assertEquals(0, clip.getAttributeCount(), "Clip-11 has no attributes");
      assertEquals(3, clip.getInputCount());
    }
    for (NodeProto resize : nodes(converted, "Resize")) {
      // Already Resize-11 with asymmetric coordinates and floor rounding: unchanged.
      assertEquals(3, resize.getInputCount());
    }
    assertEquals(
        opCounts(model),
        opCounts(converted),
        "Paddle's det Clips already had inputs: no node added");
    long[][] shapes = {{1, 3, 64, 96}, {1, 3, 96, 128}};
    runsTheSame(model, converted, shapes, 0);
  }

  @ParameterizedTest
  @ValueSource(ints = {13, 19, 21, 25})
  void recognizer(int target) throws Exception {
    OnnxModel model = OnnxModel.read(OcrModels.require().recognizer());
    OnnxModel converted =
        convertAndCheck(model, target, Set.of("Clip", "Slice", "Squeeze", "ReduceMean"));
    assertClipsHaveBounds(converted, 28, 0f, 6f);
    assertSlicesHaveInputs(converted, 10);
    for (NodeProto squeeze : nodes(converted, "Squeeze")) {
      assertNull(OnnxGraphs.attribute(squeeze, "axes"), "Squeeze-13 takes axes as an input");
      assertEquals(2, squeeze.getInputCount());
    }
    for (NodeProto mean : nodes(converted, "ReduceMean")) {
      if (target >= 18) {
        assertNull(OnnxGraphs.attribute(mean, "axes"), "ReduceMean-18 takes axes as an input");
        assertArrayEquals(
            new long[] {-1},
            IntTensors.toLongs(converted.constant(mean.getInput(1)).orElseThrow()));
      } else {
        assertArrayEquals(
            new long[] {-1},
            OnnxGraphs.attribute(mean, "axes").getIntsList().stream()
                .mapToLong(Long::longValue)
                .toArray());
      }
    }
    // Every Softmax is on the last axis (3 of rank 4, 2 of rank 3): kept as is, no Flatten added.
    assertEquals(3, nodes(converted, "Softmax").size());
    assertTrue(nodes(converted, "Flatten").isEmpty());
    // Bit for bit up to opset 18. From 19 ONNX Runtime runs the (unchanged) AveragePool node with
    // another CPU kernel (AveragePoolV19, written for the dilations of AveragePool-19), whose means
    // differ in the last bit (OpsetConverterTest#averagePool19IsAnotherOrtKernel); through the
    // encoder that is at most about 1.2e-6 on the output probabilities (measured). 1e-5 bounds it
    // with margin, and the greedy CTC decoding must not change.
    long[][] shapes = {{1, 3, 48, 320}, {2, 3, 48, 160}};
    runsTheSame(model, converted, shapes, target >= 19 ? 1e-5 : 0);
  }

  @ParameterizedTest
  @ValueSource(ints = {13, 19, 21, 25})
  void classifier(int target) throws Exception {
    OnnxModel model = OnnxModel.read(OcrModels.require().classifier());
    OnnxModel converted = convertAndCheck(model, target, Set.of("Clip", "Slice"));
    assertClipsHaveBounds(converted, 18, 0f, 6f);
    assertSlicesHaveInputs(converted, 1);
    assertEquals(1, nodes(converted, "Softmax").size());
    assertTrue(nodes(converted, "Flatten").isEmpty(), "axis 1 of rank 2 is the last axis");
    long[][] shapes = {{1, 3, 48, 192}, {3, 3, 48, 192}};
    runsTheSame(model, converted, shapes, 0);
  }

  /**
   * Converts {@code model}, checks the opset, the IR version, determinism, and that every node of
   * an operator outside {@code changedOps} is in the converted graph byte for byte, in order; the
   * only nodes added are Constants.
   */
  private static OnnxModel convertAndCheck(OnnxModel model, int target, Set<String> changedOps) {
    OnnxModel converted = OpsetConverter.convert(model, target);
    assertEquals(target, converted.defaultOpset());
    assertEquals(Math.max(8, OpsetConverter.irVersionOf(target)), converted.irVersion());
    assertEquals(model.source(), converted.source());
    assertArrayEquals(
        converted.toBytes(), OpsetConverter.convert(model, target).toBytes(), "deterministic");
    assertEquals(model.graph().getInputList(), converted.graph().getInputList());
    assertEquals(model.graph().getOutputList(), converted.graph().getOutputList());

    Set<String> originalOutputs = new HashSet<>();
    List<NodeProto> kept = new ArrayList<>();
    for (NodeProto node : model.graph().getNodeList()) {
      originalOutputs.addAll(node.getOutputList());
      if (!changedOps.contains(node.getOpType())) {
        kept.add(node);
      }
    }
    List<NodeProto> keptAfter = new ArrayList<>();
    for (NodeProto node : converted.graph().getNodeList()) {
      boolean added = !originalOutputs.contains(node.getOutput(0));
      if (added) {
        assertEquals("Constant", node.getOpType(), "only constants are added: " + node.getName());
      } else if (!changedOps.contains(node.getOpType())) {
        keptAfter.add(node);
      }
    }
    assertEquals(kept.size(), keptAfter.size());
    for (int i = 0; i < kept.size(); i++) {
      assertArrayEquals(
          kept.get(i).toByteArray(),
          keptAfter.get(i).toByteArray(),
          "node " + kept.get(i).getName());
    }
    return converted;
  }

  private static void assertClipsHaveBounds(OnnxModel converted, int count, float min, float max) {
    List<NodeProto> clips = nodes(converted, "Clip");
    assertEquals(count, clips.size());
    for (NodeProto clip : clips) {
      assertEquals(0, clip.getAttributeCount(), "Clip-11 has no attributes");
      assertEquals(3, clip.getInputCount());
      TensorProto low = converted.constant(clip.getInput(1)).orElseThrow();
      TensorProto high = converted.constant(clip.getInput(2)).orElseThrow();
      assertEquals(0, low.getDimsCount(), "a scalar");
      assertArrayEquals(new float[] {min}, FloatTensors.toFloats(low));
      assertArrayEquals(new float[] {max}, FloatTensors.toFloats(high));
    }
  }

  private static void assertSlicesHaveInputs(OnnxModel converted, int count) {
    List<NodeProto> slices = nodes(converted, "Slice");
    assertEquals(count, slices.size());
    for (NodeProto slice : slices) {
      assertEquals(0, slice.getAttributeCount(), "Slice-10 has no attributes");
      assertEquals(4, slice.getInputCount(), "data, starts, ends, axes");
      for (int i = 1; i < 4; i++) {
        TensorProto t = converted.constant(slice.getInput(i)).orElseThrow();
        assertEquals(TensorProto.DataType.INT64_VALUE, t.getDataType());
        assertNotNull(IntTensors.toLongs(t));
      }
      assertFalse(slice.getInput(1).isEmpty());
    }
  }

  /**
   * ONNX Runtime on seeded Gaussian inputs and on an image-like ramp, for each input shape: the
   * same outputs within {@code tolerance} (0: bit for bit; with a tolerance, also the same arg max
   * along the last axis: the class, or the character of each CTC time step).
   */
  private static void runsTheSame(
      OnnxModel model, OnnxModel converted, long[][] shapes, double tolerance) throws Exception {
    byte[] original = model.toBytes();
    byte[] after = converted.toBytes();
    for (long[] shape : shapes) {
      List<float[]> inputs = new ArrayList<>();
      for (long seed = 1; seed <= 3; seed++) {
        inputs.add(SameOutputs.gaussian(shape, seed));
      }
      inputs.add(ramp(shape));
      for (int i = 0; i < inputs.size(); i++) {
        String what = Arrays.toString(shape) + (i < 3 ? " seed " + (i + 1) : " ramp");
        SameOutputs.assertClose(original, after, shape, inputs.get(i), tolerance, what);
      }
    }
  }

  /** A smooth image-like input: a diagonal ramp in [-1, 1] with a stripe per channel. */
  private static float[] ramp(long[] shape) {
    int n = (int) shape[0];
    int c = (int) shape[1];
    int h = (int) shape[2];
    int w = (int) shape[3];
    float[] values = new float[n * c * h * w];
    int i = 0;
    for (int b = 0; b < n; b++) {
      for (int k = 0; k < c; k++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            float v = (float) (x + y) / (w + h) * 2 - 1;
            values[i++] = (x / 8 + k + b) % 3 == 0 ? -v : v;
          }
        }
      }
    }
    return values;
  }

  private static List<NodeProto> nodes(OnnxModel model, String op) {
    return model.graph().getNodeList().stream().filter(n -> n.getOpType().equals(op)).toList();
  }

  private static Map<String, Integer> opCounts(OnnxModel model) {
    Map<String, Integer> counts = new TreeMap<>();
    for (NodeProto node : model.graph().getNodeList()) {
      counts.merge(node.getOpType(), 1, Integer::sum);
    }
    return counts;
  }
}
