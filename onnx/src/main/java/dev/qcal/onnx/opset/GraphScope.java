package dev.qcal.onnx.opset;

import dev.qcal.onnx.ConstantTensors;
import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an adapter may ask about the graph its node is in: the inferred facts and constant values of
 * its inputs (a subgraph also sees those of the graphs around it), and fresh names for the nodes
 * and values it adds.
 */
final class GraphScope {
  private final Names names;
  private final Map<String, TensorFacts> facts;
  private final Map<String, TensorProto> constants;

  private GraphScope(
      Names names, Map<String, TensorFacts> facts, Map<String, TensorProto> constants) {
    this.names = names;
    // Mutable copies: the constants a conversion adds are known to the steps after it (Upsample's
    // scales, made an input at opset 9, are read again by the Resize step of opset 11).
    this.facts = new HashMap<>(facts);
    this.constants = new HashMap<>(constants);
  }

  /** The scope of a model's main graph. */
  static GraphScope of(GraphProto graph, Names names) {
    Map<String, TensorProto> constants = ConstantTensors.index(graph);
    return new GraphScope(names, FactInference.infer(graph, Map.of(), constants), constants);
  }

  /** The scope of a subgraph of a node in this graph. */
  GraphScope subgraph(GraphProto graph) {
    Map<String, TensorProto> visible = new HashMap<>(constants);
    visible.putAll(ConstantTensors.index(graph));
    return new GraphScope(names, FactInference.infer(graph, facts, visible), visible);
  }

  /** What is known of the value {@code name} (nothing for "", an omitted input). */
  TensorFacts facts(String name) {
    return facts.getOrDefault(name, TensorFacts.NONE);
  }

  /** The value {@code name} when it is an initializer or a Constant node's output. */
  Optional<TensorProto> constant(String name) {
    return Optional.ofNullable(constants.get(name));
  }

  /** A fresh value or node name built on {@code base}. */
  String fresh(String base) {
    return names.fresh(base);
  }

  /**
   * A Constant node holding {@code value}, its output (and the node) freshly named after {@code
   * base}: read its name with {@code getOutput(0)}.
   */
  NodeProto constant(String base, TensorProto value) {
    String name = fresh(base);
    constants.put(name, value.toBuilder().setName(name).build());
    facts.put(
        name,
        TensorFacts.of(
            value.getDataType(),
            value.getDimsList().stream().mapToLong(Long::longValue).toArray()));
    return NodeProto.newBuilder()
        .addOutput(name)
        .setName(name)
        .setOpType("Constant")
        .addAttribute(
            AttributeProto.newBuilder()
                .setName("value")
                .setType(AttributeProto.AttributeType.TENSOR)
                .setT(value.toBuilder().setName(name)))
        .build();
  }
}
