package dev.qcal.onnx.sensitivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.io.InputFormatException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ranking, choosing and the files of a {@link SensitivityReport}, on hand-made numbers. */
class SensitivityReportTest {
  /** Graph order: a, b, "c,d", e, f, g; the fully quantized model at 10 dB. */
  private static SensitivityReport report() {
    return new SensitivityReport(
        "m.onnx",
        "ab12",
        "t.json",
        "best",
        "symmetric",
        40,
        10,
        List.of(
            new NodeSensitivity("a", "Conv", 15),
            new NodeSensitivity("b", "Conv", Double.POSITIVE_INFINITY),
            new NodeSensitivity("c,d", "MatMul", 12),
            new NodeSensitivity("e", "Conv", 15),
            new NodeSensitivity("f", "Gemm", Double.NEGATIVE_INFINITY),
            new NodeSensitivity("g", "Conv", 16.5)));
  }

  @Test
  void nodesRankWorstFirstTiesInGraphOrder() {
    SensitivityReport r = report();
    assertEquals(
        List.of("f", "c,d", "a", "e", "g", "b"),
        r.nodes().stream().map(NodeSensitivity::node).toList());
    assertEquals(List.of("f", "c,d"), r.worst(2));
    assertEquals(List.of("f", "c,d", "a", "e"), r.below(16));
    assertEquals(List.of(), r.worst(0));
  }

  @Test
  void theSuggestionKeepsTheNodesCausingAQuarterOfTheNoise() {
    // Shares: f unbounded, c,d 10^-0.2 = 0.63, a and e 10^-0.5 = 0.316, g 10^-0.65 = 0.22.
    SensitivityReport r = report();
    assertEquals(0.316, r.noiseShare(r.nodes().get(2)), 1e-3);
    assertEquals(4, r.suggested());
    assertEquals(
        0,
        new SensitivityReport(
                "m",
                "s",
                "t",
                "max",
                "symmetric",
                1,
                10,
                List.of(new NodeSensitivity("a", "C", 20)))
            .suggested());
  }

  @Test
  void theJsonReadsBackAndTheCsvQuotesNames() {
    SensitivityReport r = report();
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    SensitivityJson.write(r, json);
    String text = json.toString(StandardCharsets.UTF_8);
    assertTrue(
        text.startsWith("{\n  \"format\": \"qcal.sensitivity\",\n  \"version\": 1,\n"), text);
    assertTrue(text.contains("\"suggested_keep_float\": [\n    \"f\",\n    \"c,d\",\n"), text);
    assertTrue(
        text.contains(
            "\"node\": \"b\",\n"
                + "      \"op\": \"Conv\",\n"
                + "      \"sqnr_db\": null,\n"
                + "      \"output\": \"exact\""),
        text);
    assertTrue(text.contains("\"sqnr_db\": 12.00,"), text);
    assertEquals(r, SensitivityJson.read(new ByteArrayInputStream(json.toByteArray()), "s.json"));

    ByteArrayOutputStream csv = new ByteArrayOutputStream();
    SensitivityJson.writeCsv(r, csv);
    List<String> lines = csv.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals("rank,node,op,sqnr_db,noise_share", lines.get(0));
    assertEquals("1,f,Gemm,,", lines.get(1));
    assertEquals("2,\"c,d\",MatMul,12.00,0.6310", lines.get(2));
    assertEquals("6,b,Conv,,0.000", lines.get(6));
  }

  @Test
  void aFileThatIsNotAReportIsNamed() {
    assertEquals(
        "s.json is not JSON", message("rank,node").substring(0, "s.json is not JSON".length()));
    assertTrue(
        message("{\"format\": \"qcal.calibration\"}").contains("is not a sensitivity report"));
    assertTrue(
        message("{\"format\": \"qcal.sensitivity\", \"version\": 2}")
            .contains("of version 2; this qcal reads version 1"));
    assertTrue(
        message("{\"format\": \"qcal.sensitivity\", \"version\": 1, \"nodes\": [{\"node\": 1}]}")
            .contains("has no \"node\""));
  }

  private static String message(String json) {
    return assertThrows(
            InputFormatException.class,
            () ->
                SensitivityJson.read(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "s.json"))
        .getMessage();
  }
}
