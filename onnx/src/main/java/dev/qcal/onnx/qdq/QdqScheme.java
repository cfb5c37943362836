package dev.qcal.onnx.qdq;

import dev.qcal.core.quant.Scheme;
import dev.qcal.onnx.proto.TensorProto.DataType;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Q/DQ number formats qcal writes, each tied to the calibration scheme its table must have been
 * made with.
 *
 * <ul>
 *   <li>{@code symmetric}: INT8 activations and weights, zero point 0, the only integer form
 *       TensorRT accepts (its Q/DQ layers require zero points of 0).
 *   <li>{@code affine}: UINT8 activations with the table's zero point, INT8 symmetric weights: the
 *       "U8S8" pairing ONNX Runtime's CPU kernels run (its per-channel weights must be symmetric).
 *   <li>{@code fp8_e4m3}: FLOAT8E4M3FN activations and weights, zero point 0; FP8 Q/DQ exists from
 *       opset 19 and the FLOAT8 types from IR version 9.
 * </ul>
 */
public enum QdqScheme {
  /** INT8, zero point 0 (TensorRT). */
  SYMMETRIC(Scheme.SYMMETRIC, DataType.INT8, DataType.INT8, 10, 13, 3),
  /** UINT8 activations with the table's zero point, INT8 symmetric weights (ONNX Runtime CPU). */
  AFFINE(Scheme.AFFINE, DataType.UINT8, DataType.INT8, 10, 13, 3),
  /** FP8 E4M3 (finite only, ±448), zero point 0 (TensorRT on Hopper and later). */
  FP8_E4M3(Scheme.FP8_E4M3, DataType.FLOAT8E4M3FN, DataType.FLOAT8E4M3FN, 19, 19, 9);

  /** The bit width every scheme here has, and the tables must have been calibrated for. */
  public static final int BITS = 8;

  private final Scheme tableScheme;
  private final DataType activationType;
  private final DataType weightType;
  private final int minOpset;
  private final int perChannelOpset;
  private final int minIrVersion;

  QdqScheme(
      Scheme tableScheme,
      DataType activationType,
      DataType weightType,
      int minOpset,
      int perChannelOpset,
      int minIrVersion) {
    this.tableScheme = tableScheme;
    this.activationType = activationType;
    this.weightType = weightType;
    this.minOpset = minOpset;
    this.perChannelOpset = perChannelOpset;
    this.minIrVersion = minIrVersion;
  }

  /**
   * The key on the command line, the table scheme's key ({@code symmetric}, {@code affine}, ...).
   */
  public String key() {
    return tableScheme.key();
  }

  /** The scheme a table must have been calibrated with to give this format's activation scales. */
  public Scheme tableScheme() {
    return tableScheme;
  }

  /** The element type activations are quantized to (the type of their zero points). */
  public DataType activationType() {
    return activationType;
  }

  /** The element type weights are stored in. */
  public DataType weightType() {
    return weightType;
  }

  /** The lowest opset whose QuantizeLinear and DequantizeLinear take this format per tensor. */
  public int minOpset() {
    return minOpset;
  }

  /** The lowest opset whose DequantizeLinear takes a per-channel {@code axis} for this format. */
  public int perChannelOpset() {
    return perChannelOpset;
  }

  /** The lowest IR version that has this format's element types. */
  public int minIrVersion() {
    return minIrVersion;
  }

  /**
   * The format of a command-line key.
   *
   * @throws QdqUsageException listing the keys when there is none
   */
  public static QdqScheme of(String key) {
    for (QdqScheme s : values()) {
      if (s.key().equals(key.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new QdqUsageException(
        "unknown Q/DQ scheme '"
            + key
            + "': qdq writes "
            + Arrays.stream(values()).map(QdqScheme::key).collect(Collectors.joining(", ")));
  }
}
