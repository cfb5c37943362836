package dev.qcal.onnx.opset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.testing.OrtRunner;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.util.Map;
import java.util.Random;

/**
 * ONNX Runtime runs an original and a converted model on the same inputs; their outputs must agree.
 */
final class SameOutputs {
  private SameOutputs() {}

  /**
   * Runs both models (input {@code x} of shape {@code shape}) on a seeded Gaussian input per seed
   * and asserts every output has the same shape and the same values, bit for bit.
   */
  static void assertSame(byte[] original, byte[] converted, long[] shape, long... seeds)
      throws Exception {
    for (long seed : seeds) {
      assertClose(original, converted, shape, gaussian(shape, seed), 0, "seed " + seed);
    }
  }

  /**
   * Runs both models on {@code input} and asserts every output has the same shape and values within
   * {@code tolerance} (absolute; 0: bit for bit); with a tolerance, also the same arg max along the
   * last axis (a classifier's class, a CTC step's character). {@code what} names the input in
   * failures.
   */
  static void assertClose(
      byte[] original, byte[] converted, long[] shape, float[] input, double tolerance, String what)
      throws Exception {
    Map<String, FloatOutput> before = OrtRunner.run(original, "x", shape, input);
    Map<String, FloatOutput> after = OrtRunner.run(converted, "x", shape, input);
    assertEquals(before.keySet(), after.keySet(), what);
    for (String name : before.keySet()) {
      assertArrayEquals(
          before.get(name).shape(), after.get(name).shape(), what + ": shape of " + name);
      float[] expected = before.get(name).values();
      assertTrue(expected.length > 0, what + ": " + name + " is empty");
      if (tolerance == 0) {
        assertArrayEquals(expected, after.get(name).values(), what + ": " + name);
      } else {
        assertArrayEquals(
            expected, after.get(name).values(), (float) tolerance, what + ": " + name);
        assertArrayEquals(
            argMaxes(before.get(name)), argMaxes(after.get(name)), what + ": arg max of " + name);
      }
    }
  }

  /** The index of the largest value of each row along the last axis. */
  private static int[] argMaxes(FloatOutput output) {
    int width = (int) output.shape()[output.shape().length - 1];
    float[] v = output.values();
    int[] best = new int[v.length / width];
    for (int row = 0; row < best.length; row++) {
      for (int k = 1; k < width; k++) {
        if (v[row * width + k] > v[row * width + best[row]]) {
          best[row] = k;
        }
      }
    }
    return best;
  }

  /**
   * {@code model} converted to {@code target}, after checking that ONNX Runtime gives it the
   * outputs of the original, bit for bit, on three seeded inputs {@code x} of shape {@code shape}.
   */
  static OnnxModel convertsTheSame(ModelProto model, int target, long[] shape) throws Exception {
    OnnxModel original =
        OnnxModel.of(model, "synthetic opset " + OnnxModel.of(model, "").defaultOpset());
    OnnxModel converted = OpsetConverter.convert(original, target);
    assertEquals(target, converted.defaultOpset());
    assertSame(original.toBytes(), converted.toBytes(), shape, 1, 2, 3);
    return converted;
  }

  /** Seeded standard normal values for a tensor of {@code shape}. */
  static float[] gaussian(long[] shape, long seed) {
    int count = 1;
    for (long d : shape) {
      count *= (int) d;
    }
    Random random = new Random(seed);
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
