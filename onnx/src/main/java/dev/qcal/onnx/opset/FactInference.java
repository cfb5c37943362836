package dev.qcal.onnx.opset;

import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small shape and type inference over one graph, enough for the conversions that depend on facts
 * the nodes do not state: the rank of a Softmax input (its axis meant something else before opset
 * 13) and the element type of a Clip or Pad input (their bounds and pad value became inputs of that
 * type at opset 11).
 *
 * <p>It starts from the declared types (graph inputs, outputs, value_info, initializers, Constant
 * nodes) and walks the nodes in order (ONNX graphs are topologically sorted) with a rule per
 * operator for the element type and the shape, tracking dims only as far as they are known: enough
 * to follow exporters' shape arithmetic (Shape, Slice, Concat, Reshape) to the rank of a reshaped
 * tensor. A value no rule covers is unknown; the callers then take a conversion that needs no
 * facts, or refuse. Declared facts win over inferred ones. The rules read attributes the way both
 * old and new schemas write them (axes as an attribute or as a constant input).
 *
 * <p>This class reads the graph and each node (attributes, constant inputs) and picks the rule; the
 * rules families of operators share are {@link ShapeFamily}'s, and the dims arithmetic of the shape
 * operators (broadcasting, MatMul, Transpose, Gather, Squeeze, Slice) is {@link ShapeArithmetic}'s.
 */
final class FactInference {
  private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
  private static final int INT64 = TensorProto.DataType.INT64_VALUE;
  private static final int BOOL = TensorProto.DataType.BOOL_VALUE;

  private final Map<String, TensorFacts> facts;
  private final Map<String, TensorProto> constants;

  private FactInference(Map<String, TensorFacts> facts, Map<String, TensorProto> constants) {
    this.facts = facts;
    this.constants = constants;
  }

  /**
   * The facts of every value of {@code graph}, given those of the enclosing graphs ({@code outer},
   * for a subgraph's references to outer values) and the constants visible in it.
   */
  static Map<String, TensorFacts> infer(
      GraphProto graph, Map<String, TensorFacts> outer, Map<String, TensorProto> constants) {
    Map<String, TensorFacts> declared = new HashMap<>();
    for (List<ValueInfoProto> list :
        List.of(graph.getInputList(), graph.getOutputList(), graph.getValueInfoList())) {
      for (ValueInfoProto info : list) {
        declared.putIfAbsent(info.getName(), TensorFacts.declared(info.getType()));
      }
    }
    Map<String, TensorFacts> facts = new HashMap<>(outer);
    for (Map.Entry<String, TensorProto> c : constants.entrySet()) {
      facts.put(c.getKey(), TensorFacts.of(c.getValue().getDataType(), dims(c.getValue())));
    }
    for (ValueInfoProto input : graph.getInputList()) {
      facts.put(
          input.getName(),
          declared
              .get(input.getName())
              .orElse(facts.getOrDefault(input.getName(), TensorFacts.NONE)));
    }
    FactInference inference = new FactInference(facts, constants);
    for (NodeProto node : graph.getNodeList()) {
      List<TensorFacts> outputs;
      try {
        outputs = inference.outputs(node);
      } catch (RuntimeException e) {
        // A node these rules misread (a malformed attribute) leaves its outputs unknown; the
        // conversion then takes the path that needs no facts or refuses.
        outputs = List.of();
      }
      for (int i = 0; i < node.getOutputCount(); i++) {
        String name = node.getOutput(i);
        if (name.isEmpty()) {
          continue;
        }
        TensorFacts inferred = i < outputs.size() ? outputs.get(i) : TensorFacts.NONE;
        facts.put(name, declared.getOrDefault(name, TensorFacts.NONE).orElse(inferred));
      }
    }
    return Collections.unmodifiableMap(facts);
  }

  private TensorFacts in(NodeProto node, int i) {
    if (i >= node.getInputCount() || node.getInput(i).isEmpty()) {
      return TensorFacts.NONE;
    }
    return facts.getOrDefault(node.getInput(i), TensorFacts.NONE);
  }

  private List<TensorFacts> outputs(NodeProto node) {
    String op =
        node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx") ? node.getOpType() : "";
    TensorFacts x = in(node, 0);
    if (ShapeFamily.SAME_AS_INPUT.contains(op)) {
      // Output 0 only: the other outputs of BatchNormalization and LayerNormalization are
      // statistics of other shapes; Dropout's mask alone is known, a BOOL shaped like x.
      return op.equals("Dropout") ? List.of(x, x.withElemType(BOOL)) : List.of(x);
    }
    if (ShapeFamily.SAME_RANK.contains(op)) {
      return List.of(
          x.rank().isPresent() ? TensorFacts.ofRank(x.elemType(), x.rank().getAsInt()) : x);
    }
    if (ShapeFamily.BROADCAST.contains(op)) {
      return List.of(broadcast(node).withElemType(x.elemType()));
    }
    if (ShapeFamily.BROADCAST_BOOL.contains(op)) {
      return List.of(broadcast(node).withElemType(BOOL));
    }
    switch (op) {
      case "Not":
        return List.of(x);
      case "Where":
        return List.of(broadcast(node).withElemType(in(node, 1).elemType()));
      case "Cast":
        return List.of(x.withElemType((int) intAttr(node, "to", 0)));
      case "CastLike":
        return List.of(x.withElemType(in(node, 1).elemType()));
      case "Constant":
        TensorProto value = constants.get(node.getOutput(0));
        return List.of(
            value == null ? TensorFacts.NONE : TensorFacts.of(value.getDataType(), dims(value)));
      case "Shape":
        return List.of(shapeOf(node, x));
      case "Size":
        return List.of(TensorFacts.of(INT64, new long[0]));
      case "Flatten":
      case "Gemm":
        return List.of(TensorFacts.ofRank(x.elemType(), 2));
      case "NonZero":
        return List.of(TensorFacts.ofRank(INT64, 2));
      case "Range":
        return List.of(TensorFacts.ofRank(x.elemType(), 1));
      case "MatMul":
        return List.of(ShapeArithmetic.matMul(x, in(node, 1)));
      case "Concat":
        return List.of(concat(node));
      case "Reshape":
        return List.of(reshape(node, x));
      case "Transpose":
        return List.of(ShapeArithmetic.transpose(x, ints(node, "perm")));
      case "Squeeze":
        return List.of(ShapeArithmetic.squeeze(x, axes(node, 1)));
      case "Unsqueeze":
        return List.of(ShapeArithmetic.unsqueeze(x, axes(node, 1)));
      case "Slice":
        return List.of(slice(node, x));
      case "Gather":
        return List.of(ShapeArithmetic.gather(x, in(node, 1), intAttr(node, "axis", 0)));
      case "Expand":
        return List.of(expand(node, x));
      case "ConstantOfShape":
        TensorProto fill = attributeTensor(node, "value");
        long length = in(node, 0).dim(0);
        int type = fill == null ? FLOAT : fill.getDataType();
        return List.of(
            length < 0 ? TensorFacts.of(type, null) : TensorFacts.ofRank(type, (int) length));
      case "Split":
        List<TensorFacts> parts = new ArrayList<>();
        for (int i = 0; i < node.getOutputCount(); i++) {
          parts.add(
              x.rank().isPresent() ? TensorFacts.ofRank(x.elemType(), x.rank().getAsInt()) : x);
        }
        return parts;
      case "TopK":
        TensorFacts values =
            x.rank().isPresent() ? TensorFacts.ofRank(x.elemType(), x.rank().getAsInt()) : x;
        return List.of(values, values.withElemType(INT64));
      case "ArgMax":
      case "ArgMin":
        return List.of(reduce(node, x, new long[] {intAttr(node, "axis", 0)}).withElemType(INT64));
      default:
        if (op.startsWith("Reduce")) {
          return List.of(reduce(node, x, axes(node, 1)));
        }
        return List.of();
    }
  }

  private TensorFacts shapeOf(NodeProto node, TensorFacts x) {
    if (x.rank().isEmpty()) {
      return TensorFacts.ofRank(INT64, 1);
    }
    int rank = x.rank().getAsInt();
    long start = ShapeArithmetic.clampAxis(intAttr(node, "start", 0), rank);
    long end =
        Attributes.has(node, "end")
            ? ShapeArithmetic.clampAxis(intAttr(node, "end", rank), rank)
            : rank;
    return TensorFacts.of(INT64, new long[] {Math.max(0, end - start)});
  }

  private TensorFacts broadcast(NodeProto node) {
    long[] out = new long[0];
    for (int i = 0; i < node.getInputCount(); i++) {
      long[] d = in(node, i).dims();
      if (d == null) {
        return TensorFacts.NONE;
      }
      out = ShapeArithmetic.broadcast(out, d);
    }
    return TensorFacts.of(0, out);
  }

  private TensorFacts concat(NodeProto node) {
    TensorFacts first = in(node, 0);
    if (first.rank().isEmpty()) {
      return first;
    }
    int rank = first.rank().getAsInt();
    long axis = intAttr(node, "axis", 0);
    int a = (int) (axis < 0 ? axis + rank : axis);
    long[] dims = first.dims();
    long sum = 0;
    for (int i = 0; i < node.getInputCount(); i++) {
      long d = in(node, i).dim(a);
      sum = sum < 0 || d < 0 ? TensorFacts.UNKNOWN_DIM : sum + d;
    }
    if (a >= 0 && a < rank) {
      dims[a] = sum;
    }
    return TensorFacts.of(first.elemType(), dims);
  }

  private TensorFacts reshape(NodeProto node, TensorFacts x) {
    long[] shape = constantInts(node, 1);
    if (shape == null) {
      long length = in(node, 1).dim(0);
      return length < 0
          ? TensorFacts.of(x.elemType(), null)
          : TensorFacts.ofRank(x.elemType(), (int) length);
    }
    boolean allowZero = intAttr(node, "allowzero", 0) != 0;
    long[] dims = new long[shape.length];
    for (int i = 0; i < shape.length; i++) {
      dims[i] =
          shape[i] > 0 || (shape[i] == 0 && allowZero)
              ? shape[i]
              : shape[i] == 0 ? x.dim(i) : TensorFacts.UNKNOWN_DIM;
    }
    return TensorFacts.of(x.elemType(), dims);
  }

  private TensorFacts slice(NodeProto node, TensorFacts x) {
    long[] dims = x.dims();
    if (dims == null) {
      return x;
    }
    boolean attributes = Attributes.has(node, "starts");
    long[] starts = attributes ? ints(node, "starts") : constantInts(node, 1);
    long[] ends = attributes ? ints(node, "ends") : constantInts(node, 2);
    long[] axes = attributes ? ints(node, "axes") : optionalConstantInts(node, 3);
    long[] steps = attributes ? null : optionalConstantInts(node, 4);
    long[] out = dims.clone();
    boolean unknownInput =
        !attributes
            && ((axes == null && hasInput(node, 3)) || (steps == null && hasInput(node, 4)));
    if (starts == null || ends == null || unknownInput) {
      Arrays.fill(out, TensorFacts.UNKNOWN_DIM);
      return TensorFacts.of(x.elemType(), out);
    }
    for (int i = 0; i < starts.length; i++) {
      long axis = axes == null ? i : axes[i];
      int a = (int) (axis < 0 ? axis + dims.length : axis);
      out[a] =
          ShapeArithmetic.sliceLength(dims[a], starts[i], ends[i], steps == null ? 1 : steps[i]);
    }
    return TensorFacts.of(x.elemType(), out);
  }

  private TensorFacts expand(NodeProto node, TensorFacts x) {
    long length = in(node, 1).dim(0);
    if (x.rank().isEmpty() || length < 0) {
      return TensorFacts.of(x.elemType(), null);
    }
    return TensorFacts.ofRank(x.elemType(), Math.max(x.rank().getAsInt(), (int) length));
  }

  private TensorFacts reduce(NodeProto node, TensorFacts x, long[] axes) {
    long[] dims = x.dims();
    boolean keep = intAttr(node, "keepdims", 1) != 0;
    if (dims == null) {
      return x;
    }
    if (axes == null || axes.length == 0) {
      if ((axes == null && hasInput(node, 1)) || intAttr(node, "noop_with_empty_axes", 0) != 0) {
        // Axes computed at run time, or none meaning no reduction: only keepdims fixes the rank.
        return keep
            ? TensorFacts.ofRank(x.elemType(), dims.length)
            : TensorFacts.of(x.elemType(), null);
      }
      axes = new long[dims.length];
      for (int i = 0; i < dims.length; i++) {
        axes[i] = i;
      }
    }
    boolean[] reduced = new boolean[dims.length];
    for (long axis : axes) {
      reduced[(int) (axis < 0 ? axis + dims.length : axis)] = true;
    }
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < dims.length; i++) {
      if (!reduced[i]) {
        out.add(dims[i]);
      } else if (keep) {
        out.add(1L);
      }
    }
    return TensorFacts.of(x.elemType(), out.stream().mapToLong(Long::longValue).toArray());
  }

  /** The axes of a node: its {@code axes} attribute, else its constant input {@code input}. */
  private long[] axes(NodeProto node, int input) {
    long[] attr = ints(node, "axes");
    return attr != null || input < 0 ? attr : optionalConstantInts(node, input);
  }

  private static boolean hasInput(NodeProto node, int i) {
    return i < node.getInputCount() && !node.getInput(i).isEmpty();
  }

  private long[] optionalConstantInts(NodeProto node, int i) {
    return hasInput(node, i) ? constantInts(node, i) : null;
  }

  private long[] constantInts(NodeProto node, int i) {
    if (!hasInput(node, i)) {
      return null;
    }
    TensorProto t = constants.get(node.getInput(i));
    return t == null ? null : IntTensors.toLongs(t);
  }

  /** The elements of {@code tensor}'s dims. */
  private static long[] dims(TensorProto tensor) {
    return tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
  }

  private static long intAttr(NodeProto node, String name, long otherwise) {
    return Attributes.integer(node, name, otherwise);
  }

  private static long[] ints(NodeProto node, String name) {
    return Attributes.ints(node, name);
  }

  private static TensorProto attributeTensor(NodeProto node, String name) {
    return Attributes.find(node, name)
        .filter(AttributeProto::hasT)
        .map(AttributeProto::getT)
        .orElse(null);
  }
}
