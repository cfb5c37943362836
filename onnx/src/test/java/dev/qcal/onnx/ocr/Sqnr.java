package dev.qcal.onnx.ocr;

/**
 * The signal-to-quantization-noise ratio of a model's outputs against the float model's, pooled
 * over every output added: 10 log10(sum of x^2 / sum of (x - y)^2) in dB, x the float model's
 * values and y the quantized model's. (Pooling weighs each output by its energy, as one long
 * signal; an output equal to the float one adds no noise.)
 */
public final class Sqnr {
  private double signal;
  private double noise;

  /** Adds one output: the float model's values and the quantized model's, of the same shape. */
  public void add(float[] reference, float[] quantized) {
    if (reference.length != quantized.length) {
      throw new IllegalArgumentException(
          "outputs of "
              + reference.length
              + " and "
              + quantized.length
              + " values cannot be compared");
    }
    for (int i = 0; i < reference.length; i++) {
      double d = (double) reference[i] - quantized[i];
      signal += (double) reference[i] * reference[i];
      noise += d * d;
    }
  }

  /** The ratio in dB; +infinity when every output was equal. */
  public double db() {
    return 10 * Math.log10(signal / noise);
  }

  /** The noise power added so far (sum of squared differences). */
  public double noise() {
    return noise;
  }

  /** The signal power added so far (sum of squared float values). */
  public double signal() {
    return signal;
  }
}
