package dev.qcal.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.proto.ValueInfoProto;
import dev.qcal.onnx.testing.OcrModels;
import dev.qcal.onnx.testing.OrtRunner;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import dev.qcal.onnx.testing.SyntheticModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Inner tensors made graph outputs, and ONNX Runtime returning them. */
class ExposedModelTest {
  private static final OnnxModel NET = OnnxModel.of(SyntheticModels.convNet(), "convnet");

  @Test
  void activationsAreTheFedInputsThenTheNodeOutputsThatAreNotConstants() {
    assertEquals(
        List.of("x", "z", "c1", "r1", "c2", "a1", "f", "m", "y"), ExposedModel.activations(NET));
  }

  @Test
  void exposingAppendsNameOnlyOutputsOnceAndChangesNothingElse() {
    OnnxModel exposed = ExposedModel.withOutputs(NET, List.of("r1", "y", "x", "r1"));
    assertEquals(
        List.of("y", "r1", "x"), exposed.outputs().stream().map(ValueInfoProto::getName).toList());
    assertEquals(ValueInfoProto.newBuilder().setName("r1").build(), exposed.outputs().get(1));
    assertEquals(NET.proto().getGraph().getNodeList(), exposed.graph().getNodeList());
    assertEquals(
        NET.proto().toBuilder().clearGraph().build(),
        exposed.proto().toBuilder().clearGraph().build());
    assertEquals("convnet", exposed.source());
    assertEquals(NET.proto(), ExposedModel.withOutputs(NET, List.of()).proto());
  }

  @Test
  void aTensorTheGraphDoesNotComputeIsNamed() {
    for (String name : List.of("nope", "w1", "w2")) {
      InputFormatException e =
          assertThrows(
              InputFormatException.class, () -> ExposedModel.withOutputs(NET, List.of("c1", name)));
      assertEquals(
          "convnet: no tensor named '"
              + name
              + "' is fed to or computed by the graph (constants are left out)",
          e.getMessage());
    }
  }

  /**
   * ONNX Runtime infers the types of the name-only outputs and returns them; the exposed inputs are
   * what was fed, the model's own output is the same bits as without exposure, and relu1's output
   * is the Relu of conv1's.
   */
  @Test
  void onnxRuntimeReturnsTheExposedTensors() throws Exception {
    Map<String, FloatOutput> feed =
        Map.of("x", input(new Random(1), 2, 3, 8, 8), "z", input(new Random(2), 2, 8));
    Map<String, FloatOutput> plain = OrtRunner.run(NET.toBytes(), feed, OptLevel.NO_OPT);
    OnnxModel exposed = ExposedModel.withOutputs(NET, ExposedModel.activations(NET));
    Map<String, FloatOutput> all = OrtRunner.run(exposed.toBytes(), feed, OptLevel.NO_OPT);
    assertEquals(
        List.of("y", "x", "z", "c1", "r1", "c2", "a1", "f", "m"), new ArrayList<>(all.keySet()));
    assertArrayEquals(plain.get("y").values(), all.get("y").values());
    assertArrayEquals(feed.get("x").values(), all.get("x").values());
    assertArrayEquals(new long[] {2, 4, 8, 8}, all.get("c1").shape());
    assertArrayEquals(new long[] {2, 256}, all.get("f").shape());
    float[] c1 = all.get("c1").values();
    float[] r1 = all.get("r1").values();
    for (int i = 0; i < c1.length; i++) {
      assertEquals(Math.max(c1[i], 0f), r1[i]);
    }
  }

  /**
   * The real classifier with every activation exposed: its output is unchanged, bit for bit; every
   * activation is returned, the float ones as floats (the others compute the Reshape target from
   * the batch size).
   */
  @Test
  void theClassifierRunsWithEveryActivationExposed() throws Exception {
    OnnxModel cls = OnnxModel.read(OcrModels.require().classifier());
    List<String> activations = ExposedModel.activations(cls);
    Map<String, FloatOutput> feed = Map.of("x", input(new Random(3), 1, 3, 48, 192));
    Map<String, FloatOutput> plain = OrtRunner.run(cls.toBytes(), feed, OptLevel.NO_OPT);
    Map<String, FloatOutput> all =
        OrtRunner.run(ExposedModel.withOutputs(cls, activations).toBytes(), feed, OptLevel.NO_OPT);
    List<String> notFloat = new ArrayList<>(activations);
    notFloat.removeAll(all.keySet());
    assertEquals(
        List.of(
            "p2o.Shape.1",
            "shape_0.tmp_0",
            "shape_0.tmp_0_slice_0",
            "p2o.Cast.2",
            "p2o.Cast.4",
            "p2o.helper.concat.0"),
        notFloat);
    assertEquals(222, activations.size());
    assertArrayEquals(plain.get("softmax_0.tmp_0").values(), all.get("softmax_0.tmp_0").values());
  }

  private static FloatOutput input(Random random, long... shape) {
    int n = 1;
    for (long d : shape) {
      n *= (int) d;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return new FloatOutput(shape, v);
  }
}
