package dev.qcal.onnx.qdq;

import static dev.qcal.onnx.testing.GraphBuilder.attr;
import static dev.qcal.onnx.testing.GraphBuilder.ints;
import static dev.qcal.onnx.testing.GraphBuilder.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.io.CalibrationTableDocument;
import dev.qcal.core.io.CalibrationTableDocument.MethodEntry;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.ScaleRounding;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.AttributeProto;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.qdq.QdqPlacement.Role;
import dev.qcal.onnx.qdq.QdqPlacement.Site;
import dev.qcal.onnx.testing.CalibrationTables;
import dev.qcal.onnx.testing.GraphBuilder;
import dev.qcal.onnx.testing.OrtRunner;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import dev.qcal.onnx.testing.SyntheticModel;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Q/DQ models run by ONNX Runtime 1.29 (CPU): every Q/DQ pair gives exactly the fake quantization
 * computed here by hand, single-op models give exactly the float op on fake-quantized input and
 * weight, and the whole synthetic model stays close to the float one.
 */
class QdqOrtTest {
  /** Seeded inputs of the synthetic model. */
  private static Map<String, FloatOutput> inputs(long seed) {
    Map<String, FloatOutput> in = new LinkedHashMap<>();
    in.put("x", new FloatOutput(new long[] {1, 4, 8, 8}, values(seed, 1, 4, 8, 8)));
    in.put("y", new FloatOutput(new long[] {3, 4}, values(seed + 1000, 1, 3, 4)));
    return in;
  }

  /**
   * The table of a small calibration run: the float model's values of every tensor over four
   * calibration inputs (seeds 1-4), calibrated by qcal's calibrators and written by its writer.
   */
  static CalibrationTableDocument calibrate(ModelProto model, QuantSpec quant) throws Exception {
    Map<String, List<float[]>> seen = new LinkedHashMap<>();
    byte[] exposed = OrtRunner.exposing(model, SyntheticModel.VALUES);
    for (long seed = 1; seed <= 4; seed++) {
      Map<String, FloatOutput> in = inputs(seed);
      Map<String, FloatOutput> out = OrtRunner.run(exposed, in, OptLevel.ALL_OPT);
      for (String name : SyntheticModel.VALUES) {
        FloatOutput v = out.containsKey(name) ? out.get(name) : in.get(name);
        seen.computeIfAbsent(name, k -> new ArrayList<>()).add(v.values());
      }
    }
    Map<String, float[]> values = new LinkedHashMap<>();
    seen.forEach((name, parts) -> values.put(name, concat(parts)));
    byte[] json = CalibrationTables.of(values, List.of("max", "percentile"), quant);
    return CalibrationJson.read(new ByteArrayInputStream(json), "calibration.json");
  }

  private static float[] concat(List<float[]> parts) {
    int n = parts.stream().mapToInt(p -> p.length).sum();
    float[] all = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  /**
   * Quantize-dequantize of one value, written out here: ONNX's QuantizeLinear then
   * DequantizeLinear.
   */
  private static float fakeQuantize(float x, float scale, int zeroPoint, QdqScheme scheme) {
    if (scheme == QdqScheme.FP8_E4M3) {
      return Float8E4M3.decode(Float8E4M3.encode(x / scale)) * scale;
    }
    long lo = scheme == QdqScheme.AFFINE ? 0 : -128;
    long hi = scheme == QdqScheme.AFFINE ? 255 : 127;
    long q = (long) Math.max(lo, Math.min(hi, Math.rint(x / scale) + zeroPoint));
    return (float) (q - zeroPoint) * scale;
  }

  /** Weights fake-quantized per channel of {@code axis} (-1: per tensor), scales by hand. */
  private static float[] fakeQuantizeWeight(
      float[] w, List<Long> dims, int axis, QdqScheme scheme) {
    float bound = scheme == QdqScheme.FP8_E4M3 ? 448f : 127f;
    float[] scales =
        axis < 0
            ? new float[] {perTensorScale(w, bound)}
            : QdqWriterTest.handScales(w, dims, axis, bound);
    int inner = 1;
    for (int d = axis + 1; axis >= 0 && d < dims.size(); d++) {
      inner *= dims.get(d).intValue();
    }
    float[] out = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      float s = axis < 0 ? scales[0] : scales[(i / inner) % scales.length];
      out[i] =
          scheme == QdqScheme.FP8_E4M3
              ? Float8E4M3.decode(Float8E4M3.encode(w[i] / s)) * s
              : (float) (long) Math.max(-127, Math.min(127, Math.rint(w[i] / s))) * s;
    }
    return out;
  }

  private static float perTensorScale(float[] w, float bound) {
    float amax = 0;
    for (float v : w) {
      amax = Math.max(amax, Math.abs(v));
    }
    return amax == 0 ? 1f : amax / bound;
  }

  /** Signal to quantization noise of {@code x} against {@code reference}, in dB. */
  static double sqnr(float[] reference, float[] x) {
    double signal = 0;
    double noise = 0;
    for (int i = 0; i < reference.length; i++) {
      signal += (double) reference[i] * reference[i];
      noise += (double) (reference[i] - x[i]) * (reference[i] - x[i]);
    }
    return 10 * Math.log10(signal / noise);
  }

  static Stream<Arguments> schemes() {
    return Stream.of(
        Arguments.of(QdqScheme.SYMMETRIC, 13, QdqOptions.DEFAULT_OPS),
        Arguments.of(QdqScheme.SYMMETRIC, 13, QdqOptions.SUPPORTED_OPS),
        Arguments.of(QdqScheme.AFFINE, 13, QdqOptions.SUPPORTED_OPS),
        Arguments.of(QdqScheme.FP8_E4M3, 19, QdqOptions.DEFAULT_OPS),
        Arguments.of(QdqScheme.FP8_E4M3, 19, QdqOptions.SUPPORTED_OPS));
  }

  /**
   * The whole synthetic model: ONNX Runtime's value after each Q/DQ pair is, bit for bit, the
   * hand-computed fake quantization of the float value before it with the table's scale (and zero
   * point), each weight's DequantizeLinear gives the hand-quantized weight, and the output keeps
   * most of the float model's signal.
   */
  @ParameterizedTest(name = "{0} opset {1} ops {2}")
  @MethodSource("schemes")
  void everyPairIsTheFakeQuantizationByHand(QdqScheme scheme, int opset, List<String> ops)
      throws Exception {
    ModelProto floatModel = SyntheticModel.build(opset, scheme == QdqScheme.FP8_E4M3 ? 9 : 8);
    CalibrationTableDocument table =
        calibrate(floatModel, new QuantSpec(8, scheme.tableScheme(), ScaleRounding.EXACT));
    OnnxModel model = OnnxModel.of(floatModel, "synthetic.onnx");
    QdqOptions options = QdqOptions.of(ops, WeightGranularity.PER_CHANNEL);
    QdqResult r =
        QdqWriter.quantize(
            model, ActivationScales.from(table, null, scheme, "calibration.json"), options);
    assertEquals(List.of(), r.notInTable());

    List<String> exposed = new ArrayList<>();
    for (String t : r.activations()) {
      exposed.add(t);
      exposed.add(t + "_dequantized");
    }
    r.weights().forEach(w -> exposed.add(w + "_dequantized"));
    Map<String, FloatOutput> heldOut = inputs(99);
    Map<String, FloatOutput> out =
        OrtRunner.run(OrtRunner.exposing(r.model().proto(), exposed), heldOut, OptLevel.NO_OPT);
    int clipped = 0;
    for (String t : r.activations()) {
      MethodEntry m = table.tensor(t).method("max");
      float[] before = out.containsKey(t) ? out.get(t).values() : heldOut.get(t).values();
      float[] expected = new float[before.length];
      for (int i = 0; i < before.length; i++) {
        expected[i] = fakeQuantize(before[i], m.scale(), m.zeroPoint(), scheme);
        clipped += Math.abs(before[i]) > m.amax() ? 1 : 0;
      }
      assertArrayEquals(expected, out.get(t + "_dequantized").values(), t);
    }
    assertTrue(
        clipped > 0, "held-out values beyond the calibrated range are clipped, as they should");
    Map<String, Integer> axes = Map.of("w1", 0, "w2", 0, "w3", 1, "w4", 1, "w5", 0, "w6", 1);
    for (String w : r.weights()) {
      TensorProto original = model.constant(w).orElseThrow();
      assertArrayEquals(
          fakeQuantizeWeight(model.floatConstant(w), original.getDimsList(), axes.get(w), scheme),
          out.get(w + "_dequantized").values(),
          w);
    }

    // Output SQNR over eight held-out inputs (the output has 4 values per input).
    List<float[]> reference = new ArrayList<>();
    List<float[]> quantized = new ArrayList<>();
    for (long seed = 99; seed < 107; seed++) {
      reference.add(
          OrtRunner.run(floatModel.toByteArray(), inputs(seed), OptLevel.ALL_OPT)
              .get("out")
              .values());
      quantized.add(
          OrtRunner.run(r.model().toBytes(), inputs(seed), OptLevel.NO_OPT).get("out").values());
    }
    double db = sqnr(concat(reference), concat(quantized));
    System.out.printf(
        "synthetic %s opset %d %d ops: output SQNR %.1f dB against float%n",
        scheme.key(), opset, ops.size(), db);
    assertTrue(db > 20, "SQNR " + db + " dB");
    float[] optimized = runAsDeployed(scheme, r.model(), heldOut, true);
    assertTrue(
        sqnr(out.get("out").values(), optimized) > 40,
        "ORT's optimized run agrees with the plain one");
  }

  /**
   * Runs a Q/DQ model as a user would: ONNX Runtime's default optimizations, which fuse Q/DQ groups
   * into integer kernels. ONNX Runtime 1.29's CPU provider fuses FP8 groups too, into kernels
   * without an FP8 type (QLinearConv, QGemm, MatMulIntegerToFloat, a MaxPool fed FLOAT8), and then
   * refuses the graph; FP8 models run there at the "basic" level. docs/onnx-models.md says so;
   * {@code fp8Refused} checks it still holds.
   */
  private static float[] runAsDeployed(
      QdqScheme scheme, OnnxModel model, Map<String, FloatOutput> feed, boolean fp8Refused)
      throws OrtException {
    if (scheme != QdqScheme.FP8_E4M3) {
      return OrtRunner.run(model.toBytes(), feed, OptLevel.ALL_OPT).get("out").values();
    }
    try {
      float[] out = OrtRunner.run(model.toBytes(), feed, OptLevel.ALL_OPT).get("out").values();
      assertTrue(
          !fp8Refused,
          "ONNX Runtime now runs this FP8 model at its default level: update docs/onnx-models.md");
      return out;
    } catch (OrtException e) {
      assertTrue(e.getMessage().contains("float8e4m3fn"), e.getMessage());
      return OrtRunner.run(model.toBytes(), feed, OptLevel.BASIC_OPT).get("out").values();
    }
  }

  /** One-op models: the weighted ops, each with its weight axis. */
  static Stream<Arguments> singleOps() {
    return Stream.of(
        Arguments.of(
            "Conv",
            new long[] {6, 4, 3, 3},
            new long[] {1, 4, 5, 5},
            List.of(ints("pads", 1, 1, 1, 1)),
            0),
        Arguments.of(
            "Conv", new long[] {6, 2, 3, 3}, new long[] {1, 4, 5, 5}, List.of(attr("group", 2)), 0),
        Arguments.of(
            "ConvTranspose",
            new long[] {4, 3, 2, 2},
            new long[] {1, 4, 3, 3},
            List.of(ints("strides", 2, 2)),
            1),
        Arguments.of(
            "ConvTranspose",
            new long[] {4, 3, 2, 2},
            new long[] {1, 4, 3, 3},
            List.of(attr("group", 2)),
            -1),
        Arguments.of("Gemm", new long[] {5, 3}, new long[] {2, 5}, List.of(), 1),
        Arguments.of("Gemm", new long[] {3, 5}, new long[] {2, 5}, List.of(attr("transB", 1)), 0),
        Arguments.of("MatMul", new long[] {5, 3}, new long[] {2, 4, 5}, List.of(), 1));
  }

  /**
   * Exactly the float op on hand-fake-quantized input and weight: the Q/DQ model against the float
   * model whose weight was replaced by its fake quantization, fed the fake-quantized input.
   */
  @ParameterizedTest(name = "{0} weight {1} axis {4}")
  @MethodSource("singleOps")
  void aSingleOpIsTheFloatOpOnFakeQuantizedValues(
      String op, long[] weightDims, long[] inputDims, List<AttributeProto> attributes, int axis)
      throws Exception {
    for (QdqScheme scheme : QdqScheme.values()) {
      int opset = scheme == QdqScheme.FP8_E4M3 ? 19 : 13;
      float[] w = values(7, weightDims);
      float[] x = values(8, inputDims);
      ModelProto floatModel = single(op, weightDims, w, inputDims, attributes, opset, scheme);
      byte[] json =
          CalibrationTables.of(
              Map.of("x", x),
              List.of("max"),
              new QuantSpec(8, scheme.tableScheme(), ScaleRounding.EXACT));
      CalibrationTableDocument table =
          CalibrationJson.read(new ByteArrayInputStream(json), "calibration.json");
      QdqResult r =
          QdqWriter.quantize(
              OnnxModel.of(floatModel, op + ".onnx"),
              ActivationScales.from(table, null, scheme, "calibration.json"),
              QdqOptions.DEFAULTS);
      List<Site> sites = QdqPlacement.of(OnnxModel.of(floatModel, op), QdqOptions.DEFAULTS);
      assertEquals(
          axis,
          sites.stream().filter(s -> s.role() == Role.WEIGHT).findFirst().orElseThrow().axis());

      MethodEntry m = table.tensor("x").method("max");
      float[] fqX = new float[x.length];
      for (int i = 0; i < x.length; i++) {
        fqX[i] = fakeQuantize(x[i], m.scale(), m.zeroPoint(), scheme);
      }
      List<Long> dims = new ArrayList<>();
      for (long d : weightDims) {
        dims.add(d);
      }
      ModelProto reference =
          single(
              op,
              weightDims,
              fakeQuantizeWeight(w, dims, axis, scheme),
              inputDims,
              attributes,
              opset,
              scheme);
      float[] expected =
          OrtRunner.run(
                  reference.toByteArray(),
                  Map.of("x", new FloatOutput(inputDims, fqX)),
                  OptLevel.NO_OPT)
              .get("out")
              .values();
      Map<String, FloatOutput> feed = Map.of("x", new FloatOutput(inputDims, x));
      float[] plain = OrtRunner.run(r.model().toBytes(), feed, OptLevel.NO_OPT).get("out").values();
      assertArrayEquals(expected, plain, op + " " + scheme.key());
      float[] optimized = runAsDeployed(scheme, r.model(), feed, false);
      assertTrue(
          sqnr(expected, optimized) > 60,
          op + " " + scheme.key() + ": ORT's fused kernels agree to rounding");
    }
  }

  private static ModelProto single(
      String op,
      long[] weightDims,
      float[] w,
      long[] inputDims,
      List<AttributeProto> attributes,
      int opset,
      QdqScheme scheme) {
    return new GraphBuilder(op)
        .input("x", inputDims)
        .initializer("w", weightDims, w)
        .node(
            op, "op", List.of("x", "w"), List.of("out"), attributes.toArray(new AttributeProto[0]))
        .output("out")
        .model(opset, scheme == QdqScheme.FP8_E4M3 ? 9 : 8);
  }
}
