package dev.qcal.onnx.qdq;

import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import dev.qcal.onnx.qdq.ActivationScales.TensorScale;
import dev.qcal.onnx.qdq.QdqPlacement.Role;
import dev.qcal.onnx.qdq.QdqPlacement.Site;
import dev.qcal.onnx.qdq.QdqPlacement.Use;
import dev.qcal.onnx.qdq.WeightQuantizer.QuantizedWeight;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a Q/DQ model from a float one: at each site of {@link QdqPlacement}, an activation gets
 * {@code QuantizeLinear -> DequantizeLinear} with its table scale, and a weight is stored quantized
 * (INT8 or FP8 codes) behind a {@code DequantizeLinear} with scales computed from its own values
 * ({@link WeightQuantizer}). The quantized inputs then read the dequantized value; every other
 * reader, and the graph's inputs and outputs, keep the float tensor and its name. A float weight
 * nothing reads any more is dropped (its initializer or Constant node).
 *
 * <p>Weights are stored quantized with a DequantizeLinear alone, not as float with a Q/DQ pair:
 * both formats give the same values and both ONNX Runtime and TensorRT read either, but stored
 * codes are what ONNX Runtime's QDQ quantizer writes and what ModelOpt exports for deployment
 * ({@code qdq_to_dq}), a quarter of the size, and the weight's codes are fixed in the file instead
 * of recomputed by each runtime.
 *
 * <p>Biases stay float: TensorRT fuses the bias into the convolution or GEMM in higher precision
 * (ModelOpt leaves it unquantized, {@code QuantizeBias=False}); ONNX Runtime's quantizer makes an
 * INT32 bias (scale = input scale × weight scale) only so its CPU kernels can fuse, and runs a
 * float bias just as well.
 *
 * <p>Names come from the tensor names ({@code <t>_scale}, {@code <t>_zero_point}, {@code
 * <t>_quantized}, {@code <t>_dequantized}, nodes {@code <t>_QuantizeLinear} and {@code
 * <t>_DequantizeLinear}, made unique with a suffix if taken); nodes go just before the first
 * reader, initializers after the model's, in site order: the same model and table give the same
 * bytes.
 */
public final class QdqWriter {
  private QdqWriter() {}

  /**
   * The Q/DQ model of {@code model} with {@code scales}' activation scales.
   *
   * @throws QdqUsageException when the model already has Q/DQ nodes (use {@link QdqPatcher}), or
   *     has no node of a name {@code options} keep float
   * @throws dev.qcal.core.io.InputFormatException naming the model and the opset, op or weight qcal
   *     cannot handle
   */
  public static QdqResult quantize(OnnxModel model, ActivationScales scales, QdqOptions options) {
    int existing = QdqPatcher.qdqNodeCount(model.graph());
    if (existing > 0) {
      throw new QdqUsageException(
          model.source()
              + " already has "
              + existing
              + " QuantizeLinear/DequantizeLinear nodes (quantized"
              + " before, e.g. by ModelOpt or ONNX Runtime): give it new scales with --patch");
    }
    QdqPlacement.checkKeepFloat(model, options);
    long before = model.defaultOpset();
    QdqScheme scheme = scales.scheme();
    List<Site> sites = QdqPlacement.of(model, options);
    boolean perChannel = sites.stream().anyMatch(s -> s.axis() >= 0);
    OnnxModel at =
        QdqOpset.atLeast(model, QdqOpset.required(scheme, perChannel), scheme.minIrVersion());
    if (at.defaultOpset() != before) {
      // A converted model is another graph; its sites are found again.
      sites = QdqPlacement.of(at, options);
    }
    return new Rewrite(at, scales).apply(sites, before);
  }

  /** One rewrite of one model. */
  private static final class Rewrite {
    private final OnnxModel model;
    private final ActivationScales scales;
    private final QdqScheme scheme;
    private final GraphNames names;
    private final Map<Integer, List<NodeProto>> inserted = new HashMap<>();
    private final Map<Use, String> rewired = new HashMap<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private final List<String> activations = new ArrayList<>();
    private final List<String> weights = new ArrayList<>();
    private final List<String> notInTable = new ArrayList<>();
    private final Map<String, String> degenerate = new LinkedHashMap<>();

    Rewrite(OnnxModel model, ActivationScales scales) {
      this.model = model;
      this.scales = scales;
      this.scheme = scales.scheme();
      this.names = new GraphNames(model.graph());
    }

    QdqResult apply(List<Site> sites, long opsetBefore) {
      for (Site site : sites) {
        String dequantized = site.role() == Role.WEIGHT ? weight(site) : activation(site);
        if (dequantized != null) {
          for (Use use : site.uses()) {
            rewired.put(use, dequantized);
          }
        }
      }
      GraphProto graph = model.graph();
      GraphProto.Builder out = graph.toBuilder().clearNode();
      for (int n = 0; n < graph.getNodeCount(); n++) {
        out.addAllNode(inserted.getOrDefault(n, List.of()));
        NodeProto node = graph.getNode(n);
        NodeProto.Builder b = null;
        for (int i = 0; i < node.getInputCount(); i++) {
          String to = rewired.get(new Use(n, i));
          if (to != null) {
            b = b == null ? node.toBuilder() : b;
            b.setInput(i, to);
          }
        }
        out.addNode(b == null ? node : b.build());
      }
      dropUnread(out);
      out.addAllInitializer(initializers);
      OnnxModel written =
          OnnxModel.of(model.proto().toBuilder().setGraph(out).build(), model.source());
      return new QdqResult(
          written,
          activations,
          weights,
          notInTable,
          degenerate,
          opsetBefore,
          written.defaultOpset());
    }

    /** Q/DQ on an activation with its table scale; null (left float) when there is none. */
    private String activation(Site site) {
      String t = site.tensor();
      Optional<TensorScale> scale = scales.scale(t);
      if (scale.isEmpty()) {
        Optional<String> flags = scales.degenerate(t);
        if (flags.isPresent()) {
          degenerate.put(t, flags.get());
        } else {
          notInTable.add(t);
        }
        return null;
      }
      String scaleName = names.take(t + "_scale");
      String zeroPoint = names.take(t + "_zero_point");
      String quantized = names.take(t + "_quantized");
      String dequantized = names.take(t + "_dequantized");
      initializers.add(QdqNodes.scale(scaleName, new float[] {scale.get().scale()}, false));
      initializers.add(
          QdqNodes.zeroPoint(zeroPoint, scheme.activationType(), scale.get().zeroPoint()));
      insert(
          site,
          QdqNodes.quantize(names.take(t + "_QuantizeLinear"), t, scaleName, zeroPoint, quantized),
          QdqNodes.dequantize(
              names.take(t + "_DequantizeLinear"),
              quantized,
              scaleName,
              zeroPoint,
              dequantized,
              -1));
      activations.add(t);
      return dequantized;
    }

    /** A weight stored as codes behind a DequantizeLinear. */
    private String weight(Site site) {
      String t = site.tensor();
      TensorProto tensor = model.constant(t).orElseThrow();
      long[] dims = tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
      QuantizedWeight q =
          WeightQuantizer.quantize(
              t, model.floatConstant(t), dims, site.axis(), scheme.weightType());
      boolean perChannel = q.axis() >= 0;
      String codes = names.take(t + "_quantized");
      String scaleName = names.take(t + "_scale");
      String zeroPoint = names.take(t + "_zero_point");
      String dequantized = names.take(t + "_dequantized");
      initializers.add(QdqNodes.codes(codes, scheme.weightType(), dims, q.codes()));
      initializers.add(QdqNodes.scale(scaleName, q.scales(), perChannel));
      initializers.add(
          perChannel
              ? QdqNodes.zeroPoints(zeroPoint, scheme.weightType(), q.scales().length)
              : QdqNodes.zeroPoint(zeroPoint, scheme.weightType(), 0));
      insert(
          site,
          QdqNodes.dequantize(
              names.take(t + "_DequantizeLinear"),
              codes,
              scaleName,
              zeroPoint,
              dequantized,
              q.axis()));
      weights.add(t);
      return dequantized;
    }

    private void insert(Site site, NodeProto... nodes) {
      inserted.computeIfAbsent(site.firstNode(), k -> new ArrayList<>()).addAll(List.of(nodes));
    }

    /**
     * Drops the float weights nothing reads any more: not a node of the new graph, a subgraph, or a
     * graph output. An initializer that is also a graph input stays (a caller may feed it).
     */
    private void dropUnread(GraphProto.Builder graph) {
      Set<String> read = new HashSet<>(GraphNames.readBySubgraphs(graph.build()));
      for (NodeProto node : graph.getNodeList()) {
        read.addAll(node.getInputList());
      }
      for (ValueInfoProto v : graph.getOutputList()) {
        read.add(v.getName());
      }
      for (ValueInfoProto v : graph.getInputList()) {
        read.add(v.getName());
      }
      Set<String> unread = new HashSet<>();
      for (String w : weights) {
        if (!read.contains(w)) {
          unread.add(w);
        }
      }
      for (int i = graph.getInitializerCount() - 1; i >= 0; i--) {
        if (unread.contains(graph.getInitializer(i).getName())) {
          graph.removeInitializer(i);
        }
      }
      for (int i = graph.getNodeCount() - 1; i >= 0; i--) {
        NodeProto node = graph.getNode(i);
        if (node.getOpType().equals("Constant")
            && QdqPlacement.isDefaultDomain(node)
            && node.getOutputCount() == 1
            && unread.contains(node.getOutput(0))) {
          graph.removeNode(i);
        }
      }
    }
  }
}
