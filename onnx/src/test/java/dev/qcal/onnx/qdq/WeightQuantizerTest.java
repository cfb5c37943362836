package dev.qcal.onnx.qdq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.proto.TensorProto.DataType;
import dev.qcal.onnx.qdq.WeightQuantizer.QuantizedWeight;
import org.junit.jupiter.api.Test;

/** Weight scales and codes on cases worked by hand. */
class WeightQuantizerTest {
  @Test
  void perChannelAlongAxisZero() {
    // [2, 3]: channel 0 amax 2.54, channel 1 all zero.
    float[] w = {1.27f, -2.54f, 0.5f, 0f, 0f, 0f};
    QuantizedWeight q = WeightQuantizer.quantize("w", w, new long[] {2, 3}, 0, DataType.INT8);
    assertEquals(0, q.axis());
    assertArrayEquals(
        new float[] {2.54f / 127f, 1f}, q.scales(), "an all-zero channel gets scale 1");
    // Codes are rint(w / scale) in float32; the amax maps to -127.
    float s = 2.54f / 127f;
    assertArrayEquals(
        new byte[] {(byte) Math.rint(1.27f / s), -127, (byte) Math.rint(0.5f / s), 0, 0, 0},
        q.codes());
  }

  @Test
  void perChannelAlongAxisOneOfAFourDimensionalWeight() {
    // [2, 2, 1, 2] along axis 1: channel c holds elements whose second index is c.
    float[] w = {1f, -1f, 4f, 2f, -3f, 0.5f, 8f, -8f};
    QuantizedWeight q = WeightQuantizer.quantize("w", w, new long[] {2, 2, 1, 2}, 1, DataType.INT8);
    assertArrayEquals(new float[] {3f / 127f, 8f / 127f}, q.scales());
    for (int i = 0; i < w.length; i++) {
      float scale = q.scales()[(i / 2) % 2];
      assertEquals(
          (byte) Math.max(-127, Math.min(127, Math.rint(w[i] / scale))),
          q.codes()[i],
          "element " + i);
    }
    assertEquals(127, q.codes()[6]);
    assertEquals(-127, q.codes()[7]);
  }

  @Test
  void perTensor() {
    float[] w = {0.1f, -0.4f, 0.2f, 0.3f};
    QuantizedWeight q = WeightQuantizer.quantize("w", w, new long[] {2, 2}, -1, DataType.INT8);
    assertArrayEquals(new float[] {0.4f / 127f}, q.scales());
    assertEquals(-127, q.codes()[1]);
    QuantizedWeight zero =
        WeightQuantizer.quantize("w", new float[4], new long[] {2, 2}, -1, DataType.INT8);
    assertArrayEquals(new float[] {1f}, zero.scales());
  }

  @Test
  void fp8() {
    float[] w = {4.48f, -1f, 0.01f, 0f};
    QuantizedWeight q = WeightQuantizer.quantize("w", w, new long[] {4}, -1, DataType.FLOAT8E4M3FN);
    float scale = 4.48f / 448f;
    assertArrayEquals(new float[] {scale}, q.scales());
    for (int i = 0; i < w.length; i++) {
      assertEquals(Float8E4M3.encode(w[i] / scale), q.codes()[i]);
    }
    assertEquals(0x7E, q.codes()[0] & 0xFF, "amax maps to 448");
    assertTrue(Math.abs(Float8E4M3.decode(q.codes()[1]) * scale + 1f) < 1f / 16, "3 mantissa bits");
  }

  @Test
  void aNonFiniteWeightIsNamed() {
    InputFormatException e =
        assertThrows(
            InputFormatException.class,
            () ->
                WeightQuantizer.quantize(
                    "conv1.w", new float[] {1f, Float.NaN}, new long[] {2}, -1, DataType.INT8));
    assertTrue(
        e.getMessage().contains("'conv1.w'") && e.getMessage().contains("element 1"),
        e.getMessage());
  }
}
