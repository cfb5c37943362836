package dev.qcal.onnx.qdq;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where Q/DQ goes: the inputs of the quantized ops, as ModelOpt's TensorRT placement and ONNX
 * Runtime's QDQ quantizer put it ("quantize the inputs of the ops that run in INT8"; ModelOpt
 * leaves outputs unquantized, as here).
 *
 * <p>The rule, for each node of the main graph (default domain) whose op is selected:
 *
 * <ul>
 *   <li>Conv, ConvTranspose, Gemm, MatMul: input 0 is an activation; input 1 is the weight when it
 *       is a constant (an initializer that is not also a graph input, or a {@code Constant} node's
 *       output), else an activation; the bias (input 2) stays float.
 *   <li>Add, Mul: both inputs; Concat: every input; AveragePool, GlobalAveragePool, MaxPool: the
 *       input.
 *   <li>A constant anywhere else stays float (e.g. the 3 of a HardSwish's Add); so do inputs known
 *       not to be float (a graph input or value_info of another type, or the output of Shape, Size,
 *       Cast to a non-float type, ArgMax, ... such as the shape tensors a Concat builds).
 * </ul>
 *
 * A node named in {@link QdqOptions#keepFloat} is skipped whatever its op: its inputs read the
 * float tensors, so it runs in float (its weight too), as with ONNX Runtime's {@code
 * nodes_to_exclude}; other readers of the same tensors are quantized as ever.
 *
 * <p>Each tensor is one site however many quantized inputs read it, so it gets one Q/DQ pair (one
 * DequantizeLinear for a weight), placed before its first quantized reader; a weight read with two
 * different axes is two sites. Sites come in graph order of their first use.
 *
 * <p>{@link #activations} is the public face of the rule: the tensors whose table scales {@code
 * qdq} reads, which {@code qcal capture} captures by default so that the two cannot disagree.
 */
public final class QdqPlacement {
  private QdqPlacement() {}

  /** Whether a site's tensor is an activation (scale from the table) or a weight (from itself). */
  enum Role {
    ACTIVATION,
    WEIGHT
  }

  /** One input of one node: the node's index in the graph and the input's index in the node. */
  record Use(int node, int input) {}

  /**
   * One tensor to quantize and the inputs that will read its dequantized value.
   *
   * @param tensor the tensor's name
   * @param role activation or weight
   * @param axis a weight's channel axis; -1 for per tensor (always for activations)
   * @param uses the quantized inputs that read it, in graph order
   */
  record Site(String tensor, Role role, int axis, List<Use> uses) {
    /** The index of the first node that reads it: its Q/DQ nodes go just before. */
    int firstNode() {
      return uses.get(0).node();
    }
  }

  /** Ops whose input 1 is a weight when constant. */
  private static final Set<String> WEIGHTED = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul");

  /** Ops whose outputs are never float: integer indices, shapes and booleans. */
  private static final Set<String> NON_FLOAT_PRODUCERS =
      Set.of(
          "Shape",
          "Size",
          "NonZero",
          "ArgMax",
          "ArgMin",
          "Equal",
          "Less",
          "LessOrEqual",
          "Greater",
          "GreaterOrEqual",
          "Not",
          "And",
          "Or",
          "Xor",
          "IsNaN",
          "IsInf");

  /**
   * The activations {@link QdqWriter} gives a Q/DQ pair with {@code options} (the tensors whose
   * scales it reads from the table), each once, in graph order of first use. Weights, whose scales
   * come from their own values, are not among them.
   *
   * @throws dev.qcal.core.io.InputFormatException naming a quantized op's float16, bfloat16 or
   *     double input, which qdq does not quantize
   */
  public static List<String> activations(OnnxModel model, QdqOptions options) {
    return of(model, options).stream()
        .filter(s -> s.role() == Role.ACTIVATION)
        .map(Site::tensor)
        .toList();
  }

  /** The sites of {@code model}'s main graph under {@code options}. */
  static List<Site> of(OnnxModel model, QdqOptions options) {
    GraphProto graph = model.graph();
    Set<String> fed = new HashSet<>();
    for (ValueInfoProto input : graph.getInputList()) {
      fed.add(input.getName());
    }
    Map<String, NodeProto> producers = new HashMap<>();
    for (NodeProto node : graph.getNodeList()) {
      for (String out : node.getOutputList()) {
        producers.put(out, node);
      }
    }
    // Declared types, first declaration of a name winning (inputs, outputs, value_info).
    Map<String, ValueInfoProto> declared = new HashMap<>();
    for (List<ValueInfoProto> list :
        List.of(graph.getInputList(), graph.getOutputList(), graph.getValueInfoList())) {
      list.forEach(v -> declared.putIfAbsent(v.getName(), v));
    }
    Map<SiteKey, List<Use>> uses = new LinkedHashMap<>();
    for (int n = 0; n < graph.getNodeCount(); n++) {
      NodeProto node = graph.getNode(n);
      if (!isDefaultDomain(node)
          || !options.ops().contains(node.getOpType())
          || !options.quantizes(node.getName())) {
        continue;
      }
      for (int i : quantizedInputs(node)) {
        String name = node.getInput(i);
        if (name.isEmpty()) {
          continue;
        }
        Optional<TensorProto> constant =
            fed.contains(name) ? Optional.empty() : model.constant(name);
        SiteKey key;
        if (constant.isPresent()) {
          if (i != 1 || !WEIGHTED.contains(node.getOpType())) {
            continue;
          }
          int type = constant.get().getDataType();
          checkFloat32(model, node, name, type);
          if (type != TensorProto.DataType.FLOAT_VALUE) {
            continue;
          }
          key = new SiteKey(name, Role.WEIGHT, weightAxis(node, constant.get(), options.weights()));
        } else {
          int type = elementType(declared.get(name), producers.get(name));
          checkFloat32(model, node, name, type);
          if (type != TensorProto.DataType.FLOAT_VALUE && type != UNKNOWN) {
            continue;
          }
          key = new SiteKey(name, Role.ACTIVATION, -1);
        }
        uses.computeIfAbsent(key, k -> new ArrayList<>()).add(new Use(n, i));
      }
    }
    List<Site> sites = new ArrayList<>();
    uses.forEach((k, u) -> sites.add(new Site(k.tensor(), k.role(), k.axis(), List.copyOf(u))));
    return List.copyOf(sites);
  }

  /**
   * Checks that every node {@code options} keep float is a node of {@code model}'s main graph.
   *
   * @throws QdqUsageException naming the first name no node has (a typo would otherwise quantize
   *     the node it meant to keep float)
   */
  static void checkKeepFloat(OnnxModel model, QdqOptions options) {
    Set<String> nodes = new HashSet<>();
    for (NodeProto node : model.graph().getNodeList()) {
      nodes.add(node.getName());
    }
    for (String name : options.keepFloat()) {
      if (!nodes.contains(name)) {
        throw new QdqUsageException(
            model.source()
                + " has no node named '"
                + name
                + "' to keep float: --keep-float takes node names (NodeProto.name, e.g. from"
                + " Netron or onnx.load(...).graph.node), not tensor names");
      }
    }
  }

  private record SiteKey(String tensor, Role role, int axis) {}

  /**
   * The input indices of a node that take Q/DQ (the bias of Conv, ConvTranspose and Gemm does not).
   */
  private static List<Integer> quantizedInputs(NodeProto node) {
    int count = node.getInputCount();
    switch (node.getOpType()) {
      case "Conv":
      case "ConvTranspose":
      case "Gemm":
      case "MatMul":
      case "Add":
      case "Mul":
        return count >= 2 ? List.of(0, 1) : List.of(0);
      case "Concat":
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          all.add(i);
        }
        return all;
      default:
        return List.of(0);
    }
  }

  /**
   * The output-channel axis of a weight, or -1 for one scale per tensor: Conv [M, C/g, k...] axis
   * 0; ConvTranspose [C, M/g, k...] axis 1 when group is 1 (with groups, axis 1 holds M/g entries
   * shared by g output channels, which TensorRT does not take as per-channel: per tensor); Gemm's B
   * is [N, K] with transB (axis 0), [K, N] without (axis 1); MatMul's 2-D B [K, N] axis 1 (a
   * batched B of higher rank: per tensor).
   */
  static int weightAxis(NodeProto node, TensorProto weight, WeightGranularity granularity) {
    int rank = weight.getDimsCount();
    if (granularity == WeightGranularity.PER_TENSOR || rank < 2) {
      return -1;
    }
    switch (node.getOpType()) {
      case "Conv":
        return 0;
      case "ConvTranspose":
        return intAttribute(node, "group", 1) == 1 ? 1 : -1;
      case "Gemm":
        return rank != 2 ? -1 : intAttribute(node, "transB", 0) != 0 ? 0 : 1;
      case "MatMul":
        return rank == 2 ? 1 : -1;
      default:
        return -1;
    }
  }

  private static long intAttribute(NodeProto node, String name, long fallback) {
    for (AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a.getI();
      }
    }
    return fallback;
  }

  /** An element type not known without shape inference. */
  private static final int UNKNOWN = -1;

  /**
   * A value's element type as far as it is known without type inference: declared (graph input,
   * output or value_info), or the type of a Cast, or INT64/BOOL for the ops that make only those;
   * {@link #UNKNOWN} otherwise (most activations of exported models, which are float).
   */
  private static int elementType(ValueInfoProto info, NodeProto producer) {
    if (info != null
        && info.getType().hasTensorType()
        && info.getType().getTensorType().hasElemType()) {
      return info.getType().getTensorType().getElemType();
    }
    if (producer == null || !isDefaultDomain(producer)) {
      return UNKNOWN;
    }
    if (producer.getOpType().equals("Cast")) {
      return (int) intAttribute(producer, "to", UNKNOWN);
    }
    return NON_FLOAT_PRODUCERS.contains(producer.getOpType())
        ? TensorProto.DataType.INT64_VALUE
        : UNKNOWN;
  }

  /**
   * qcal writes float32 scales, which DequantizeLinear makes the type of its output: a float16,
   * bfloat16 or double input of a quantized op would get a float32 value it does not take.
   */
  private static void checkFloat32(OnnxModel model, NodeProto node, String tensor, int type) {
    if (type == TensorProto.DataType.FLOAT16_VALUE
        || type == TensorProto.DataType.BFLOAT16_VALUE
        || type == TensorProto.DataType.DOUBLE_VALUE) {
      throw new InputFormatException(
          model.source()
              + ": "
              + node.getOpType()
              + " node '"
              + node.getName()
              + "' reads '"
              + tensor
              + "' of type "
              + TensorProto.DataType.forNumber(type)
              + "; qdq quantizes float32 models only"
              + " (convert the model to float32 first)");
    }
  }

  static boolean isDefaultDomain(NodeProto node) {
    return node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
  }
}
