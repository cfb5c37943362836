package dev.qcal.onnx.opset;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.OperatorSetIdProto;

/**
 * Raises a model's default-domain opset (QuantizeLinear needs 10, its per-channel {@code axis} 13,
 * FLOAT8 19), converting every node whose operator changed its signature on the way, and leaving
 * everything else byte for byte.
 *
 * <p>Each operator's schema history ({@link OperatorHistory}, from ONNX's operator changelog) says
 * which operators changed between the two opsets; each change is a step of a table ({@link Steps})
 * that either rewrites the node, keeps it (the change leaves valid nodes' meaning alone), or
 * refuses it with the reason. Converted:
 *
 * <ul>
 *   <li>attributes that became inputs, written as Constant nodes: Slice (10), TopK (10), Upsample
 *       (9), Clip and Pad (11), Dropout (12), Split, Squeeze, Unsqueeze, ReduceSum (13),
 *       ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceL1, ReduceL2, ReduceLogSum,
 *       ReduceLogSumExp, ReduceSumSquare (18);
 *   <li>Softmax, LogSoftmax, Hardmax (13): kept when the axis is the last one (the rank inferred
 *       from the graph), else spelled out as Flatten, the operator on axis 1, Reshape;
 *   <li>Upsample to Resize (10); Resize's roi input and explicit asymmetric coordinates with the
 *       nearest rounding of Resize-10 (11), tf_half_pixel_for_nn refused (13);
 *   <li>Scatter to ScatterElements (11), Split's num_outputs (18), BatchNormalization's spatial (9)
 *       and training outputs (14, refused), Dropout's mask (10, refused when used), RoiAlign's
 *       coordinate mode (16), GridSample's mode names (20).
 * </ul>
 *
 * Every other change from opset 8 to {@value #NEWEST_OPSET} is either known to leave nodes
 * unchanged (new element types, negative axes, attributes added with the old behaviour as default:
 * Conv, Gemm, MatMul, Concat, Reshape, Transpose, Cast, the elementwise and pooling operators,
 * QuantizeLinear, ...), or refused naming the node: Scan (9), GroupNormalization (21), DFT (20),
 * Attention (24, 25), and every change at opset 7 and before.
 *
 * <p>The IR version rises to the one ONNX released with the target opset when the model's is lower
 * (never lowered): opset 9: 4, 10: 5, 11: 6, 12 to 14: 7, 15 to 18: 8, 19 and 20: 9 (the FLOAT8
 * types), 21 and 22: 10, 23: 11, 24: 12, 25: 13 (ONNX's {@code helper.VERSION_TABLE}).
 */
public final class OpsetConverter {
  /** The newest target opset: the newest both TensorRT 11 and ONNX Runtime 1.29 load. */
  public static final int NEWEST_OPSET = OperatorHistory.NEWEST;

  /** The IR version ONNX released with each opset, by opset. */
  private static final long[] IR_OF_OPSET = {
    3,
    3,
    3,
    3,
    3,
    3,
    3,
    3,
    3, // opsets 0 to 8 (ONNX 1.0 to 1.3)
    4,
    5,
    6,
    7,
    7,
    7, // 9 to 14
    8,
    8,
    8,
    8, // 15 to 18
    9,
    9,
    10,
    10,
    11,
    12,
    13 // 19 to 25
  };

  private OpsetConverter() {}

  /**
   * {@code model} converted to default-domain opset {@code targetOpset}: the same object when it is
   * already there.
   *
   * @throws InputFormatException naming the model, and the node (name and operator) with the reason
   *     when a node cannot be converted; also for a target below the model's opset (qcal never
   *     lowers one) or above {@value #NEWEST_OPSET}, a model without a default-domain opset, and
   *     model-local functions or training graphs bound to the default domain
   */
  public static OnnxModel convert(OnnxModel model, int targetOpset) {
    long from = model.defaultOpset();
    String source = model.source();
    if (targetOpset == from) {
      return model;
    }
    if (targetOpset < from) {
      throw new InputFormatException(
          source
              + ": the model is at opset "
              + from
              + " and qcal never lowers an"
              + " opset (asked for "
              + targetOpset
              + ")");
    }
    if (targetOpset > NEWEST_OPSET) {
      throw new InputFormatException(
          source
              + ": opset "
              + targetOpset
              + " is newer than qcal converts to (up to "
              + NEWEST_OPSET
              + ", the newest TensorRT 11 and ONNX Runtime 1.29 load)");
    }
    ModelProto proto = model.proto();
    if (proto.getFunctionsCount() > 0 || proto.getTrainingInfoCount() > 0) {
      throw new InputFormatException(
          source
              + ": has "
              + (proto.getFunctionsCount() > 0 ? "model-local functions" : "training graphs")
              + ", whose nodes follow opsets of their own; qcal converts the opset of models"
              + " without them");
    }
    GraphProto graph = proto.getGraph();
    GraphProto converted;
    try {
      converted =
          new GraphConverter((int) from, targetOpset)
              .convert(graph, GraphScope.of(graph, Names.of(graph)));
    } catch (GraphConverter.NodeRefused e) {
      throw new InputFormatException(
          source
              + ": cannot raise the opset from "
              + from
              + " to "
              + targetOpset
              + ": "
              + describe(e.node())
              + ": "
              + e.getMessage());
    }
    ModelProto.Builder b = proto.toBuilder().setGraph(converted);
    for (int i = 0; i < b.getOpsetImportCount(); i++) {
      OperatorSetIdProto opset = b.getOpsetImport(i);
      if (opset.getDomain().isEmpty() || opset.getDomain().equals("ai.onnx")) {
        b.setOpsetImport(i, opset.toBuilder().setVersion(targetOpset));
      }
    }
    b.setIrVersion(Math.max(proto.getIrVersion(), irVersionOf(targetOpset)));
    return OnnxModel.of(b.build(), source);
  }

  /** The IR version ONNX released with {@code opset} (1 to {@value #NEWEST_OPSET}). */
  public static long irVersionOf(int opset) {
    if (opset < 1 || opset >= IR_OF_OPSET.length) {
      throw new IllegalArgumentException(
          "opset " + opset + " is not between 1 and " + NEWEST_OPSET);
    }
    return IR_OF_OPSET[opset];
  }

  private static String describe(NodeProto node) {
    String output = node.getOutputCount() > 0 ? node.getOutput(0) : "";
    return node.getName().isEmpty()
        ? "the " + node.getOpType() + " node writing '" + output + "'"
        : "node '" + node.getName() + "' (" + node.getOpType() + ")";
  }
}
