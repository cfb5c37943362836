package dev.qcal.onnx.opset;

import dev.qcal.onnx.proto.NodeProto;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Softmax, LogSoftmax and Hardmax at opset 13. Before, {@code axis} (default 1) cut the input into
 * a 2-D matrix, the dims before the axis as rows and the axis with every dim after it as one row,
 * and normalized each row; from 13, {@code axis} (default -1) is the one axis normalized.
 *
 * <p>The two agree when the axis is the last one: then the node stays as it is. That is known from
 * the node alone for axis -1, and from the input's rank otherwise ({@link FactInference}); the
 * PaddleOCR models' Softmax nodes are all on the last axis. Any other node becomes the old meaning
 * spelled out, as ONNX's own version converter does: Flatten at the axis, the operator on axis 1 of
 * the matrix, and Reshape back to the input's shape (read at run time with Shape).
 */
final class SoftmaxAxis implements StepAdapter {
  @Override
  public List<NodeProto> adapt(NodeProto node, GraphScope scope) {
    long axis = Attributes.integer(node, "axis", 1);
    OptionalInt rank = scope.facts(node.getInput(0)).rank();
    boolean last =
        axis == -1
            || (rank.isPresent()
                && (axis < 0 ? axis + rank.getAsInt() : axis) == rank.getAsInt() - 1);
    if (last) {
      return List.of(node);
    }
    String input = node.getInput(0);
    String output = node.getOutput(0);
    String base = node.getName().isEmpty() ? output : node.getName();
    String flat = scope.fresh(output + "_2d");
    String normalized = scope.fresh(output + "_2d_" + node.getOpType().toLowerCase(Locale.ROOT));
    String shape = scope.fresh(input + "_shape");
    NodeProto flatten =
        helper(scope, base + "_flatten", "Flatten", List.of(input), flat).toBuilder()
            .addAttribute(Attributes.ofInt("axis", axis))
            .build();
    NodeProto.Builder op =
        Attributes.without(node, Set.of("axis")).setInput(0, flat).setOutput(0, normalized);
    op.addAttribute(Attributes.ofInt("axis", 1));
    NodeProto shapeOf = helper(scope, base + "_shape", "Shape", List.of(input), shape);
    NodeProto reshape =
        helper(scope, base + "_reshape", "Reshape", List.of(normalized, shape), output);
    return List.of(flatten, op.build(), shapeOf, reshape);
  }

  /** A default-domain node without attributes, freshly named after {@code base}. */
  private static NodeProto helper(
      GraphScope scope, String base, String op, List<String> inputs, String output) {
    return NodeProto.newBuilder()
        .setName(scope.fresh(base))
        .setOpType(op)
        .addAllInput(inputs)
        .addOutput(output)
        .build();
  }
}
