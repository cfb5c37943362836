package dev.qcal.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.testing.ReferenceVector;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ORT's calibration.cache and calibration.json layouts against formats.json {@code
 * onnxruntime_calibration_cache_text} and {@code onnxruntime_calibration_json_minmax_example}.
 */
class OrtCalibrationTextTest {
  private static final JsonNode FORMATS = ReferenceVector.load("formats.json").json();
  private static final String M = FormatTables.METHOD;

  @Test
  void cacheLinesAreOrtsOldValueMaxAbs() {
    int n = 0;
    for (JsonNode v : FORMATS.get("onnxruntime_calibration_cache_text").get("vectors")) {
      double lo = v.get("lowest_f32").asDouble();
      double hi = v.get("highest_f32").asDouble();
      CalibrationTable table = FormatTables.under(QuantSpec.affine(8)).range("T", lo, hi).build();
      assertEquals(
          v.get("line_old_ort_and_trt_semantics").asText() + "\n",
          OrtCalibrationCache.toText(table, M),
          v.toString());
      n++;
    }
    assertEquals(7, n);
  }

  @Test
  void cacheSortsByCodePointKeepsNamesVerbatimAndLeavesOutZeroRanges() {
    // U+FF5E sorts before U+1F600 by code point (Python), after it by UTF-16 units
    // (String.compareTo).
    CalibrationTable table =
        FormatTables.amaxes(
            "\uD83D\uDE00", 1.0, "\uFF5E", 2.0, "a b", 0.5, "input_1:0", 6.0, "zero", 0.0);
    assertEquals(
        "a b 0.5\ninput_1:0 6.0\n\uFF5E 2.0\n\uD83D\uDE00 1.0\n",
        OrtCalibrationCache.toText(table, M));
    assertEquals(
        List.of("zero"),
        OrtCalibrationCache.omitted(table, M).stream().map(TensorIssue::tensor).toList());
    assertEquals(
        List.of("a b"),
        OrtCalibrationCache.warnings(table, M).stream().map(TensorIssue::tensor).toList());
    assertTrue(OrtCalibrationCache.check(table, M).isEmpty());
  }

  @Test
  void cacheRefusesLineBreaks() {
    CalibrationTable table = FormatTables.amaxes("ok", 1.0, "bad\nname", 2.0);
    assertEquals(
        List.of("bad\nname"),
        OrtCalibrationCache.check(table, M).stream().map(TensorIssue::tensor).toList());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OrtCalibrationCache.toText(table, M));
    assertEquals(
        "Cannot write the ONNX Runtime calibration.cache: tensor 'bad\\n"
            + "name': a line break in the name, and the format is one line per tensor with no"
            + " escaping",
        e.getMessage());
  }

  @Test
  void jsonIsByteIdenticalToOrtsMinMaxExample() {
    JsonNode ex = FORMATS.get("onnxruntime_calibration_json_minmax_example");
    JsonNode x = ex.get("tensors").get("X");
    CalibrationTable table =
        FormatTables.under(QuantSpec.affine(8))
            .range("X", x.get("lowest").get(0).asDouble(), x.get("highest").get(0).asDouble())
            .build();
    assertEquals(ex.get("json").asText(), OrtCalibrationJson.toJson(table, M));
  }

  @Test
  void jsonEscapesLikePythonAndReadsBackVerbatim() throws Exception {
    String awkward = "fc \"out\"\n2, é:0";
    CalibrationTable table = FormatTables.amaxes(awkward, 0.1, "zero", 0.0);
    String json = OrtCalibrationJson.toJson(table, M);
    // python3: json.dumps of the same TensorsData dict (zero range written as 0.0, sign dropped).
    assertEquals(
        "{\"CLS\": \"TensorsData\", \"data\": {\"fc \\\"out\\\"\\n"
            + "2, \\u00e9:0\": {\"lowest\": {\"data\": [-0.10000000149011612], \"dtype\":"
            + " \"float32\", \"CLS\": \"numpy.array\"}, \"highest\": {\"data\":"
            + " [0.10000000149011612], \"dtype\": \"float32\", \"CLS\": \"numpy.array\"}, \"CLS\":"
            + " \"TensorData\"}, \"zero\": {\"lowest\": {\"data\": [0.0], \"dtype\": \"float32\","
            + " \"CLS\": \"numpy.array\"}, \"highest\": {\"data\": [0.0], \"dtype\": \"float32\","
            + " \"CLS\": \"numpy.array\"}, \"CLS\": \"TensorData\"}}, \"calibration_method\":"
            + " {\"CLS\": \"CalibrationMethod\", \"value\": \"CalibrationMethod.MinMax\"}}",
        json);
    JsonNode parsed = new ObjectMapper().readTree(json);
    assertEquals(List.of(awkward, "zero"), List.copyOf(iterable(parsed.get("data").fieldNames())));
  }

  @Test
  void emptyJsonHasAnEmptyDataObject() {
    CalibrationTable table = FormatTables.amaxes();
    assertEquals(
        "{\"CLS\": \"TensorsData\", \"data\": {}, \"calibration_method\": {\"CLS\":"
            + " \"CalibrationMethod\", \"value\": \"CalibrationMethod.MinMax\"}}",
        OrtCalibrationJson.toJson(table, M));
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
