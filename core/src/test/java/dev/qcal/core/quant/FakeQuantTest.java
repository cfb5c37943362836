package dev.qcal.core.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qcal.core.calib.ClipRange;
import org.junit.jupiter.api.Test;

/** Hand cases for {@link FakeQuant}; the ONNX/torch vectors are in {@link QuantSpecVectorsTest}. */
class FakeQuantTest {
  private static final QuantParams INT8 = QuantSpec.symmetric(8).params(ClipRange.symmetric(127));

  @Test
  void saturatesAtTheNarrowGridEnds() {
    // symmetric int8 with amax 127: scale 1, grid [-127, 127] (TensorRT never uses -128).
    assertEquals(127, FakeQuant.quantize(200f, INT8));
    assertEquals(-127, FakeQuant.quantize(-200f, INT8));
    assertEquals(127, FakeQuant.quantize(Float.POSITIVE_INFINITY, INT8));
    assertEquals(-127, FakeQuant.quantize(Float.NEGATIVE_INFINITY, INT8));
    assertEquals(0, FakeQuant.quantize(Float.NaN, INT8));
  }

  @Test
  void dequantizesAndFakeQuantizes() {
    // uint8 affine [-1.5, 2.5]: scale 4/255 ≈ 0.015686275, zp 96. x = 1.0: 1/scale = 63.75 → 64,
    // q = 160; back: (160 - 96)·scale = 64·0.015686275 = 1.0039216.
    QuantParams p = QuantSpec.affine(8).params(new ClipRange(-1.5, 2.5));
    assertEquals(160, FakeQuant.quantize(1.0f, p));
    assertEquals(64 * p.scale(), FakeQuant.dequantize(160, p));
    assertEquals(64 * p.scale(), FakeQuant.fakeQuantize(1.0f, p));
    assertEquals(0f, FakeQuant.fakeQuantize(0f, p));
  }

  @Test
  void rejectsParametersWithoutAnIntegerGrid() {
    QuantParams fp8 =
        QuantSpec.symmetric(8).withScheme(Scheme.FP8_E4M3).params(ClipRange.symmetric(448));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FakeQuant.quantize(1f, fp8));
    assertEquals(
        "Cannot quantize: the grid [0, 0] has a single level (FP8 parameters have no integer grid)",
        e.getMessage());
  }
}
