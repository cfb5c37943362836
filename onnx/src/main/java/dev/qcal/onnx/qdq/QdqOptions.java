package dev.qcal.onnx.qdq;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which ops get Q/DQ on their inputs, how weights are scaled, and which nodes stay float.
 *
 * @param ops the ONNX op types (default domain) whose inputs are quantized, each one of {@link
 *     #SUPPORTED_OPS}
 * @param weights per-channel or per-tensor weight scales
 * @param keepFloat names of nodes whose inputs get no Q/DQ whatever their op, so they run in float
 *     (ONNX Runtime's {@code nodes_to_exclude}, ModelOpt's {@code --nodes_to_exclude}): the layers
 *     a per-layer diagnosis finds too sensitive to quantize
 * @param only when not empty, the names of the only nodes quantized (every other node runs in
 *     float): the one-node models of {@link SingleNodeModels}
 */
public record QdqOptions(
    Set<String> ops, WeightGranularity weights, Set<String> keepFloat, Set<String> only)
    implements Serializable {
  /**
   * The ops quantized by default: those that carry weights and do the arithmetic INT8 speeds up.
   * TensorRT fuses a Q/DQ'd input of these into an INT8 kernel; ModelOpt and ONNX Runtime's QDQ
   * quantizer start from the same list.
   */
  public static final List<String> DEFAULT_OPS = List.of("Conv", "ConvTranspose", "Gemm", "MatMul");

  /**
   * Every op qcal places Q/DQ on: the defaults, and the element-wise, concatenation and pooling ops
   * ModelOpt and ONNX Runtime also quantize (TensorRT runs them in INT8 when their inputs are, e.g.
   * the residual Add after a Conv).
   */
  public static final List<String> SUPPORTED_OPS =
      List.of(
          "Conv",
          "ConvTranspose",
          "Gemm",
          "MatMul",
          "Add",
          "Mul",
          "Concat",
          "AveragePool",
          "GlobalAveragePool",
          "MaxPool");

  /** The defaults: {@link #DEFAULT_OPS}, per-channel weights. */
  public static final QdqOptions DEFAULTS = of(DEFAULT_OPS, WeightGranularity.PER_CHANNEL);

  /**
   * Checks and copies the op set (in the given order).
   *
   * @throws QdqUsageException naming an op that is not in {@link #SUPPORTED_OPS}, or when none is
   *     given
   */
  public QdqOptions {
    if (ops == null || ops.isEmpty()) {
      throw new QdqUsageException(
          "no op to quantize: give one or more of " + String.join(", ", SUPPORTED_OPS));
    }
    if (weights == null || keepFloat == null || only == null) {
      throw new IllegalArgumentException(
          "weights granularity and the nodes kept float are required");
    }
    for (String op : ops) {
      if (!SUPPORTED_OPS.contains(op)) {
        throw new QdqUsageException(
            "qdq places no Q/DQ on op '"
                + op
                + "': the ops it quantizes are "
                + String.join(", ", SUPPORTED_OPS)
                + " (ONNX op types, case-sensitive)");
      }
    }
    ops = Collections.unmodifiableSet(new LinkedHashSet<>(ops));
    keepFloat = Collections.unmodifiableSet(new LinkedHashSet<>(keepFloat));
    only = Collections.unmodifiableSet(new LinkedHashSet<>(only));
  }

  /** The options for {@code ops} (in order, duplicates dropped), every node quantized. */
  public static QdqOptions of(Collection<String> ops, WeightGranularity weights) {
    return new QdqOptions(new LinkedHashSet<>(ops), weights, Set.of(), Set.of());
  }

  /** These options with the nodes named {@code nodes} kept float (in order, duplicates dropped). */
  public QdqOptions keepingFloat(Collection<String> nodes) {
    return new QdqOptions(ops, weights, new LinkedHashSet<>(nodes), only);
  }

  /** These options quantizing the nodes named {@code node} alone. */
  QdqOptions onlyNode(String node) {
    return new QdqOptions(ops, weights, keepFloat, Set.of(node));
  }

  /** Whether these options quantize the node named {@code name} (when its op is selected). */
  boolean quantizes(String name) {
    return !keepFloat.contains(name) && (only.isEmpty() || only.contains(name));
  }
}
