package dev.qcal.onnx.qdq;

import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.SparseTensorProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import java.util.HashSet;
import java.util.Set;

/**
 * The names a graph already uses, subgraphs included (value names are one namespace across scopes),
 * and new names that take none of them: the wanted name, else it with {@code _1}, {@code _2}, ...
 * appended. New names depend only on the graph and the order they are asked for, so the same model
 * gives the same names.
 */
final class GraphNames {
  private final Set<String> taken = new HashSet<>();

  GraphNames(GraphProto graph) {
    collect(graph);
  }

  /** A name not used yet, {@code wanted} if free; it is taken from then on. */
  String take(String wanted) {
    if (taken.add(wanted)) {
      return wanted;
    }
    for (int k = 1; ; k++) {
      String candidate = wanted + "_" + k;
      if (taken.add(candidate)) {
        return candidate;
      }
    }
  }

  /** The value names read by the nodes of {@code graph}'s subgraphs (If, Loop, Scan bodies). */
  static Set<String> readBySubgraphs(GraphProto graph) {
    Set<String> read = new HashSet<>();
    for (NodeProto node : graph.getNodeList()) {
      for (AttributeProto a : node.getAttributeList()) {
        if (a.hasG()) {
          readBy(a.getG(), read);
        }
        for (GraphProto g : a.getGraphsList()) {
          readBy(g, read);
        }
      }
    }
    return read;
  }

  private static void readBy(GraphProto graph, Set<String> read) {
    for (NodeProto node : graph.getNodeList()) {
      read.addAll(node.getInputList());
    }
    for (ValueInfoProto out : graph.getOutputList()) {
      read.add(out.getName());
    }
    read.addAll(readBySubgraphs(graph));
  }

  private void collect(GraphProto graph) {
    for (NodeProto node : graph.getNodeList()) {
      taken.add(node.getName());
      taken.addAll(node.getInputList());
      taken.addAll(node.getOutputList());
      for (AttributeProto a : node.getAttributeList()) {
        if (a.hasG()) {
          collect(a.getG());
        }
        for (GraphProto g : a.getGraphsList()) {
          collect(g);
        }
      }
    }
    for (TensorProto t : graph.getInitializerList()) {
      taken.add(t.getName());
    }
    for (SparseTensorProto t : graph.getSparseInitializerList()) {
      taken.add(t.getValues().getName());
    }
    for (ValueInfoProto v : graph.getInputList()) {
      taken.add(v.getName());
    }
    for (ValueInfoProto v : graph.getOutputList()) {
      taken.add(v.getName());
    }
    for (ValueInfoProto v : graph.getValueInfoList()) {
      taken.add(v.getName());
    }
  }
}
