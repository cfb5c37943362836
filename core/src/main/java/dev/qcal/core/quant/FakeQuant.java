package dev.qcal.core.quant;

/**
 * Quantize and dequantize single values on an integer grid, exactly as ONNX {@code
 * QuantizeLinear}/{@code DequantizeLinear} (opset 10/13 text, docs/design/formats.md §1.1): {@code
 * q = saturate(rint(x / scale) + zeroPoint)} with the division in float32 and rounding half to
 * even, and {@code x = (q − zeroPoint) · scale} in float32. {@code torch.quantize_per_tensor}
 * agrees bit for bit (formats.json {@code onnx_quantizelinear}).
 *
 * <p><b>Non-finite values:</b> ±Inf saturate to the grid ends; NaN maps to the zero point (ONNX
 * leaves it undefined; this keeps a quantization-error sum finite, and calibrators drop NaN before
 * they get here anyway).
 */
public final class FakeQuant {
  private FakeQuant() {}

  /**
   * The grid integer of {@code x}.
   *
   * @throws IllegalArgumentException if the grid has a single level (FP8 parameters have no integer
   *     grid)
   */
  public static long quantize(float x, QuantParams params) {
    checkGrid(params);
    if (Float.isNaN(x)) {
      return params.zeroPoint();
    }
    // float32 division as ONNX does (x and scale are float32 tensors), then half-even rounding.
    double q = Math.rint(x / params.scale()) + params.zeroPoint();
    return (long) Math.max(params.qmin(), Math.min(params.qmax(), q));
  }

  /** The real value of grid integer {@code q}: {@code (q − zeroPoint) · scale}, in float32. */
  public static float dequantize(long q, QuantParams params) {
    return (float) (q - params.zeroPoint()) * params.scale();
  }

  /** {@code dequantize(quantize(x))}: the value {@code x} becomes after quantization. */
  public static float fakeQuantize(float x, QuantParams params) {
    return dequantize(quantize(x, params), params);
  }

  private static void checkGrid(QuantParams params) {
    if (params.qmax() <= params.qmin()) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot quantize: the grid [%d, %d] has a single level (FP8 parameters have no"
                  + " integer grid)",
              params.qmin(), params.qmax()));
    }
  }
}
