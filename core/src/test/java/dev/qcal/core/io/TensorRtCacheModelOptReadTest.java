package dev.qcal.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.core.testing.ReferenceVector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * qcal's {@code trt-cache} against NVIDIA ModelOpt's {@code calibration_cache_path} reader, as it
 * ran on qcal's files ({@code vectors/modelopt_calibration_cache_read.json}): the bytes qcal
 * writes, the scale ModelOpt reads for each tensor and puts into the Q/DQ model, and the names it
 * cannot take, which qcal warns about.
 */
class TensorRtCacheModelOptReadTest {
  private static final JsonNode V =
      ReferenceVector.load("modelopt_calibration_cache_read.json").json();
  private static final String M = "max";

  @Test
  void modelOptReadsQcalsScalesBitForBitAndPutsThemIntoTheModel() {
    int read = 0;
    for (JsonNode c : V.get("cases")) {
      CalibrationTable table = table(c);
      assertEquals(
          c.get("qcal_file").asText(),
          TensorRtCache.toText(table, M, TensorRtVersion.DEFAULT),
          case_(c));
      JsonNode imported = c.get("import_scales_from_calib_cache");
      if (!imported.get("ok").asBoolean()) {
        continue;
      }
      Map<String, String> expected = new LinkedHashMap<>();
      for (TensorCalibration t : table.tensors()) {
        float scale = QuantSpec.tensorRtScale(t.result(M).amax());
        if (!TensorRtCache.omitted(table, M).contains(t.name())) {
          expected.put(t.name(), TensorRtCache.hex(scale));
        }
      }
      Map<String, String> scales = new LinkedHashMap<>();
      imported
          .get("scales")
          .fields()
          .forEachRemaining(e -> scales.put(e.getKey(), e.getValue().asText()));
      Map<String, String> byTensor = new LinkedHashMap<>();
      expected.keySet().forEach(n -> byTensor.put(n + "_scale", expected.get(n)));
      assertEquals(byTensor, scales, case_(c));

      JsonNode replaced = c.get("replace_scale_values");
      assertTrue(replaced.get("ran").asBoolean(), case_(c));
      expected.forEach(
          (name, hex) -> {
            assertEquals(
                hex,
                replaced.get("activation_scales_after").get(name).asText(),
                case_(c) + " " + name);
            assertEquals(0, replaced.get("zero_points").get(name).asInt(), case_(c) + " " + name);
          });
      read++;
    }
    assertEquals(3, read);
  }

  @Test
  void zeroRangesAreLeftOutSoModelOptNeverSeesThem() {
    JsonNode c = V.get("cases").get(0);
    assertEquals(0.0, c.get("amax").get("zeros").asDouble());
    assertFalse(c.get("import_scales_from_calib_cache").get("scales").has("zeros_scale"));
  }

  @Test
  void qcalWarnsOfTheNamesModelOptCannotTake() {
    for (JsonNode c : V.get("cases")) {
      CalibrationTable table = table(c);
      List<String> warned =
          TableFormat.TRT_CACHE.warnings(table, M).stream().map(TensorIssue::tensor).toList();
      JsonNode imported = c.get("import_scales_from_calib_cache");
      List<String> mangled = new ArrayList<>();
      if (imported.get("ok").asBoolean()) {
        // The tensors ModelOpt's quantize() picks nodes by: a name it changed is one it loses.
        List<String> picked = names(c.get("quantized_tensors").elements());
        for (Iterator<String> it = imported.get("scales").fieldNames(); it.hasNext(); ) {
          String name = it.next().replaceAll("_scale$", "");
          if (!picked.contains(name)) {
            mangled.add(name);
          }
        }
      } else {
        assertEquals(
            "too many values to unpack (expected 2)", imported.get("message").asText(), case_(c));
      }
      for (TensorCalibration t : table.tensors()) {
        boolean modelOptLoses = t.name().contains(": ") || mangled.contains(t.name());
        if (modelOptLoses) {
          assertTrue(warned.contains(t.name()), case_(c) + " " + t.name());
        }
      }
    }
    assertEquals(
        List.of("x_scale_in"),
        TableFormat.TRT_CACHE.warnings(table(V.get("cases").get(3)), M).stream()
            .map(TensorIssue::tensor)
            .toList());
  }

  private static CalibrationTable table(JsonNode c) {
    QuantSpec quant = QuantSpec.symmetric(8);
    List<TensorCalibration> rows = new ArrayList<>();
    c.get("amax")
        .fields()
        .forEachRemaining(
            e -> {
              double amax = e.getValue().asDouble();
              CalibrationResult r =
                  CalibrationResult.builder(M, ClipRange.symmetric(amax), quant).build();
              rows.add(
                  new TensorCalibration(
                      e.getKey(), RangeStats.of((float) -amax, (float) amax), Map.of(M, r)));
            });
    return CalibrationTable.of(rows, List.of(M), quant);
  }

  private static String case_(JsonNode c) {
    return c.get("case").asText();
  }

  private static List<String> names(Iterator<JsonNode> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(n -> out.add(n.asText()));
    return out;
  }
}
