package dev.qcal.core.io;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.table.CalibrationTable;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The format registry: keys, file names, refusals, determinism and the wrapped qcal writers. */
class TableFormatTest {
  private static final String M = FormatTables.METHOD;

  /**
   * Names every format can carry: a path, non-ASCII (beyond U+FFFF too), a quote; no space or colon
   * (ncnn, dynamic range).
   */
  private static CalibrationTable plainTable() {
    return FormatTables.amaxes("conv1/out", 2.5, "é\"x\"", 0.5, "\uD83D\uDE00", 6.0, "zero", 0.0);
  }

  @Test
  void parsesKeysInOrderOnceEachCaseInsensitively() {
    assertEquals(
        List.of(TableFormat.TRT_CACHE, TableFormat.ORT_FLATBUFFERS, TableFormat.AIMET_2),
        TableFormat.parse(" trt-cache, ORT-flatbuffers,aimet-2,trt-cache,"));
    assertEquals(List.of(TableFormat.values()), TableFormat.parse("all"));
    assertEquals(TableFormat.PPQ_TRT_JSON_PPQ, TableFormat.of("ppq-trt-json:ppq"));
  }

  @Test
  void unknownOrEmptyKeysAreRefusedWithTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TableFormat.parse("trt-cache,onnx"));
    assertEquals(
        "Cannot use output format 'onnx': known formats are " + TableFormat.keys(), e.getMessage());
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> TableFormat.parse(" , "),
        "' , '",
        "name at least one of [qcal-json");
  }

  @Test
  void keysAndFileNamesAreUnique() {
    Set<String> keys = new HashSet<>(TableFormat.keys());
    Set<String> files = new HashSet<>();
    for (TableFormat f : TableFormat.values()) {
      files.add(f.fileName());
    }
    assertEquals(TableFormat.values().length, keys.size());
    assertEquals(TableFormat.values().length, files.size());
  }

  @ParameterizedTest
  @EnumSource(TableFormat.class)
  void sameTableSameBytesWhateverTheRowOrder(TableFormat f) {
    CalibrationTable a = plainTable();
    CalibrationTable b =
        FormatTables.amaxes("zero", 0.0, "\uD83D\uDE00", 6.0, "é\"x\"", 0.5, "conv1/out", 2.5);
    assertTrue(f.check(a, M).isEmpty(), f.key());
    byte[] first = FormatTables.bytes(f, a);
    assertTrue(first.length > 0, f.key());
    assertArrayEquals(first, FormatTables.bytes(f, a), f.key());
    assertArrayEquals(first, FormatTables.bytes(f, b), f.key());
  }

  @ParameterizedTest
  @EnumSource(TableFormat.class)
  void unknownMethodIsRefused(TableFormat f) {
    CalibrationTable t = plainTable();
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> f.check(t, "nope"),
        "Cannot write the " + f.key() + " of method nope: the table has [m]");
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> f.write(t, "nope", FormatOptions.defaults(), new ByteArrayOutputStream()),
        "Cannot write the " + f.key() + " of method nope: the table has [m]");
  }

  @Test
  void lineBreaksAreRefusedByEveryLineBasedFormatOnly() {
    CalibrationTable t = FormatTables.amaxes("ok", 1.0, "bad\nname", 2.0);
    Set<TableFormat> refusing = EnumSet.noneOf(TableFormat.class);
    for (TableFormat f : TableFormat.values()) {
      if (!f.check(t, M).isEmpty()) {
        refusing.add(f);
        assertEquals(
            List.of("bad\nname"),
            f.check(t, M).stream().map(TensorIssue::tensor).toList(),
            f.key());
      }
    }
    assertEquals(
        EnumSet.of(
            TableFormat.TRT_CACHE,
            TableFormat.TRT_DYNAMIC_RANGE,
            TableFormat.ORT_CACHE,
            TableFormat.NCNN),
        refusing);
  }

  @Test
  void anEmptyNameIsRefusedByEveryLineBasedFormatOnlyAndNeverWrittenAsAKeylessLine() {
    // Issue 14: an empty tensor name went into calibration.cache as ": 3e756ad6" without a word.
    CalibrationTable t = FormatTables.amaxes("ok", 1.0, "", 2.0);
    Set<TableFormat> refusing = EnumSet.noneOf(TableFormat.class);
    for (TableFormat f : TableFormat.values()) {
      if (!f.check(t, M).isEmpty()) {
        refusing.add(f);
        assertEquals(
            List.of(""), f.check(t, M).stream().map(TensorIssue::tensor).toList(), f.key());
        assertTrue(f.refusal(t, M).orElseThrow().contains("an empty name"), f.key());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrowsSaying(
            IllegalArgumentException.class,
            () -> f.write(t, M, FormatOptions.defaults(), out),
            f.key(),
            "tensor '': an empty name",
            "rename the tensor or skip this format");
        assertEquals(0, out.size(), f.key());
      } else {
        // The structured formats carry "" as a key.
        assertTrue(FormatTables.bytes(f, t).length > 0, f.key());
      }
    }
    assertEquals(
        EnumSet.of(
            TableFormat.TRT_CACHE,
            TableFormat.TRT_DYNAMIC_RANGE,
            TableFormat.ORT_CACHE,
            TableFormat.NCNN),
        refusing);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TensorRtCache.write(
                    t, M, TensorRtVersion.parse("8.6"), new ByteArrayOutputStream()));
    assertTrue(e.getMessage().contains("has an empty name"), e.getMessage());
  }

  @Test
  void refusalNamesTheFormatTheTensorsAndWhyAndNothingIsWritten() {
    CalibrationTable t = FormatTables.amaxes("a b", 1.0, "c d", 2.0, "ok", 3.0);
    Optional<String> refusal = TableFormat.NCNN.refusal(t, M);
    assertEquals(
        "Cannot write ncnn (ncnn.table) for method m: 2 tensors cannot be carried by this format:"
            + " tensor 'a b': white space in the name, and ncnn2int8 splits each line at white"
            + " space; tensor 'c d': white space in the name, and ncnn2int8 splits each line at"
            + " white space; rename the tensors or skip this format (the other formats are still"
            + " written)",
        refusal.orElseThrow());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TableFormat.NCNN.write(t, M, FormatOptions.defaults(), out));
    assertEquals(refusal.get(), e.getMessage());
    assertEquals(0, out.size());
    // The other formats still take the table.
    assertTrue(TableFormat.ORT_FLATBUFFERS.refusal(t, M).isEmpty());
  }

  @Test
  void colonsWarnForTheTensorRtCacheAndRefuseTheDynamicRangeText() {
    CalibrationTable t = FormatTables.amaxes("input_1:0", 1.0, "x", 2.0);
    assertEquals(
        List.of("input_1:0"),
        TableFormat.TRT_CACHE.warnings(t, M).stream().map(TensorIssue::tensor).toList());
    assertTrue(TableFormat.TRT_CACHE.check(t, M).isEmpty());
    assertEquals(
        List.of("input_1:0"),
        TableFormat.TRT_DYNAMIC_RANGE.check(t, M).stream().map(TensorIssue::tensor).toList());
    assertTrue(TableFormat.ORT_FLATBUFFERS.check(t, M).isEmpty());
    assertTrue(TableFormat.ORT_FLATBUFFERS.warnings(t, M).isEmpty());
  }

  @Test
  void zeroRangesAreListedByTheDynamicRangeFormats() {
    CalibrationTable t = plainTable();
    List<TableFormat> omitting = new ArrayList<>();
    for (TableFormat f : TableFormat.values()) {
      if (!f.omitted(t, M).isEmpty()) {
        assertEquals(
            List.of("zero"), f.omitted(t, M).stream().map(TensorIssue::tensor).toList(), f.key());
        omitting.add(f);
      }
    }
    assertEquals(
        List.of(
            TableFormat.TRT_CACHE,
            TableFormat.TRT_DYNAMIC_RANGE,
            TableFormat.ORT_FLATBUFFERS,
            TableFormat.ORT_CACHE,
            TableFormat.NCNN,
            TableFormat.PPQ_TRT_JSON,
            TableFormat.PPQ_TRT_JSON_PPQ),
        omitting);
  }

  @Test
  void wrapsTheQcalWritersAndPassesTheTensorRtVersion() {
    CalibrationTable t = plainTable();
    assertEquals(CalibrationJson.toJson(t), FormatTables.text(TableFormat.QCAL_JSON, t));
    assertEquals(CalibrationCsv.toCsv(t), FormatTables.text(TableFormat.CSV, t));
    assertEquals(
        TensorRtCache.toText(t, M, TensorRtVersion.DEFAULT),
        FormatTables.text(TableFormat.TRT_CACHE, t));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TableFormat.TRT_CACHE.write(
        t, M, FormatOptions.defaults().withTensorRtVersion(TensorRtVersion.parse("10.3.0")), out);
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("TRT-100300-EntropyCalibration2\n"));
  }

  @Test
  void aimet2NamesTheProducerVersionFromTheOptions() {
    CalibrationTable t = FormatTables.under(QuantSpec.affine(8)).range("x", -1, 2).build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TableFormat.AIMET_2.write(t, M, FormatOptions.defaults().withProducerVersion("0.9.0"), out);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"version\": \"0.9.0\""));
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> FormatOptions.defaults().withProducerVersion(" "),
        "producer version: it is blank");
  }
}
