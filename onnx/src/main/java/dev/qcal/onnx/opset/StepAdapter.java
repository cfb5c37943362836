package dev.qcal.onnx.opset;

import dev.qcal.onnx.proto.NodeProto;
import java.util.List;

/**
 * Rewrites a node from one schema of its operator to the next: {@code node} follows the schema
 * before the step, the nodes returned follow the opset of the step and replace it, in graph order
 * (constants first), writing the node's outputs under the same names.
 */
@FunctionalInterface
interface StepAdapter {
  /** Leaves the node as it is: the step changed nothing a valid node relies on. */
  StepAdapter UNCHANGED = (node, scope) -> List.of(node);

  /**
   * The replacement of {@code node}.
   *
   * @throws CannotConvert when this node's use of the old schema has no equivalent in the new one
   */
  List<NodeProto> adapt(NodeProto node, GraphScope scope);
}
