package dev.qcal.onnx.sensitivity;

/**
 * What quantizing one node alone costs the model's output.
 *
 * @param node the node's name ({@code NodeProto.name})
 * @param op its op type
 * @param sqnrDb the output's SQNR against the float model, in dB: {@code +Infinity} when the
 *     outputs are equal, {@code -Infinity} when the quantized model's output is not finite
 */
public record NodeSensitivity(String node, String op, double sqnrDb) {
  /** The SQNR of {@code signal} (sum of squares of the float outputs) over {@code noise}. */
  public static double sqnrDb(double signal, double noise) {
    if (Double.isNaN(noise) || Double.isInfinite(noise)) {
      return Double.NEGATIVE_INFINITY;
    }
    return noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
  }
}
