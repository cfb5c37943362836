package dev.qcal.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.ScaleRounding;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.table.CalibrationTable;
import java.io.ByteArrayOutputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The 8-bit-only formats refuse a table calibrated for another grid; the others are written. */
class Int8FormatsTest {
  private static final String M = FormatTables.METHOD;

  private static CalibrationTable table(QuantSpec quant) {
    return FormatTables.under(quant).amax("conv1/out", 2.5).range("relu", 0, 6).build();
  }

  @Test
  void aThreeBitTableRefusesEveryEightBitFormatWithTheReason() {
    CalibrationTable t = table(QuantSpec.symmetric(3));
    Set<TableFormat> refused = EnumSet.noneOf(TableFormat.class);
    for (TableFormat f : TableFormat.values()) {
      f.refusal(t, M)
          .filter(r -> r.contains("carries only signed symmetric 8-bit scales"))
          .ifPresent(r -> refused.add(f));
    }
    assertEquals(
        EnumSet.of(
            TableFormat.TRT_CACHE,
            TableFormat.TRT_DYNAMIC_RANGE,
            TableFormat.ORT_FLATBUFFERS,
            TableFormat.ORT_JSON,
            TableFormat.ORT_CACHE,
            TableFormat.NCNN,
            TableFormat.PPQ_TRT_JSON,
            TableFormat.PPQ_TRT_JSON_PPQ),
        refused);
    assertEquals(
        "Cannot write trt-cache (calibration.cache) for method m: the format carries only signed"
            + " symmetric 8-bit scales (amax/127), and this table was calibrated for 3-bit"
            + " symmetric, so its ranges were chosen for another grid; calibrate with --bits 8"
            + " --scheme symmetric for this format (qcal-json, csv, ort-overrides and aimet-* carry"
            + " the bit width and scheme; the other formats are still written)",
        TableFormat.TRT_CACHE.refusal(t, M).orElseThrow());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TableFormat.TRT_CACHE.write(
                    t, M, FormatOptions.defaults(), new ByteArrayOutputStream()));
    assertTrue(
        e.getMessage().startsWith("Cannot write trt-cache")
            && e.getMessage().contains("the other formats are still written"),
        e.getMessage());
    // qcal's own formats and AIMET 1.0 carry the bit width: written.
    for (TableFormat f : List.of(TableFormat.QCAL_JSON, TableFormat.CSV, TableFormat.AIMET_1)) {
      assertTrue(f.refusal(t, M).isEmpty(), f.key());
      assertTrue(FormatTables.bytes(f, t).length > 0, f.key());
    }
  }

  @Test
  void otherSchemesAndWidthsAreRefusedTooButEightBitSymmetricIsNot() {
    for (QuantSpec q :
        List.of(
            QuantSpec.unsigned(8),
            QuantSpec.affine(8),
            new QuantSpec(8, Scheme.AFFINE_SIGNED, ScaleRounding.EXACT),
            new QuantSpec(8, Scheme.FP8_E4M3, ScaleRounding.EXACT),
            QuantSpec.symmetric(4),
            QuantSpec.symmetric(16))) {
      assertTrue(TableFormat.TRT_DYNAMIC_RANGE.refusal(table(q), M).isPresent(), q.toString());
      assertTrue(Int8Formats.refusal(TableFormat.NCNN, table(q), M).isPresent(), q.toString());
    }
    CalibrationTable int8 = table(QuantSpec.symmetric(8));
    for (TableFormat f : Int8Formats.FORMATS) {
      assertTrue(Int8Formats.refusal(f, int8, M).isEmpty(), f.key());
    }
  }
}
