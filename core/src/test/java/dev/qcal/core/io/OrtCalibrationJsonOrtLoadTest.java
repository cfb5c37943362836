package dev.qcal.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.ScaleRounding;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.core.testing.ReferenceVector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * qcal's {@code ort-json} against what ONNX Runtime 1.30.0 did with it: {@code
 * vectors/ort_calibration_cache_load.json} holds, per case, the table, the exact file qcal wrote,
 * what {@code load_tensors_data} read from it, and the activation scale and zero point {@code
 * quantize_static(calibration_data_reader=None, calibration_cache_path=...)} put into the Q/DQ
 * model (which then ran). This test keeps qcal writing those bytes and checks that ORT's numbers
 * are the ones qcal itself computes, under the option that matches each qcal scheme.
 */
class OrtCalibrationJsonOrtLoadTest {
  private static final JsonNode V = ReferenceVector.load("ort_calibration_cache_load.json").json();
  private static final String MIN_MAX = "CalibrationMethod.MinMax";

  /** The quantize_static options and the qcal scheme whose arithmetic they reproduce. */
  private static final Map<String, Scheme> OPTION_SCHEMES =
      Map.of(
          "extra_options ActivationSymmetric=True", Scheme.SYMMETRIC,
          "activation_type=QuantType.QUInt8", Scheme.AFFINE,
          "default (activation_type=QInt8)", Scheme.AFFINE_SIGNED);

  @Test
  void qcalWritesTheBytesOrtLoaded() {
    int n = 0;
    for (JsonNode c : V.get("cases")) {
      String method = c.get("method").asText();
      assertEquals(
          c.get("qcal_file").asText(), OrtCalibrationJson.toJson(table(c), method), label(c));
      assertTrue(c.get("load_tensors_data").get("ok").asBoolean(), label(c));
      n++;
    }
    assertEquals(9, n);
  }

  @Test
  void ortReadsEachRangeAsTheFloat32OfQcalsRangeWithTheMinMaxLabel() {
    for (JsonNode c : V.get("cases")) {
      JsonNode loaded = c.get("load_tensors_data");
      assertEquals(MIN_MAX, loaded.get("calibration_method").asText(), label(c));
      CalibrationTable table = table(c);
      String method = c.get("method").asText();
      List<String> expectedOrder = new ArrayList<>();
      Set<String> omitted = new HashSet<>();
      OrtCalibrationJson.omitted(table, method).forEach(i -> omitted.add(i.tensor()));
      for (TensorCalibration t : FormatSupport.byCodePoint(table)) {
        if (omitted.contains(t.name())) {
          continue;
        }
        expectedOrder.add(t.name());
        ClipRange r = t.result(method).range();
        JsonNode fields = loaded.get("tensors").get(t.name());
        assertEquals(
            List.of("lowest", "highest"), names(fields.fieldNames()), label(c) + " " + t.name());
        assertFloat32(fields.get("lowest"), (float) r.min(), label(c) + " " + t.name());
        assertFloat32(fields.get("highest"), (float) r.max(), label(c) + " " + t.name());
      }
      assertEquals(expectedOrder, names(loaded.get("tensor_order").elements()), label(c));
    }
  }

  @Test
  void ortsScaleAndZeroPointAreQcalsUnderTheMatchingOption() {
    int compared = 0;
    int affineUlps = 0;
    for (JsonNode c : V.get("cases")) {
      String method = c.get("method").asText();
      Map<String, ClipRange> ranges = new LinkedHashMap<>();
      table(c).tensors().forEach(t -> ranges.put(t.name(), t.result(method).range()));
      for (Map.Entry<String, Scheme> option : OPTION_SCHEMES.entrySet()) {
        JsonNode run = c.get("quantize_static").get(option.getKey());
        String where = label(c) + " " + option.getKey();
        assertTrue(run.get("ok").asBoolean(), where + ": " + run);
        assertTrue(run.get("ran").asBoolean(), where);
        assertTrue(run.get("cache_unchanged").asBoolean(), where);
        QuantSpec spec = new QuantSpec(8, option.getValue(), ScaleRounding.EXACT);
        for (Iterator<Map.Entry<String, JsonNode>> it = run.get("activation_qdq").fields();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          ClipRange r = ranges.get(e.getKey());
          if (overflowsOrtsFloat32Width(r, option.getValue())) {
            // ORT subtracts rmax − rmin in float32 and gets infinity (then an infinite scale).
            assertEquals(
                "7f800000", e.getValue().get("scale_hex").asText(), where + " " + e.getKey());
            continue;
          }
          QuantParams qcal = spec.params(new ClipRange((float) r.min(), (float) r.max()));
          float ortScale =
              Float.intBitsToFloat(
                  Integer.parseUnsignedInt(e.getValue().get("scale_hex").asText(), 16));
          int ortZero = e.getValue().get("zero_point").asInt();
          if (option.getValue() == Scheme.SYMMETRIC) {
            assertEquals(qcal.scale(), ortScale, where + " " + e.getKey());
            assertEquals(0, ortZero, where + " " + e.getKey());
          } else {
            // ORT's width is a float32 subtraction; qcal's is exact: the scales may differ by 1
            // ulp.
            QuantParams ort = ortAffine(spec, (float) r.min(), (float) r.max());
            assertEquals(ort.scale(), ortScale, where + " " + e.getKey());
            assertEquals(ort.zeroPoint(), ortZero, where + " " + e.getKey());
            assertTrue(
                Math.abs(qcal.scale() - ortScale) <= Math.ulp(ortScale), where + " " + e.getKey());
            assertEquals(qcal.zeroPoint(), ortZero, where + " " + e.getKey());
            affineUlps += qcal.scale() == ortScale ? 0 : 1;
          }
          compared++;
        }
      }
    }
    assertEquals(110, compared);
    // 6 of the 74 affine scales (3 ranges under both affine options) are 1 ulp off qcal's own;
    // every zero point and every symmetric scale is qcal's exactly.
    assertEquals(6, affineUlps);
  }

  @Test
  void theMethodLabelOnlyGatesTheCacheAndMinMaxIsQuantizeStaticsDefault() {
    for (JsonNode g : V.get("method_gate")) {
      boolean same = g.get("file_method").asText().equals(g.get("calibrate_method").asText());
      assertEquals(same, g.get("ok").asBoolean(), g.toString());
    }
    // qcal's label never needs calibrate_method: MinMax is quantize_static's default.
    for (JsonNode c : V.get("cases")) {
      assertTrue(
          c.get("qcal_file").asText().endsWith("\"value\": \"" + MIN_MAX + "\"}}"), label(c));
    }
  }

  @Test
  void qcalsFileKeepsToWhatLoadTensorsDataAccepts() throws Exception {
    JsonNode contract = V.get("load_contract");
    // The facts the checks below rely on, as ORT showed them.
    assertTrue(contract.get("as written").get("ok").asBoolean());
    for (String refused :
        List.of(
            "without calibration_method",
            "without data",
            "without numpy.array CLS",
            "dtype float64",
            "unknown TensorData field 'scale'",
            "calibration_method value 'CalibrationMethod.Histogram'")) {
      assertFalse(contract.get(refused).get("ok").asBoolean(), refused);
    }
    assertTrue(
        V.get("smooth_quant")
            .get("file without smooth_quant, run without SmoothQuant")
            .get("ok")
            .asBoolean());
    assertFalse(
        V.get("smooth_quant")
            .get("file with smooth_quant true, run without SmoothQuant")
            .get("ok")
            .asBoolean());

    Set<String> methods = Set.of("MinMax", "Entropy", "Percentile", "Distribution");
    Set<String> tensorFields =
        Set.of("avg", "std", "lowest", "highest", "hist", "hist_edges", "bins", "CLS");
    ObjectMapper json = new ObjectMapper();
    for (JsonNode c : V.get("cases")) {
      JsonNode file = json.readTree(c.get("qcal_file").asText());
      assertEquals(
          List.of("CLS", "data", "calibration_method"), names(file.fieldNames()), label(c));
      JsonNode m = file.get("calibration_method");
      assertEquals("CalibrationMethod", m.get("CLS").asText());
      assertTrue(
          methods.contains(m.get("value").asText().replace("CalibrationMethod.", "")), label(c));
      for (JsonNode t : file.get("data")) {
        assertTrue(tensorFields.containsAll(names(t.fieldNames())), label(c) + " " + t);
        for (String f : List.of("lowest", "highest")) {
          assertEquals("numpy.array", t.get(f).get("CLS").asText());
          assertEquals("float32", t.get(f).get("dtype").asText());
        }
      }
    }
  }

  @Test
  void ortNeedsEveryTensorItQuantizes() {
    for (JsonNode missing : V.get("missing_tensor")) {
      assertFalse(missing.get("ok").asBoolean());
      assertTrue(
          missing
              .get("message")
              .asText()
              .startsWith("Quantization parameters are not specified for param"));
    }
  }

  /**
   * ONNX Runtime's {@code compute_scale_zp} for an affine grid, as its numbers show: the range
   * widened to hold 0 in float32, its width {@code rmax − rmin} rounded to float32, divided by
   * {@code qmax − qmin} in double; the zero point {@code round_half_even(qmin − rmin / scale)} with
   * that double scale; the scale stored as float32; scale 1 and zero point 0 under float32's tiny.
   */
  private static QuantParams ortAffine(QuantSpec spec, float min, float max) {
    float rmin = Math.min(min, 0f);
    float rmax = Math.max(max, 0f);
    double scale = (double) (rmax - rmin) / (spec.qmax() - spec.qmin());
    if (scale < Float.MIN_NORMAL) {
      return new QuantParams(1f, 0, spec.qmin(), spec.qmax());
    }
    long zero = (long) Math.rint(spec.qmin() - rmin / scale);
    return new QuantParams((float) scale, (int) zero, spec.qmin(), spec.qmax());
  }

  /** ORT's float32 rmax − rmin overflows (symmetric widens to [−amax, amax] first). */
  private static boolean overflowsOrtsFloat32Width(ClipRange r, Scheme scheme) {
    float lo = Math.min((float) r.min(), 0f);
    float hi = Math.max((float) r.max(), 0f);
    if (scheme == Scheme.SYMMETRIC) {
      float amax = Math.max(-lo, hi);
      return Float.isInfinite(amax + amax);
    }
    return Float.isInfinite(hi - lo);
  }

  private static void assertFloat32(JsonNode field, float expected, String where) {
    assertEquals("float32", field.get("dtype").asText(), where);
    assertEquals("[1]", field.get("shape").toString(), where);
    assertEquals(hex(expected == 0 ? 0f : expected), field.get("hex").get(0).asText(), where);
  }

  private static String hex(float f) {
    return String.format(Locale.ROOT, "%08x", Float.floatToRawIntBits(f));
  }

  /** The case's table: its tensors' ranges per method under the case's scheme. */
  static CalibrationTable table(JsonNode c) {
    QuantSpec quant =
        new QuantSpec(
            8,
            Scheme.valueOf(c.get("scheme").asText().toUpperCase(Locale.ROOT)),
            ScaleRounding.EXACT);
    List<String> methods = names(c.get("methods").elements());
    List<TensorCalibration> rows = new ArrayList<>();
    for (JsonNode t : c.get("tensors")) {
      Map<String, CalibrationResult> results = new LinkedHashMap<>();
      for (String m : methods) {
        JsonNode r = t.get("ranges").get(m);
        results.put(
            m,
            CalibrationResult.builder(
                    m, new ClipRange(r.get(0).asDouble(), r.get(1).asDouble()), quant)
                .build());
      }
      JsonNode first = t.get("ranges").get(methods.get(0));
      RangeStats stats =
          RangeStats.of((float) first.get(0).asDouble(), (float) first.get(1).asDouble());
      rows.add(new TensorCalibration(t.get("name").asText(), stats, results));
    }
    return CalibrationTable.of(rows, methods, quant);
  }

  private static String label(JsonNode c) {
    return c.get("case").asText() + "/" + c.get("method").asText();
  }

  private static List<String> names(Iterator<?> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(x -> out.add(x instanceof JsonNode n ? n.asText() : x.toString()));
    return out;
  }
}
