package dev.qcal.onnx.testing;

import static dev.qcal.onnx.testing.GraphBuilder.attr;
import static dev.qcal.onnx.testing.GraphBuilder.ints;
import static dev.qcal.onnx.testing.GraphBuilder.values;

import dev.qcal.core.quant.QuantSpec;
import dev.qcal.onnx.proto.ModelProto;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small float model with every op qdq quantizes, built here (shared with the jobs tests):
 *
 * <pre>
 * x [1,4,8,8] -> Conv w1 (init, channel 3 all zero), b1 -> c1 -> Relu -> r1 (also a graph output)
 * r1 -> Conv w2 (Constant node), b2, group 4 -> c2;  Add(c2, r1) -> a1
 * Mul(a1, Sigmoid(a1) = s1) -> m1 -> MaxPool 2x2 -> mp [1,8,4,4]
 * mp -> ConvTranspose w3 [8,4,2,2] (init), b3, stride 2 -> ct [1,4,8,8]
 * Concat(ct, x) -> cat [1,8,8,8] -> AveragePool 2x2 -> ap -> GlobalAveragePool -> gap -> Flatten -> fl [1,8]
 * fl -> Gemm w4 [8,6] (init), c4 -> g1 -> Gemm transB w5 [5,6] (Constant node), c5 -> g2 [1,5]
 * g2 -> MatMul w6 [5,3] (init) -> mm -> MatMul(mm, y [3,4]) -> out [1,4]
 * </pre>
 */
public final class SyntheticModel {
  /**
   * The activation tensors the default ops (Conv, ConvTranspose, Gemm, MatMul) quantize, in order.
   */
  public static final List<String> DEFAULT_ACTIVATIONS =
      List.of("x", "r1", "mp", "fl", "g1", "g2", "mm", "y");

  /** The weights, in order of their first use. */
  public static final List<String> WEIGHTS = List.of("w1", "w2", "w3", "w4", "w5", "w6");

  /** The activation tensors every supported op quantizes, in graph order of first use. */
  public static final List<String> ALL_ACTIVATIONS =
      List.of(
          "x", "r1", "c2", "a1", "s1", "m1", "mp", "ct", "cat", "ap", "fl", "g1", "g2", "mm", "y");

  /** Every float value the model computes or reads, for calibration tables. */
  public static final List<String> VALUES =
      List.of(
          "x", "y", "c1", "r1", "c2", "a1", "s1", "m1", "mp", "ct", "cat", "ap", "gap", "fl", "g1",
          "g2", "mm", "out");

  private SyntheticModel() {}

  /**
   * A calibration table (qcal's calibrators and writer) over seeded values for every tensor in
   * {@link #VALUES} but those in {@code left out}, with {@code zeroed} tensors all zero (flagged
   * {@code all_zero}: degenerate). Each tensor gets its own range; no model run is needed.
   */
  public static byte[] table(
      QuantSpec quant, List<String> methods, Set<String> leftOut, Set<String> zeroed) {
    Map<String, float[]> values = new LinkedHashMap<>();
    for (int i = 0; i < VALUES.size(); i++) {
      String name = VALUES.get(i);
      if (leftOut.contains(name)) {
        continue;
      }
      float[] v = zeroed.contains(name) ? new float[256] : values(100 + i, 1, 256);
      if (!zeroed.contains(name)) {
        for (int k = 0; k < v.length; k++) {
          v[k] *= 1 + i;
        }
      }
      values.put(name, v);
    }
    return CalibrationTables.of(values, methods, quant);
  }

  /** The model at {@code opset} (13 for per-channel INT8, 19 for FP8), IR version {@code ir}. */
  public static ModelProto build(int opset, int ir) {
    float[] w1 = values(1, 8, 4, 3, 3);
    // Output channel 3 all zero: its weight scale must not be 0.
    java.util.Arrays.fill(w1, 3 * 36, 4 * 36, 0f);
    return new GraphBuilder("synthetic")
        .input("x", 1, 4, 8, 8)
        .input("y", 3, 4)
        .initializer("w1", new long[] {8, 4, 3, 3}, w1)
        .initializer("b1", new long[] {8}, values(2, 8))
        .node("Conv", "conv1", List.of("x", "w1", "b1"), List.of("c1"), ints("pads", 1, 1, 1, 1))
        .node("Relu", "relu1", List.of("c1"), List.of("r1"))
        .constant("w2", new long[] {8, 2, 3, 3}, values(3, 8, 2, 3, 3))
        .constant("b2", new long[] {8}, values(4, 8))
        .node(
            "Conv",
            "conv2",
            List.of("r1", "w2", "b2"),
            List.of("c2"),
            attr("group", 4),
            ints("pads", 1, 1, 1, 1))
        .node("Add", "add1", List.of("c2", "r1"), List.of("a1"))
        .node("Sigmoid", "sigmoid1", List.of("a1"), List.of("s1"))
        .node("Mul", "mul1", List.of("a1", "s1"), List.of("m1"))
        .node(
            "MaxPool",
            "maxpool1",
            List.of("m1"),
            List.of("mp"),
            ints("kernel_shape", 2, 2),
            ints("strides", 2, 2))
        .initializer("w3", new long[] {8, 4, 2, 2}, values(5, 8, 4, 2, 2))
        .initializer("b3", new long[] {4}, values(6, 4))
        .node(
            "ConvTranspose",
            "convt1",
            List.of("mp", "w3", "b3"),
            List.of("ct"),
            ints("strides", 2, 2))
        .node("Concat", "concat1", List.of("ct", "x"), List.of("cat"), attr("axis", 1))
        .node(
            "AveragePool",
            "avgpool1",
            List.of("cat"),
            List.of("ap"),
            ints("kernel_shape", 2, 2),
            ints("strides", 2, 2))
        .node("GlobalAveragePool", "gap1", List.of("ap"), List.of("gap"))
        .node("Flatten", "flatten1", List.of("gap"), List.of("fl"))
        .initializer("w4", new long[] {8, 6}, values(7, 8, 6))
        .initializer("c4", new long[] {6}, values(8, 6))
        .node("Gemm", "gemm1", List.of("fl", "w4", "c4"), List.of("g1"))
        .constant("w5", new long[] {5, 6}, values(9, 5, 6))
        .initializer("c5", new long[] {5}, values(10, 5))
        .node("Gemm", "gemm2", List.of("g1", "w5", "c5"), List.of("g2"), attr("transB", 1))
        .initializer("w6", new long[] {5, 3}, values(11, 5, 3))
        .node("MatMul", "matmul1", List.of("g2", "w6"), List.of("mm"))
        .node("MatMul", "matmul2", List.of("mm", "y"), List.of("out"))
        .output("out", 1, 4)
        .output("r1", 1, 8, 8, 8)
        .model(opset, ir);
  }
}
