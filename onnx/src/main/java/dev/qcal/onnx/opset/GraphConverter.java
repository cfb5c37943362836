package dev.qcal.onnx.opset;

import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.NodeProto;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Converts the nodes of a graph (and of its subgraphs) from the model's opset to the target, one
 * schema step at a time: a node of an operator whose schema changed in between goes through the
 * step of each change ({@link Steps}), and each node a step returns goes on from that step's opset.
 * A node no step touches is returned as the same object, so it is written byte for byte.
 */
final class GraphConverter {
  private final int from;
  private final int target;

  GraphConverter(int from, int target) {
    this.from = from;
    this.target = target;
  }

  /**
   * {@code graph} converted; the same object when no node changed.
   *
   * @throws NodeRefused naming the first node that cannot be converted
   */
  // A step returns the very node it was given when it leaves it as is: identity, not equality, is
  // what "unchanged" means here (and costs nothing on a large graph).
  @SuppressWarnings("ReferenceEquality")
  GraphProto convert(GraphProto graph, GraphScope scope) {
    List<NodeProto> nodes = new ArrayList<>(graph.getNodeCount());
    boolean changed = false;
    for (NodeProto original : graph.getNodeList()) {
      try {
        NodeProto node = withSubgraphs(original, scope);
        List<NodeProto> converted = step(node, from, scope);
        changed |= converted.size() != 1 || converted.get(0) != original;
        nodes.addAll(converted);
      } catch (CannotConvert e) {
        throw new NodeRefused(original, e.getMessage());
      }
    }
    return changed ? graph.toBuilder().clearNode().addAllNode(nodes).build() : graph;
  }

  /** The node with each subgraph attribute (If, Loop, Scan bodies) converted. */
  private NodeProto withSubgraphs(NodeProto node, GraphScope scope) {
    NodeProto.Builder b = null;
    for (int i = 0; i < node.getAttributeCount(); i++) {
      AttributeProto a = node.getAttribute(i);
      if (!a.hasG() && a.getGraphsCount() == 0) {
        continue;
      }
      AttributeProto.Builder converted = a.toBuilder();
      if (a.hasG()) {
        converted.setG(convert(a.getG(), scope.subgraph(a.getG())));
      }
      for (int k = 0; k < a.getGraphsCount(); k++) {
        converted.setGraphs(k, convert(a.getGraphs(k), scope.subgraph(a.getGraphs(k))));
      }
      if (b == null) {
        b = node.toBuilder();
      }
      b.setAttribute(i, converted);
    }
    return b == null ? node : b.build();
  }

  /** {@code node}, valid at {@code opset}, as the nodes that replace it at the target opset. */
  private List<NodeProto> step(NodeProto node, int opset, GraphScope scope) {
    if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
      return List.of(node);
    }
    String op = node.getOpType();
    OptionalInt schema = OperatorHistory.schemaAt(op, opset);
    if (schema.isEmpty()) {
      throw new CannotConvert(
          op
              + " is not an operator of the default ONNX domain at opset "
              + opset
              + (OperatorHistory.isKnown(op)
                  ? " (it came later)"
                  : " (an experimental operator ONNX removed, or a misspelling)"));
    }
    boolean deprecated = OperatorHistory.isDeprecated(op, schema.getAsInt());
    int next;
    if (deprecated) {
      // The node follows a schema that only marks the operator's removal: convert it as the step
      // into that schema (a later opset still has no such operator).
      next = schema.getAsInt();
    } else {
      OptionalInt after = OperatorHistory.nextSchema(op, schema.getAsInt(), target);
      if (after.isEmpty()) {
        return List.of(node);
      }
      next = after.getAsInt();
    }
    Steps.Step step =
        Steps.of(op, next)
            .orElseThrow(
                () ->
                    new CannotConvert(
                        "the schema of "
                            + op
                            + " changed at opset "
                            + next
                            + " and qcal has no conversion for that change"));
    List<NodeProto> out = new ArrayList<>();
    for (NodeProto replacement : step.adapter().adapt(node, scope)) {
      if (deprecated && replacement.getOpType().equals(op)) {
        throw new IllegalStateException("step " + step.key() + " kept the deprecated operator");
      }
      out.addAll(step(replacement, next, scope));
    }
    return out;
  }

  /** A node that cannot be converted, and why. */
  static final class NodeRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient NodeProto node;

    NodeRefused(NodeProto node, String reason) {
      super(reason);
      this.node = node;
    }

    /** The node as the model has it. */
    NodeProto node() {
      return node;
    }
  }
}
