package dev.qcal.onnx.qdq;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Whether a weight gets one scale per output channel or one for the whole tensor. */
public enum WeightGranularity {
  /** One scale per output channel (needs opset 13 for DequantizeLinear's axis). */
  PER_CHANNEL("per-channel"),
  /** One scale for the tensor (opset 10 is enough). */
  PER_TENSOR("per-tensor");

  private final String key;

  WeightGranularity(String key) {
    this.key = key;
  }

  /** The key on the command line. */
  public String key() {
    return key;
  }

  /**
   * The granularity of a command-line key.
   *
   * @throws QdqUsageException listing the keys when there is none
   */
  public static WeightGranularity of(String key) {
    for (WeightGranularity g : values()) {
      if (g.key.equals(key)) {
        return g;
      }
    }
    throw new QdqUsageException(
        "unknown weight granularity '"
            + key
            + "': use "
            + Arrays.stream(values())
                .map(WeightGranularity::key)
                .collect(Collectors.joining(" or ")));
  }
}
