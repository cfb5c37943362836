package dev.qcal.onnx.qdq;

import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.qdq.QdqPlacement.Role;
import dev.qcal.onnx.qdq.QdqPlacement.Site;
import dev.qcal.onnx.qdq.QdqPlacement.Use;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The models of a layer-wise sensitivity analysis: for each node {@code qdq} would quantize, the
 * Q/DQ model with that node alone quantized (its activation inputs with the table's scales, its
 * weight from its own values, as {@link QdqWriter} writes them) and every other node in float. Run
 * against the float model, each tells what that node's quantization alone costs the output: the
 * experiment of PPQ's layer-wise error analysis, whose worst nodes are what ONNX Runtime's {@code
 * nodes_to_exclude} and ModelOpt's {@code --nodes_to_exclude} then keep float.
 *
 * <p>The model is raised to the Q/DQ opset once ({@link #floatModel}), and every one-node model is
 * written from that graph, so each differs from the float model it is compared with by its node's
 * Q/DQ nodes only.
 *
 * <p>A node is measured when it has at least one input that gets Q/DQ: a weight, or an activation
 * the table holds a scale for (one it lacks or flags degenerate stays float, as in {@code qdq}).
 * Nodes are named by {@code NodeProto.name}, as {@code --keep-float} takes them; a quantized node
 * without a name cannot be kept float by name and is not measured ({@link #unnamed}).
 */
public final class SingleNodeModels {
  private final OnnxModel floatModel;
  private final ActivationScales scales;
  private final QdqOptions options;
  private final Map<String, String> nodes;
  private final int unnamed;

  private SingleNodeModels(
      OnnxModel floatModel,
      ActivationScales scales,
      QdqOptions options,
      Map<String, String> nodes,
      int unnamed) {
    this.floatModel = floatModel;
    this.scales = scales;
    this.options = options;
    this.nodes = nodes;
    this.unnamed = unnamed;
  }

  /**
   * The one-node models of {@code model} with {@code scales} and {@code options}.
   *
   * @throws QdqUsageException when the model already has Q/DQ nodes, or {@code options} keep float
   *     a node it does not have
   * @throws dev.qcal.core.io.InputFormatException naming the model and the opset or op qcal cannot
   *     convert
   */
  public static SingleNodeModels of(OnnxModel model, ActivationScales scales, QdqOptions options) {
    int existing = QdqPatcher.qdqNodeCount(model.graph());
    if (existing > 0) {
      throw new QdqUsageException(
          model.source()
              + " already has "
              + existing
              + " QuantizeLinear/DequantizeLinear nodes: measure the float model it was made from");
    }
    QdqPlacement.checkKeepFloat(model, options);
    List<Site> sites = QdqPlacement.of(model, options);
    boolean perChannel = sites.stream().anyMatch(s -> s.axis() >= 0);
    QdqScheme scheme = scales.scheme();
    OnnxModel at =
        QdqOpset.atLeast(model, QdqOpset.required(scheme, perChannel), scheme.minIrVersion());
    TreeSet<Integer> quantized = new TreeSet<>();
    for (Site site : QdqPlacement.of(at, options)) {
      if (site.role() == Role.WEIGHT || scales.scale(site.tensor()).isPresent()) {
        site.uses().stream().map(Use::node).forEach(quantized::add);
      }
    }
    Map<String, String> nodes = new LinkedHashMap<>();
    int unnamed = 0;
    for (int n : quantized) {
      NodeProto node = at.graph().getNode(n);
      if (node.getName().isEmpty()) {
        unnamed++;
      } else {
        nodes.putIfAbsent(node.getName(), node.getOpType());
      }
    }
    return new SingleNodeModels(at, scales, options, nodes, unnamed);
  }

  /** The float model the one-node models were written from (raised to the Q/DQ opset). */
  public OnnxModel floatModel() {
    return floatModel;
  }

  /** The names of the nodes measured, in graph order. */
  public List<String> nodes() {
    return new ArrayList<>(nodes.keySet());
  }

  /** The op type of the measured node {@code node}. */
  public String op(String node) {
    String op = nodes.get(node);
    if (op == null) {
      throw new IllegalArgumentException("no measured node '" + node + "'");
    }
    return op;
  }

  /** How many nodes would be quantized but have no name, and are not measured. */
  public int unnamed() {
    return unnamed;
  }

  /** The model with the node(s) named {@code node} alone quantized. */
  public OnnxModel quantizing(String node) {
    op(node);
    return QdqWriter.quantize(floatModel, scales, options.onlyNode(node)).model();
  }

  /** The model with every node quantized, as {@code qdq} writes it with the same options. */
  public OnnxModel quantizingAll() {
    return QdqWriter.quantize(floatModel, scales, options).model();
  }
}
