package dev.qcal.onnx.qdq;

import dev.qcal.onnx.OnnxModel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Q/DQ model and what went into it.
 *
 * @param model the model with Q/DQ nodes
 * @param activations the activation tensors given a table scale, in graph order
 * @param weights the weights quantized from their values (empty when patching)
 * @param notInTable the activation tensors the quantized ops read that the table does not hold:
 *     they stay float (when patching: they keep the model's scales)
 * @param degenerate the activation tensors the table flags as degenerate, with the flags: they stay
 *     float (when patching: they keep the model's scales)
 * @param opsetBefore the model's default opset as read
 * @param opsetAfter the written model's default opset
 */
public record QdqResult(
    OnnxModel model,
    List<String> activations,
    List<String> weights,
    List<String> notInTable,
    Map<String, String> degenerate,
    long opsetBefore,
    long opsetAfter) {

  /** Copies the collections. */
  public QdqResult {
    activations = List.copyOf(activations);
    weights = List.copyOf(weights);
    notInTable = List.copyOf(notInTable);
    degenerate = Collections.unmodifiableMap(new LinkedHashMap<>(degenerate));
  }
}
