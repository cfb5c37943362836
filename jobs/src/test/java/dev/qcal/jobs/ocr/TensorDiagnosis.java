package dev.qcal.jobs.ocr;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.ocr.Sqnr;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.testing.OrtRunner;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which quantized activations of a Q/DQ model lose the most: for each tensor X that qdq gave a
 * QuantizeLinear/DequantizeLinear pair, the SQNR of its own rounding and clipping (X against the
 * pair's output, in the Q/DQ model) and the SQNR of what reaches the next op (the float model's X
 * against the pair's output: this tensor's loss plus everything upstream), pooled over a few
 * inputs, both models run node by node (ONNX Runtime without graph optimizations).
 */
final class TensorDiagnosis {
  private TensorDiagnosis() {}

  /**
   * One tensor's losses.
   *
   * @param tensor the activation's ONNX name
   * @param ownDb the SQNR of its own quantization
   * @param reachedDb the SQNR of its dequantized value against the float model's
   */
  record Loss(String tensor, double ownDb, double reachedDb) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "%s (own %.1f dB, against float %.1f dB)", tensor, ownDb, reachedDb);
    }
  }

  /** The {@code count} activations of {@code quantized} whose own quantization SQNR is lowest. */
  static List<Loss> worst(
      OnnxModel floating, OnnxModel quantized, List<FloatOutput> inputs, int count)
      throws Exception {
    Map<String, String> dequantized = pairs(quantized);
    List<String> exposedQdq = new ArrayList<>(dequantized.keySet());
    exposedQdq.addAll(dequantized.values());
    byte[] qdq = OrtRunner.exposing(quantized.proto(), exposedQdq);
    byte[] ref = OrtRunner.exposing(floating.proto(), dequantized.keySet());
    Map<String, Sqnr> own = new LinkedHashMap<>();
    Map<String, Sqnr> reached = new LinkedHashMap<>();
    String input = floating.inputs().get(0).getName();
    for (FloatOutput x : inputs) {
      Map<String, FloatOutput> q = OrtRunner.run(qdq, Map.of(input, x), OptLevel.NO_OPT);
      Map<String, FloatOutput> f = OrtRunner.run(ref, Map.of(input, x), OptLevel.NO_OPT);
      dequantized.forEach(
          (tensor, dq) -> {
            own.computeIfAbsent(tensor, k -> new Sqnr())
                .add(q.get(tensor).values(), q.get(dq).values());
            reached
                .computeIfAbsent(tensor, k -> new Sqnr())
                .add(f.get(tensor).values(), q.get(dq).values());
          });
    }
    return own.keySet().stream()
        .map(t -> new Loss(t, own.get(t).db(), reached.get(t).db()))
        .sorted(Comparator.comparingDouble(Loss::ownDb))
        .limit(count)
        .toList();
  }

  /** Each quantized activation's name and its DequantizeLinear's output, in graph order. */
  private static Map<String, String> pairs(OnnxModel quantized) {
    Map<String, String> quantizeOutputToInput = new LinkedHashMap<>();
    for (NodeProto node : quantized.graph().getNodeList()) {
      if (node.getOpType().equals("QuantizeLinear")
          && quantized.constant(node.getInput(0)).isEmpty()) {
        quantizeOutputToInput.put(node.getOutput(0), node.getInput(0));
      }
    }
    Map<String, String> pairs = new LinkedHashMap<>();
    for (NodeProto node : quantized.graph().getNodeList()) {
      if (node.getOpType().equals("DequantizeLinear")
          && quantizeOutputToInput.containsKey(node.getInput(0))) {
        pairs.put(quantizeOutputToInput.get(node.getInput(0)), node.getOutput(0));
      }
    }
    return pairs;
  }
}
