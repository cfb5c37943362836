package dev.qcal.onnx.qdq;

import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.io.InputFormatException;
import dev.qcal.core.quant.FakeQuant;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.ScaleRounding;
import dev.qcal.core.quant.Scheme;
import dev.qcal.onnx.proto.TensorProto.DataType;

/**
 * Quantizes a float weight from its own values: symmetric, per output channel or per tensor, on
 * INT8's narrow range [-127, 127] (what TensorRT and ModelOpt use for weights; -128 is left out so
 * the grid is symmetric) or on FP8 E4M3 (±448), zero point 0.
 *
 * <p>Each channel's scale is amax/127 (amax/448 for FP8) in float32, amax the channel's largest
 * |w|, the TensorRT convention of {@link QuantSpec}; an all-zero channel gets scale 1 (its codes
 * are all 0), never a zero scale. The codes are ONNX QuantizeLinear's: {@code w / scale} in
 * float32, rounded half to even and clamped (INT8, {@link FakeQuant}), or cast to FP8 with
 * saturation ({@link Float8E4M3}), so DequantizeLinear of the stored codes gives exactly what a
 * QuantizeLinear/DequantizeLinear pair on the float weight would.
 */
final class WeightQuantizer {
  private WeightQuantizer() {}

  /**
   * A quantized weight: its codes in row-major order (one byte each), and its scales (one per
   * channel of {@code axis}, or one for the tensor when {@code axis} is -1).
   */
  record QuantizedWeight(byte[] codes, float[] scales, int axis) {}

  /**
   * Quantizes {@code values} of shape {@code dims} along {@code axis} (-1: per tensor) to {@code
   * type} (INT8 or FLOAT8E4M3FN).
   *
   * @param name the weight's name, for errors
   * @throws InputFormatException naming the weight when it holds NaN or an infinity
   */
  static QuantizedWeight quantize(
      String name, float[] values, long[] dims, int axis, DataType type) {
    int channels = axis < 0 ? 1 : (int) dims[axis];
    int inner = 1;
    for (int d = axis + 1; axis >= 0 && d < dims.length; d++) {
      inner *= (int) dims[d];
    }
    float[] amax = new float[channels];
    for (int i = 0; i < values.length; i++) {
      float v = values[i];
      if (!Float.isFinite(v)) {
        throw new InputFormatException(
            "weight '"
                + name
                + "' holds "
                + v
                + " at element "
                + i
                + "; a weight must be finite to be quantized");
      }
      int c = channelOf(i, inner, channels);
      amax[c] = Math.max(amax[c], Math.abs(v));
    }
    QuantSpec spec =
        type == DataType.FLOAT8E4M3FN
            ? new QuantSpec(8, Scheme.FP8_E4M3, ScaleRounding.EXACT)
            : QuantSpec.symmetric(8);
    QuantParams[] params = new QuantParams[channels];
    float[] scales = new float[channels];
    for (int c = 0; c < channels; c++) {
      params[c] = spec.params(ClipRange.symmetric(amax[c]));
      scales[c] = params[c].scale();
    }
    byte[] codes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      QuantParams p = params[channelOf(i, inner, channels)];
      codes[i] =
          type == DataType.FLOAT8E4M3FN
              ? Float8E4M3.encode(values[i] / p.scale())
              : (byte) FakeQuant.quantize(values[i], p);
    }
    return new QuantizedWeight(codes, scales, axis);
  }

  private static int channelOf(int index, int inner, int channels) {
    return channels == 1 ? 0 : (index / inner) % channels;
  }
}
