package dev.qcal.core.io;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.core.io.PpqTensorRtJson.Convention;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.testing.ReferenceVector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ncnn's table, PPQ's TensorRT JSON and TensorRT's dynamic-range text against formats.json {@code
 * ncnn_table}, {@code ppq_tensorrt_json} and {@code tensorrt_dynamic_range_text_sampleINT8API}.
 */
class SmallTextFormatsTest {
  private static final JsonNode FORMATS = ReferenceVector.load("formats.json").json();
  private static final String M = FormatTables.METHOD;

  private static List<String> tensors(List<TensorIssue> issues) {
    return issues.stream().map(TensorIssue::tensor).toList();
  }

  // --- ncnn ---

  @Test
  void ncnnActivationLineIsTheVectors() {
    JsonNode act = FORMATS.get("ncnn_table").get("activation");
    CalibrationTable table = FormatTables.amaxes("conv1", act.get("amax").asDouble());
    assertEquals(act.get("line").asText(), NcnnTable.toText(table, M));
    assertEquals((float) act.get("ncnn_scale").asDouble(), NcnnTable.multiplier(2.5f));
  }

  @Test
  void ncnnMultipliersPrintAsTheVectorsWeightLine() {
    // Weight lines come with per-channel ranges; the number format is the same: 127/0.5, 127/0.25.
    JsonNode w = FORMATS.get("ncnn_table").get("weight_per_channel");
    StringBuilder line = new StringBuilder("conv1_param_0 ");
    for (JsonNode absmax : w.get("absmax")) {
      line.append(NcnnTable.printfF(NcnnTable.multiplier((float) absmax.asDouble()))).append(' ');
    }
    assertEquals(w.get("line").asText(), line.append('\n').toString());
  }

  // python3: '%f' % v (glibc printf: exact binary value, ties to even; Java's %f rounds half up
  // from the shortest decimal and gives 0.007813 and 0.023438 for the first two).
  @ParameterizedTest
  @CsvSource({
    "0.0078125, 0.007812",
    "0.0234375, 0.023438",
    "50.79999923706055, 50.799999",
    "1270.0, 1270.000000",
    "4.76837158203125E-7, 0.000000"
  })
  void printsLikeCPrintf(double v, String expected) {
    assertEquals(expected, NcnnTable.printfF(v));
  }

  @Test
  void ncnnRefusesNamesItsReaderCannotKeyAndLeavesOutZeroRanges() {
    String longName = "x".repeat(256);
    CalibrationTable table =
        FormatTables.amaxes(
            "ok:0/é",
            1.0,
            "a b",
            1.0,
            "tab\there",
            1.0,
            "",
            1.0,
            longName,
            1.0,
            "fc_param_0",
            1.0,
            "zero",
            0.0);
    assertEquals(
        List.of("", "a b", "fc_param_0", "tab\there", longName),
        tensors(NcnnTable.check(table, M)));
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> NcnnTable.toText(table, M),
        "tensor '': an empty name",
        "tensor 'a b': white space",
        "tensor 'fc_param_0': '_param_'",
        "longer than 255 bytes");
    assertEquals(List.of("zero"), tensors(NcnnTable.omitted(table, M)));
    CalibrationTable fine = FormatTables.amaxes("ok:0/é", 1.0, "x".repeat(255), 2.5, "zero", 0.0);
    assertEquals(
        "ok:0/é 127.000000 \n" + "x".repeat(255) + " 50.799999 \n", NcnnTable.toText(fine, M));
  }

  // --- PPQ ---

  @Test
  void ppqJsonIsByteIdenticalToPpqsExporterUnderPpqsConvention() {
    JsonNode ex = FORMATS.get("ppq_tensorrt_json").get("example_amax_2.5_ppq_symmetric");
    CalibrationTable table = FormatTables.amaxes("X", 2.5);
    assertEquals(
        ex.get("tensorrt_json").asText(), PpqTensorRtJson.toJson(table, M, Convention.PPQ));
    assertEquals(
        Double.parseDouble(ex.get("tensorrt_json_act_quant_info_value").asText()),
        PpqTensorRtJson.value(2.5f, Convention.PPQ));
  }

  @Test
  void ppqJsonWritesTheAmaxByDefault() throws Exception {
    CalibrationTable table = FormatTables.amaxes("X", 2.5, "y \"q\" é", 0.1, "zero", 0.0);
    String json = PpqTensorRtJson.toJson(table, M, Convention.AMAX);
    // python3: json.dumps({"act_quant_info": {...}}, indent=4)
    assertEquals(
        "{\n"
            + "    \"act_quant_info\": {\n"
            + "        \"X\": 2.5,\n"
            + "        \"y \\\"q\\\" \\u00e9\": 0.10000000149011612\n"
            + "    }\n"
            + "}",
        json);
    assertEquals(
        0.1f,
        (float)
            new ObjectMapper().readTree(json).get("act_quant_info").get("y \"q\" é").asDouble());
    assertEquals(List.of("zero"), tensors(PpqTensorRtJson.omitted(table, M)));
    assertEquals(
        "{\n    \"act_quant_info\": {}\n}",
        PpqTensorRtJson.toJson(FormatTables.amaxes(), M, Convention.AMAX));
  }

  // --- TensorRT dynamic range ---

  @Test
  void dynamicRangeLinesAreTheVectors() {
    JsonNode examples = FORMATS.get("tensorrt_dynamic_range_text_sampleINT8API").get("examples");
    JsonNode x = examples.get(0);
    assertEquals(
        x.get("line").asText() + "\n",
        TensorRtDynamicRange.toText(FormatTables.amaxes("X", x.get("amax").asDouble()), M));
    // NVIDIA's line has more digits than float32 needs; std::stof reads both as the same float.
    JsonNode gpu = examples.get(1);
    String ours =
        TensorRtDynamicRange.toText(
            FormatTables.amaxes("gpu_0/conv1_1", gpu.get("amax").asDouble()), M);
    String theirs = gpu.get("line").asText();
    assertEquals(
        Float.parseFloat(theirs.substring(theirs.indexOf(':') + 1)),
        Float.parseFloat(ours.substring(ours.indexOf(':') + 1).trim()));
    assertTrue(ours.startsWith("gpu_0/conv1_1:"));
  }

  @Test
  void dynamicRangeRefusesColonsAndLineBreaksAndLeavesOutZeroRanges() {
    CalibrationTable table =
        FormatTables.amaxes("input_1:0", 1.0, "a\nb", 1.0, "a b é", 2.0, "zero", 0.0);
    assertEquals(List.of("a\nb", "input_1:0"), tensors(TensorRtDynamicRange.check(table, M)));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TensorRtDynamicRange.toText(table, M));
    assertTrue(e.getMessage().contains("tensor 'input_1:0': a ':' in the name"), e.getMessage());
    CalibrationTable fine = FormatTables.amaxes("a b é", 2.0, "zero", 0.0);
    assertEquals("a b é:2.0\n", TensorRtDynamicRange.toText(fine, M));
    assertEquals(List.of("zero"), tensors(TensorRtDynamicRange.omitted(fine, M)));
  }
}
