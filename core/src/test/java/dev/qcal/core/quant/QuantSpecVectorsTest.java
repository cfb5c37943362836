package dev.qcal.core.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.testing.ReferenceVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link QuantSpec} and {@link FakeQuant} against formats.json's quantization-arithmetic sections
 * (docs/design/formats.md §1). Cases whose grid or convention QuantSpec does not implement are
 * listed in {@link #conventionsQuantSpecDoesNotImplement} with the reason, not bent to fit.
 */
class QuantSpecVectorsTest {
  private static final JsonNode FORMATS = ReferenceVector.load("formats.json").json();

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  static String hex(float f) {
    return String.format(Locale.ROOT, "%08x", Float.floatToRawIntBits(f));
  }

  /**
   * The QuantSpec whose grid is [qmin, qmax] under the vector's symmetric flag, if there is one:
   * symmetric ↔ [−(2^(B−1)−1), 2^(B−1)−1] (TensorRT's narrow grid); affine ↔ [0, 2^B−1] (AFFINE) or
   * [−2^(B−1), 2^(B−1)−1] (AFFINE_SIGNED). PyTorch's reduce_range quint8 [0, 127] is simply the
   * 7-bit AFFINE grid.
   */
  static Optional<QuantSpec> specOf(long qmin, long qmax, boolean symmetric) {
    for (int b = 2; b <= 16; b++) {
      long half = 1L << (b - 1);
      if (symmetric && qmin == -(half - 1) && qmax == half - 1) {
        return Optional.of(QuantSpec.symmetric(b));
      }
      if (!symmetric && qmin == 0 && qmax == 2 * half - 1) {
        return Optional.of(QuantSpec.affine(b));
      }
      if (!symmetric && qmin == -half && qmax == half - 1) {
        return Optional.of(new QuantSpec(b, Scheme.AFFINE_SIGNED, ScaleRounding.EXACT));
      }
    }
    return Optional.empty();
  }

  private static Optional<QuantSpec> ortSpec(JsonNode v) {
    return specOf(v.get("qmin").asLong(), v.get("qmax").asLong(), v.get("symmetric").asBoolean());
  }

  private static Optional<QuantSpec> torchSpec(JsonNode v) {
    boolean symmetric = v.get("qscheme").asText().endsWith("symmetric");
    return specOf(v.get("quant_min").asLong(), v.get("quant_max").asLong(), symmetric);
  }

  private static boolean torchZeroRange(JsonNode v) {
    return v.get("min").asDouble() == 0 && v.get("max").asDouble() == 0;
  }

  static Stream<JsonNode> ortCases() {
    return list(FORMATS.get("onnxruntime_compute_scale_zp")).stream()
        .filter(v -> ortSpec(v).isPresent());
  }

  static Stream<JsonNode> torchCases() {
    return list(FORMATS.get("pytorch_minmax_observer").get("vectors")).stream()
        .filter(v -> torchSpec(v).isPresent() && !torchZeroRange(v));
  }

  static Stream<JsonNode> quantizeLinearCases() {
    return list(FORMATS.get("onnx_quantizelinear")).stream();
  }

  static Stream<JsonNode> trtCases() {
    return list(FORMATS.get("tensorrt_calibration_cache").get("encode")).stream();
  }

  @ParameterizedTest
  @MethodSource("ortCases")
  void matchesOnnxRuntimeComputeScaleZp(JsonNode v) {
    QuantSpec spec = ortSpec(v).orElseThrow();
    QuantParams p = spec.params(new ClipRange(v.get("rmin").asDouble(), v.get("rmax").asDouble()));
    assertEquals(v.get("scale_hex").asText(), hex(p.scale()), v.toString());
    assertEquals(v.get("zero_point").asInt(), p.zeroPoint(), v.toString());
    assertEquals(v.get("qmin").asLong(), p.qmin(), v.toString());
    assertEquals(v.get("qmax").asLong(), p.qmax(), v.toString());
  }

  @ParameterizedTest
  @MethodSource("torchCases")
  void matchesPyTorchMinMaxObserverWhereTheGridsAgree(JsonNode v) {
    // Only the per_tensor_affine cases map onto QuantSpec; PyTorch's affine formula is the same as
    // ORT's (scale = (max' − min')/(qmax − qmin), zp = qmin − rint(min'/scale)).
    QuantSpec spec = torchSpec(v).orElseThrow();
    QuantParams p = spec.params(new ClipRange(v.get("min").asDouble(), v.get("max").asDouble()));
    assertEquals(v.get("scale_hex").asText(), hex(p.scale()), v.toString());
    assertEquals(v.get("zero_point").asInt(), p.zeroPoint(), v.toString());
  }

  @Test
  void conventionsQuantSpecDoesNotImplement() {
    // ORT symmetric uint8 ([0, 254], zero point 127) and ORT reduce_range int8 symmetric
    // ([−64, 64], an odd 129-level grid with scale amax/64): neither is a grid QuantSpec has.
    // QuantSpec's UNSIGNED scheme is NVIDIA's unsigned grid [0, 2^B − 1] with zero point 0 instead.
    List<String> ort = new ArrayList<>();
    for (JsonNode v : FORMATS.get("onnxruntime_compute_scale_zp")) {
      if (ortSpec(v).isEmpty()) {
        ort.add(v.get("qtype").asText() + " " + v.get("qmin") + ".." + v.get("qmax"));
      }
    }
    assertEquals(List.of("uint8 0..254", "int8 -64..64"), ort);

    // PyTorch per_tensor_symmetric divides by (qmax − qmin)/2 = 127.5, not 127
    // (docs/design/formats.md §1.2):
    // its qint8 scale for amax 2.5 is 3ca0a0a1, TensorRT's (and QuantSpec's) is 3ca14285; quint8
    // symmetric adds zero point 128. Not implemented: a PyTorch symmetric scale converts to a
    // TensorRT amax as s·127, which is smaller than the observed amax by 127/127.5.
    List<String> torch = new ArrayList<>();
    for (JsonNode v : FORMATS.get("pytorch_minmax_observer").get("vectors")) {
      if (torchSpec(v).isEmpty()) {
        torch.add(
            v.get("dtype").asText()
                + " "
                + v.get("qscheme").asText()
                + " "
                + v.get("quant_min")
                + ".."
                + v.get("quant_max"));
        if (v.get("dtype").asText().equals("torch.qint8") && v.get("max").asDouble() == 2.5) {
          QuantParams ours = QuantSpec.symmetric(8).params(ClipRange.symmetric(2.5));
          assertNotEquals(v.get("scale_hex").asText(), hex(ours.scale()));
          assertEquals("3ca14285", hex(ours.scale()));
        }
      }
    }
    assertEquals(
        List.of(
            "torch.qint8 torch.per_tensor_symmetric -128..127",
            "torch.quint8 torch.per_tensor_symmetric 0..255",
            "torch.qint8 torch.per_tensor_symmetric -128..127",
            "torch.qint8 torch.per_tensor_symmetric -64..63"),
        torch);
  }

  @Test
  void zeroRangeFollowsOnnxRuntimeNotPyTorch() {
    // ORT: scale below float32 tiny → scale 1, zp 0 (vector). PyTorch floors the scale at
    // eps = 2^−23 (34000000) instead. QuantSpec takes ORT's convention: scale 1 keeps the grid
    // usable and never divides by a near-zero scale.
    for (JsonNode v : FORMATS.get("pytorch_minmax_observer").get("vectors")) {
      if (torchZeroRange(v)) {
        QuantParams ours = torchSpec(v).orElseThrow().params(new ClipRange(0, 0));
        assertEquals("34000000", v.get("scale_hex").asText());
        assertEquals("3f800000", hex(ours.scale()));
        assertEquals(v.get("zero_point").asInt(), ours.zeroPoint());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("quantizeLinearCases")
  void quantizesAsOnnxQuantizeLinear(JsonNode v) {
    boolean unsigned = v.get("dtype").asText().equals("uint8");
    QuantParams p =
        new QuantParams(
            (float) v.get("scale").asDouble(),
            v.get("zero_point").asInt(),
            unsigned ? 0 : -128,
            unsigned ? 255 : 127);
    JsonNode x = v.get("x");
    for (int i = 0; i < x.size(); i++) {
      long q = FakeQuant.quantize((float) x.get(i).asDouble(), p);
      assertEquals(v.get("onnx_y").get(i).asLong(), q, "x = " + x.get(i));
      assertEquals(v.get("torch_y").get(i).asLong(), q, "x = " + x.get(i));
    }
  }

  @Test
  void roundsHalfToEven() {
    // Math.rint is half-even, as numpy/torch/ONNX; half-up (Java's Math.round) and C's std::round
    // (half away from zero, AIMET's C++ core) differ at the ties 0.5, 2.5, −0.5.
    JsonNode v = FORMATS.get("rounding_pitfall");
    QuantParams unit = new QuantParams(1f, 0, -128, 127);
    for (int i = 0; i < v.get("values").size(); i++) {
      double x = v.get("values").get(i).asDouble();
      double even = v.get("rint_half_even").get(i).asDouble();
      assertEquals(even, Math.rint(x), "x = " + x);
      assertEquals((long) even, FakeQuant.quantize((float) x, unit), "x = " + x);
      // The vector's other columns are what their names say (half-up = floor(x + 0.5), half away
      // from zero = sign·floor(|x| + 0.5)); both differ from half-even on every value but 1.5.
      double halfUp = Math.floor(x + 0.5);
      double halfAway = Math.signum(x) * Math.floor(Math.abs(x) + 0.5);
      assertEquals(v.get("Math.round_half_up").get(i).asDouble(), halfUp, "x = " + x);
      assertEquals(v.get("cpp_std_round_half_away").get(i).asDouble(), halfAway, "x = " + x);
      assertEquals(x != 1.5, halfUp != even || halfAway != even, "x = " + x);
    }
  }

  @ParameterizedTest
  @MethodSource("trtCases")
  void symmetricInt8ScaleIsTheTensorRtScale(JsonNode v) {
    // QuantSpec.symmetric(8) is TensorRT's grid: its scale must be the cache's scale, bit for bit.
    double amax = v.get("amax").asDouble();
    QuantParams p = QuantSpec.symmetric(8).params(ClipRange.symmetric(amax));
    assertEquals(v.get("hex").asText(), hex(p.scale()), "amax " + amax);
    assertEquals(v.get("hex").asText(), hex(QuantSpec.tensorRtScale(amax)), "amax " + amax);
    assertEquals(0, p.zeroPoint());
  }
}
