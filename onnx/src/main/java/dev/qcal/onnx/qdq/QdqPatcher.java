package dev.qcal.onnx.qdq;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.FloatTensors;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.TensorProto.DataType;
import dev.qcal.onnx.proto.ValueInfoProto;
import dev.qcal.onnx.qdq.ActivationScales.TensorScale;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Gives a model that already has Q/DQ nodes (from qcal, ModelOpt or ONNX Runtime's QDQ quantizer)
 * the table's activation scales, keeping its graph: the nightly recalibration path, same graph, new
 * scales.
 *
 * <p>An activation's Q/DQ group is a QuantizeLinear whose input is not a constant, with the
 * DequantizeLinear nodes that read its output. The group's scale (and zero point, for {@code
 * affine}) becomes the table's. Quantizers share scale tensors between nodes (ONNX Runtime reuses
 * one scale across tensors it gives equal scales) and some keep them in Constant nodes, so a scale
 * the group alone reads keeps its name and shape (an initializer is rewritten in place, a Constant
 * node becomes an initializer); a shared one is left to its other readers and the group gets a new
 * initializer {@code <t>_scale}; a scale nothing reads any more is dropped. Weights' Q/DQ nodes (a
 * QuantizeLinear of a constant, a DequantizeLinear of stored codes) are left as they are.
 */
public final class QdqPatcher {
  private QdqPatcher() {}

  /** The QuantizeLinear and DequantizeLinear nodes (default domain) of a graph's top level. */
  static int qdqNodeCount(GraphProto graph) {
    int count = 0;
    for (NodeProto node : graph.getNodeList()) {
      if (isQuantize(node) || isDequantize(node)) {
        count++;
      }
    }
    return count;
  }

  /**
   * {@code model} with {@code scales}' activation scales on its Q/DQ groups. Tensors the table does
   * not hold, or flags as degenerate, keep the model's scales (and are listed).
   *
   * @throws QdqUsageException when the model has no Q/DQ node, or a group's quantized type is not
   *     that of the table's scheme
   * @throws InputFormatException naming the node when a group is not in QDQ format (a
   *     QuantizeLinear read by another op), quantizes per channel, or has a non-constant or
   *     non-float32 scale
   */
  public static QdqResult patch(OnnxModel model, ActivationScales scales) {
    GraphProto graph = model.graph();
    if (qdqNodeCount(graph) == 0) {
      throw new QdqUsageException(
          model.source()
              + " has no QuantizeLinear/DequantizeLinear node: --patch gives new scales to a"
              + " model quantized before; without --patch, qdq quantizes it");
    }
    return new Patch(model, scales).apply();
  }

  private static boolean isQuantize(NodeProto node) {
    return node.getOpType().equals("QuantizeLinear") && QdqPlacement.isDefaultDomain(node);
  }

  private static boolean isDequantize(NodeProto node) {
    return node.getOpType().equals("DequantizeLinear") && QdqPlacement.isDefaultDomain(node);
  }

  /** One patch of one model. */
  private static final class Patch {
    private final OnnxModel model;
    private final ActivationScales scales;
    private final GraphProto graph;
    private final GraphProto.Builder out;
    private final GraphNames names;
    private final Set<String> fed = new HashSet<>();
    private final Set<String> readBySubgraphs;
    private final Map<String, List<int[]>> readers = new HashMap<>();
    private final Map<String, Integer> initializerIndex = new HashMap<>();
    private final List<TensorProto> added = new ArrayList<>();
    private final Set<String> replaced = new LinkedHashSet<>();
    private final Set<String> replacedConstants = new HashSet<>();
    private final List<String> patched = new ArrayList<>();
    private final List<String> notInTable = new ArrayList<>();
    private final Map<String, String> degenerate = new LinkedHashMap<>();

    Patch(OnnxModel model, ActivationScales scales) {
      this.model = model;
      this.scales = scales;
      this.graph = model.graph();
      this.out = graph.toBuilder();
      this.names = new GraphNames(graph);
      this.readBySubgraphs = GraphNames.readBySubgraphs(graph);
      for (ValueInfoProto input : graph.getInputList()) {
        fed.add(input.getName());
      }
      for (int n = 0; n < graph.getNodeCount(); n++) {
        NodeProto node = graph.getNode(n);
        for (int i = 0; i < node.getInputCount(); i++) {
          readers.computeIfAbsent(node.getInput(i), k -> new ArrayList<>()).add(new int[] {n, i});
        }
      }
      for (int i = 0; i < graph.getInitializerCount(); i++) {
        initializerIndex.putIfAbsent(graph.getInitializer(i).getName(), i);
      }
    }

    QdqResult apply() {
      for (int n = 0; n < graph.getNodeCount(); n++) {
        NodeProto q = graph.getNode(n);
        if (isQuantize(q) && !isConstant(q.getInput(0))) {
          group(n);
        }
      }
      dropUnread();
      out.addAllInitializer(added);
      OnnxModel written =
          OnnxModel.of(model.proto().toBuilder().setGraph(out).build(), model.source());
      long opset = model.defaultOpset();
      return new QdqResult(written, patched, List.of(), notInTable, degenerate, opset, opset);
    }

    private void group(int qIndex) {
      NodeProto q = graph.getNode(qIndex);
      String t = q.getInput(0);
      List<Integer> members = new ArrayList<>(List.of(qIndex));
      for (int[] r : readers.getOrDefault(q.getOutput(0), List.of())) {
        NodeProto reader = graph.getNode(r[0]);
        if (!isDequantize(reader) || r[1] != 0) {
          throw new InputFormatException(
              model.source()
                  + ": QuantizeLinear node '"
                  + q.getName()
                  + "' is read by "
                  + reader.getOpType()
                  + " node '"
                  + reader.getName()
                  + "'; --patch handles the QDQ format (each QuantizeLinear"
                  + " read by DequantizeLinear nodes), not QOperator ops such as QLinearConv");
        }
        members.add(r[0]);
      }
      checkType(q, t);
      checkPerTensorScale(q, t);
      Optional<TensorScale> scale = scales.scale(t);
      if (scale.isEmpty()) {
        Optional<String> flags = scales.degenerate(t);
        if (flags.isPresent()) {
          degenerate.put(t, flags.get());
        } else {
          notInTable.add(t);
        }
        return;
      }
      setInput(members, 1, t + "_scale", like -> scaleLike(like, scale.get().scale()));
      DataType type = scales.scheme().activationType();
      setInput(
          members,
          2,
          t + "_zero_point",
          like -> zeroPointLike(like, type, scale.get().zeroPoint()));
      patched.add(t);
    }

    /**
     * Points input {@code index} of every member at a tensor {@code make} builds: the member's own
     * initializer rewritten in place when the members alone read it, else a new initializer.
     */
    private void setInput(
        List<Integer> members, int index, String wanted, Function<TensorProto, TensorProto> make) {
      Set<String> current = new LinkedHashSet<>();
      for (int m : members) {
        NodeProto node = graph.getNode(m);
        current.add(node.getInputCount() > index ? node.getInput(index) : "");
      }
      if (current.size() == 1) {
        String name = current.iterator().next();
        if (!name.isEmpty() && !fed.contains(name) && readOnlyBy(name, members, index)) {
          Integer at = initializerIndex.get(name);
          if (at != null) {
            out.setInitializer(at, make.apply(graph.getInitializer(at)));
            return;
          }
          Optional<TensorProto> constant = model.constant(name);
          if (constant.isPresent()) {
            // A Constant node's output the group alone reads: an initializer of the same name
            // takes its place.
            added.add(make.apply(constant.get()));
            replacedConstants.add(name);
            return;
          }
        }
      }
      String name = names.take(wanted);
      String old = current.iterator().next();
      TensorProto like = old.isEmpty() ? null : model.constant(old).orElse(null);
      added.add(make.apply(like).toBuilder().setName(name).build());
      for (int m : members) {
        // The member no longer reads its old tensor: a later group may then own it alone.
        NodeProto original = graph.getNode(m);
        if (original.getInputCount() > index) {
          readers
              .getOrDefault(original.getInput(index), new ArrayList<>())
              .removeIf(r -> r[0] == m && r[1] == index);
        }
        NodeProto.Builder node = out.getNodeBuilder(m);
        while (node.getInputCount() < index) {
          node.addInput("");
        }
        if (node.getInputCount() == index) {
          node.addInput(name);
        } else {
          node.setInput(index, name);
        }
      }
      replaced.addAll(current);
    }

    /** Whether every reader of {@code name} is input {@code index} of a member. */
    private boolean readOnlyBy(String name, List<Integer> members, int index) {
      if (readBySubgraphs.contains(name)) {
        return false;
      }
      for (int[] r : readers.getOrDefault(name, List.of())) {
        if (r[1] != index || !members.contains(r[0])) {
          return false;
        }
      }
      return true;
    }

    /** A float32 scale with the shape of {@code like} (a scalar or one element), named like it. */
    private TensorProto scaleLike(TensorProto like, float value) {
      long[] dims =
          like == null
              ? new long[0]
              : like.getDimsList().stream().mapToLong(Long::longValue).toArray();
      return FloatTensors.fromFloats(like == null ? "" : like.getName(), dims, new float[] {value});
    }

    /** A zero point of {@code type} with the shape of {@code like}, named like it. */
    private TensorProto zeroPointLike(TensorProto like, DataType type, int value) {
      long[] dims =
          like == null
              ? new long[0]
              : like.getDimsList().stream().mapToLong(Long::longValue).toArray();
      return QdqNodes.codes(
          like == null ? "" : like.getName(), type, dims, new byte[] {(byte) value});
    }

    /**
     * The group's quantized type (its zero point's, else {@code output_dtype}, else UINT8) must be
     * the scheme's.
     */
    private void checkType(NodeProto q, String t) {
      int type = DataType.UINT8_VALUE;
      Optional<TensorProto> zeroPoint =
          q.getInputCount() > 2 && !q.getInput(2).isEmpty()
              ? model.constant(q.getInput(2))
              : Optional.empty();
      if (zeroPoint.isPresent()) {
        type = zeroPoint.get().getDataType();
      } else {
        for (AttributeProto a : q.getAttributeList()) {
          if (a.getName().equals("output_dtype") && a.getI() != 0) {
            type = (int) a.getI();
          }
        }
      }
      DataType expected = scales.scheme().activationType();
      if (type != expected.getNumber()) {
        DataType found = DataType.forNumber(type);
        throw new QdqUsageException(
            model.source()
                + ": QuantizeLinear node '"
                + q.getName()
                + "' quantizes '"
                + t
                + "' to "
                + (found == null ? "type " + type : found.name())
                + ", the table's scheme "
                + scales.scheme().key()
                + " writes "
                + expected.name()
                + " (--scheme symmetric: INT8,"
                + " affine: UINT8, fp8_e4m3: FLOAT8E4M3FN; calibrate for the model's type)");
      }
    }

    private void checkPerTensorScale(NodeProto q, String t) {
      TensorProto scale =
          model
              .constant(q.getInput(1))
              .orElseThrow(
                  () ->
                      new InputFormatException(
                          model.source()
                              + ": QuantizeLinear node '"
                              + q.getName()
                              + "' of '"
                              + t
                              + "' reads its"
                              + " scale from '"
                              + q.getInput(1)
                              + "', which is not a constant; --patch rewrites"
                              + " constant scales only"));
      if (scale.getDataType() != DataType.FLOAT_VALUE) {
        throw new InputFormatException(
            model.source()
                + ": the scale '"
                + scale.getName()
                + "' of '"
                + t
                + "' is "
                + DataType.forNumber(scale.getDataType())
                + "; --patch writes float32 scales only");
      }
      if (FloatTensors.elementCount(scale) != 1) {
        throw new InputFormatException(
            model.source()
                + ": QuantizeLinear node '"
                + q.getName()
                + "' quantizes activation '"
                + t
                + "' per channel ("
                + FloatTensors.elementCount(scale)
                + " scales); a table gives one scale per"
                + " tensor");
      }
    }

    private boolean isConstant(String name) {
      return !fed.contains(name) && model.constant(name).isPresent();
    }

    /** Drops the replaced scales and zero points nothing reads any more. */
    private void dropUnread() {
      Set<String> read = new HashSet<>(readBySubgraphs);
      for (NodeProto node : out.getNodeList()) {
        read.addAll(node.getInputList());
      }
      for (ValueInfoProto v : graph.getOutputList()) {
        read.add(v.getName());
      }
      read.addAll(fed);
      Set<String> unread = new HashSet<>(replaced);
      unread.removeAll(read);
      for (int i = out.getInitializerCount() - 1; i >= 0; i--) {
        if (unread.contains(out.getInitializer(i).getName())) {
          out.removeInitializer(i);
        }
      }
      for (int i = out.getNodeCount() - 1; i >= 0; i--) {
        NodeProto node = out.getNode(i);
        if (node.getOpType().equals("Constant")
            && QdqPlacement.isDefaultDomain(node)
            && node.getOutputCount() == 1
            && (unread.contains(node.getOutput(0))
                || replacedConstants.contains(node.getOutput(0)))) {
          out.removeNode(i);
        }
      }
    }
  }
}
