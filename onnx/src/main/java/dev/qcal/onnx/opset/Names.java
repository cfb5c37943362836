package dev.qcal.onnx.opset;

import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import java.util.HashSet;
import java.util.Set;

/**
 * Every name a model uses (values and nodes, in all its graphs), and fresh ones for what a
 * conversion adds: the base name when free, else the base with the first free suffix {@code _2},
 * {@code _3}, ..., so the same model always gets the same names.
 */
final class Names {
  private final Set<String> used = new HashSet<>();

  /** The names of {@code graph} and its subgraphs. */
  static Names of(GraphProto graph) {
    Names names = new Names();
    names.collect(graph);
    return names;
  }

  /** A name not used so far, now taken. */
  String fresh(String base) {
    String name = base;
    for (int k = 2; used.contains(name); k++) {
      name = base + "_" + k;
    }
    used.add(name);
    return name;
  }

  private void collect(GraphProto graph) {
    for (ValueInfoProto v : graph.getInputList()) {
      used.add(v.getName());
    }
    for (ValueInfoProto v : graph.getOutputList()) {
      used.add(v.getName());
    }
    for (ValueInfoProto v : graph.getValueInfoList()) {
      used.add(v.getName());
    }
    for (TensorProto t : graph.getInitializerList()) {
      used.add(t.getName());
    }
    for (NodeProto node : graph.getNodeList()) {
      used.add(node.getName());
      used.addAll(node.getInputList());
      used.addAll(node.getOutputList());
      for (AttributeProto a : node.getAttributeList()) {
        if (a.hasG()) {
          collect(a.getG());
        }
        for (GraphProto g : a.getGraphsList()) {
          collect(g);
        }
      }
    }
  }
}
