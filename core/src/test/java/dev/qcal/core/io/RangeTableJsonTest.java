package dev.qcal.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.drift.DriftComparison;
import dev.qcal.core.drift.MethodRange;
import dev.qcal.core.drift.RangeTable;
import dev.qcal.core.drift.TensorRanges;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorFlag;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The baseline reader: what calibration.json writes reads back exactly; the rest is tolerated or
 * named.
 */
class RangeTableJsonTest {
  private static RangeTable read(String json) {
    return RangeTableJson.read(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "base/calibration.json");
  }

  private static String fails(String json) {
    return assertThrows(InputFormatException.class, () -> read(json)).getMessage();
  }

  @Test
  void readsBackWhatCalibrationJsonWritesExactly() {
    CalibrationTable table = Tables.threeTensors();
    RangeTable read = read(CalibrationJson.toJson(table));
    assertEquals(RangeTable.of(table), read);
    assertEquals(Scheme.SYMMETRIC, read.scheme());
    assertEquals(List.of("max", "entropy"), read.methods());
    TensorRanges conv1 = read.tensors().get(0);
    assertEquals("conv1", conv1.name());
    assertEquals(new MethodRange(-2.5, 2.5, 2.5f / 127f), conv1.methods().get("max"));
    assertEquals(Set.of(TensorFlag.HAS_NAN), conv1.flags());
    // The same table against itself: no drift at all, bit for bit.
    assertEquals(
        0.0,
        DriftComparison.compare(read, RangeTable.of(table), OptionalDouble.of(0))
            .worst()
            .orElseThrow()
            .change());
  }

  @Test
  void readsAffineMinAndMax() {
    CalibrationTable table =
        CalibrationTable.of(
            List.of(Tables.maxRow("relu", QuantSpec.affine(8), 0f, 1.5f, 3f)),
            List.of("max"),
            QuantSpec.affine(8));
    RangeTable read = read(CalibrationJson.toJson(table));
    assertEquals(Scheme.AFFINE, read.scheme());
    assertEquals(RangeTable.of(table), read);
    assertEquals(0.0, read.tensors().get(0).methods().get("max").min());
    assertEquals(3.0, read.tensors().get(0).methods().get("max").max());
  }

  @Test
  void toleratesUnknownFieldsFlagsAndNewerVersionsAndSkipsPerChannelResults() {
    RangeTable t =
        read(
            """
            {"format": "qcal.calibration", "version": 2, "producer": "qcal 9",
             "quant": {"scheme": "symmetric", "bits": 8, "granularity": "per_channel"},
             "methods": ["max"],
             "tensors": [
               {"name": "w", "flags": ["has_nan", "brand_new_flag"], "axis": 0,
                "methods": {"max": {"amax": [1.0, 2.0], "scale": [0.5, 1.0]}}},
               {"name": "x", "flags": [],
                "methods": {"max": {"amax": 1.27, "scale": 0.01, "extra": {"a": 1}}}}]}
            """);
    TensorRanges w = t.tensors().get(0);
    assertEquals(Set.of(TensorFlag.HAS_NAN), w.flags());
    assertTrue(w.methods().isEmpty());
    assertEquals("per-channel ranges are not compared", w.uncompared().get("max"));
    assertEquals(new MethodRange(-1.27, 1.27, 0.01), t.tensors().get(1).methods().get("max"));
  }

  @Test
  void namesTheFileWhenItIsNotAQcalTable() {
    assertEquals(
        "base/calibration.json: not a qcal calibration table (no 'format' field; expected a"
            + " calibration.json written by qcal)",
        fails("{\"conv1\": 0.5}"));
    assertEquals(
        "base/calibration.json: not a qcal calibration table ('format' is \"qcal.summary\","
            + " expected \"qcal.calibration\")",
        fails("{\"format\": \"qcal.summary\", \"version\": 1}"));
    assertTrue(
        fails("TRT-8601-EntropyCalibration2\nconv1: 3c010a14\n")
            .startsWith("base/calibration.json: not valid JSON"));
    assertTrue(fails("[1, 2]").startsWith("base/calibration.json: not a qcal calibration table"));
  }

  @Test
  void namesTheTensorMethodAndFieldItNeedsAndLacks() {
    String head =
        "{\"format\": \"qcal.calibration\", \"version\": 1, \"quant\": {\"scheme\": \"symmetric\","
            + " \"bits\": 8}, \"methods\": [\"max\"], ";
    assertEquals(
        "base/calibration.json: tensor 'conv1': method max: missing 'amax'",
        fails(
            head
                + "\"tensors\": [{\"name\": \"conv1\", \"flags\": [], \"methods\": {\"max\":"
                + " {\"scale\": 0.1}}}]}"));
    assertEquals(
        "base/calibration.json: tensor 'conv1': method max: missing 'scale'",
        fails(
            head
                + "\"tensors\": [{\"name\": \"conv1\", \"flags\": [], \"methods\": {\"max\":"
                + " {\"amax\": 1}}}]}"));
    assertEquals(
        "base/calibration.json: tensor 'conv1': missing 'flags'",
        fails(head + "\"tensors\": [{\"name\": \"conv1\", \"methods\": {}}]}"));
    assertEquals(
        "base/calibration.json: tensor 'a' appears twice",
        fails(
            head
                + "\"tensors\": [{\"name\": \"a\", \"flags\": [], \"methods\": {}}, {\"name\":"
                + " \"a\", \"flags\": [], \"methods\": {}}]}"));
    assertEquals(
        "base/calibration.json: 'quant': unknown scheme 'int3'",
        fails(
            "{\"format\": \"qcal.calibration\", \"version\": 1, \"quant\": {\"scheme\": \"int3\","
                + " \"bits\": 8}, \"methods\": [], \"tensors\": []}"));
    assertTrue(
        fails(
                head
                    + "\"tensors\": [{\"name\": \"c\", \"flags\": [], \"methods\": {\"max\":"
                    + " {\"amax\": 1, \"scale\": 0}}}]}")
            .startsWith(
                "base/calibration.json: tensor 'c': method max: Cannot build a method range"));
  }
}
