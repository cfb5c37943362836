package dev.qcal.onnx.sensitivity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The result of a layer-wise sensitivity analysis: each measured node's output SQNR with that node
 * alone quantized, worst first (ties in graph order), and the SQNR with every node quantized.
 *
 * <p>Which nodes to keep float is the reader's choice ({@link #worst}, {@link #below}); {@link
 * #suggested} is the rule {@code qcal sensitivity} prints. It rests on noise adding up: the
 * quantization noise at the output of the fully quantized model is roughly the sum of the nodes'
 * own noises (PPQ reports the same per-layer noise-to-signal ratios for that reason), so a node
 * whose noise alone is a large share of the whole is what keeping float buys most. It suggests the
 * worst nodes whose own noise is at least {@link #SUGGESTED_SHARE} of the fully quantized model's,
 * at most {@link #SUGGESTED_MOST} of them.
 *
 * @param model the float model's path, as given
 * @param modelSha256 the model file's SHA-256 (lower-case hex): {@code qdq} refuses a report made
 *     for another model
 * @param table the calibration table's path, as given
 * @param method the table's method whose scales were used
 * @param scheme the Q/DQ scheme key
 * @param samples the dataset rows measured
 * @param allQuantizedDb the output SQNR with every node quantized
 * @param nodes the nodes, worst first
 */
public record SensitivityReport(
    String model,
    String modelSha256,
    String table,
    String method,
    String scheme,
    long samples,
    double allQuantizedDb,
    List<NodeSensitivity> nodes) {
  /** The least share of the fully quantized model's output noise a suggested node causes alone. */
  public static final double SUGGESTED_SHARE = 0.25;

  /** The most nodes suggested. */
  public static final int SUGGESTED_MOST = 8;

  /** Ranks {@code nodes} (given in graph order) worst first; a stable sort keeps graph order. */
  public SensitivityReport {
    List<NodeSensitivity> ranked = new ArrayList<>(nodes);
    ranked.sort(Comparator.comparingDouble(NodeSensitivity::sqnrDb));
    nodes = List.copyOf(ranked);
  }

  /** The names of the {@code n} worst nodes (all of them when there are fewer). */
  public List<String> worst(int n) {
    return nodes.stream().limit(Math.max(0, n)).map(NodeSensitivity::node).toList();
  }

  /** The names of the nodes whose SQNR alone is below {@code db}, worst first. */
  public List<String> below(double db) {
    return nodes.stream().filter(s -> s.sqnrDb() < db).map(NodeSensitivity::node).toList();
  }

  /**
   * How many of the worst nodes to keep float by {@link #SUGGESTED_SHARE}: those whose own output
   * noise, relative to the fully quantized model's, is {@code 10^((all - own) / 10)} or more.
   */
  public int suggested() {
    int n = 0;
    for (NodeSensitivity s : nodes) {
      if (n == SUGGESTED_MOST || noiseShare(s) < SUGGESTED_SHARE) {
        break;
      }
      n++;
    }
    return n;
  }

  /** {@code node}'s output noise alone over the fully quantized model's. */
  public double noiseShare(NodeSensitivity node) {
    if (Double.isInfinite(allQuantizedDb) || Double.isInfinite(node.sqnrDb())) {
      return node.sqnrDb() == Double.NEGATIVE_INFINITY ? Double.POSITIVE_INFINITY : 0;
    }
    return Math.pow(10, (allQuantizedDb - node.sqnrDb()) / 10);
  }
}
