package dev.qcal.core.quant;

/** How a clip range maps onto a quantization grid. */
public enum Scheme {
  /** Signed, symmetric, narrow range [−(2^(B−1)−1), 2^(B−1)−1], zero point 0 (TensorRT). */
  SYMMETRIC,
  /** Unsigned [0, 2^B−1] with zero point 0, for non-negative tensors (NVIDIA {@code unsigned}). */
  UNSIGNED,
  /** Asymmetric affine on the unsigned grid [0, 2^B−1] (ONNX Runtime and PyTorch quint8). */
  AFFINE,
  /** Asymmetric affine on the signed grid [−2^(B−1), 2^(B−1)−1] (int8 asymmetric). */
  AFFINE_SIGNED,
  /** FP8 E4M3 (max finite 448): scale = amax/448, zero point 0. */
  FP8_E4M3,
  /** FP8 E5M2 (max finite 57344): scale = amax/57344, zero point 0. */
  FP8_E5M2;

  /** The lower-case name used on the command line and in JSON. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** True for schemes whose range is described by one amax rather than a (min, max) pair. */
  public boolean isSymmetric() {
    return this != AFFINE && this != AFFINE_SIGNED;
  }
}
