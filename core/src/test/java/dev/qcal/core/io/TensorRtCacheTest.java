package dev.qcal.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.core.testing.ReferenceVector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The TensorRT calibration cache against formats.json's {@code tensorrt_calibration_cache}. */
class TensorRtCacheTest {
  private static final JsonNode VECTORS =
      ReferenceVector.load("formats.json").json().get("tensorrt_calibration_cache");

  static Stream<JsonNode> encode() {
    List<JsonNode> out = new ArrayList<>();
    VECTORS.get("encode").forEach(out::add);
    return out.stream();
  }

  static Stream<JsonNode> decodeReal() {
    List<JsonNode> out = new ArrayList<>();
    VECTORS.get("decode_real").forEach(out::add);
    return out.stream();
  }

  /** A table of the given (name, amax) pairs under one hand-made method. */
  private static CalibrationTable table(String method, Map<String, Double> amaxes) {
    List<TensorCalibration> rows = new ArrayList<>();
    amaxes.forEach(
        (name, amax) -> {
          CalibrationResult r =
              CalibrationResult.builder(method, ClipRange.symmetric(amax), QuantSpec.symmetric(8))
                  .build();
          rows.add(
              new TensorCalibration(
                  name, RangeStats.of((float) -amax, (float) (double) amax), Map.of(method, r)));
        });
    return CalibrationTable.of(rows, List.of(method), QuantSpec.symmetric(8));
  }

  private static String write(CalibrationTable table, String method, TensorRtVersion version) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TensorRtCache.write(table, method, version, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static TensorRtCache.Contents read(String text) {
    return TensorRtCache.readContents(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "cal.cache");
  }

  @ParameterizedTest
  @MethodSource("encode")
  void encodesEveryVectorAmax(JsonNode v) {
    double amax = v.get("amax").asDouble();
    float scale = QuantSpec.tensorRtScale(amax);
    assertEquals(v.get("hex").asText(), TensorRtCache.hex(scale), "amax " + amax);
    assertEquals(Double.parseDouble(v.get("scale_f32").asText()), (double) scale, "amax " + amax);
    // The ORT TensorRT EP reads back amax = scale * 127f in float32.
    assertEquals(
        Double.parseDouble(v.get("ort_trt_ep_readback_amax_f32").asText()),
        (double) TensorRtCache.amax(scale),
        "amax " + amax);

    // Through the writer and the reader.
    String text = write(table("entropy", Map.of("t", amax)), "entropy", TensorRtVersion.DEFAULT);
    assertEquals("TRT-8601-EntropyCalibration2\nt: " + v.get("hex").asText() + "\n", text);
    assertEquals(
        Float.floatToRawIntBits(scale), Float.floatToRawIntBits(read(text).scales().get("t")));
  }

  @Test
  void dividesInFloat32AfterRoundingAmaxToFloat32() {
    JsonNode ex = VECTORS.get("double_vs_float_division_example");
    double amax = ex.get("amax_double").asDouble();
    assertEquals(
        ex.get("hex_float32(amax)/127f").asText(),
        TensorRtCache.hex(QuantSpec.tensorRtScale(amax)));
    // The path we do not take, differing by one ulp: (float) (amax / 127.0).
    assertEquals(
        ex.get("hex_(float)(amax/127.0)").asText(), TensorRtCache.hex((float) (amax / 127.0)));
  }

  @ParameterizedTest
  @MethodSource("decodeReal")
  void decodesRealCacheLines(JsonNode v) {
    String line = v.get("tensor").asText() + ": " + v.get("hex").asText();
    TensorRtCache.Contents c = read("TRT-8600-EntropyCalibration2\n" + line + "\n");
    float scale = c.scales().get(v.get("tensor").asText());
    assertEquals(Double.parseDouble(v.get("scale").asText()), (double) scale, line);
    // The vectors' amax is scale·127 evaluated in double.
    assertEquals(Double.parseDouble(v.get("amax_scale_x_127").asText()), scale * 127.0, line);
    assertEquals(v.get("reencode").asText(), TensorRtCache.hex(scale), line);
  }

  @Test
  void splitsAtTheLastColonSpace() {
    JsonNode ex = VECTORS.get("name_with_colon");
    Map<String, Float> scales =
        read("TRT-100300-EntropyCalibration2\n" + ex.get("line").asText() + "\n").scales();
    String name = ex.get("rsplit_last_colon_space").get(0).asText();
    assertEquals(List.of(name), List.copyOf(scales.keySet()));
    assertEquals(
        ex.get("rsplit_last_colon_space").get(1).asText(), TensorRtCache.hex(scales.get(name)));
  }

  @Test
  void padsToEightDigitsAndReadsUnpaddedHex() {
    for (JsonNode v : VECTORS.get("nvidia_writer_no_zero_pad")) {
      float scale = (float) v.get("scale").asDouble();
      assertEquals(v.get("padded").asText(), TensorRtCache.hex(scale));
      float unpadded =
          read("TRT-8601-EntropyCalibration2\nx: " + v.get("nvidia").asText() + "\n")
              .scales()
              .get("x");
      assertEquals(Float.floatToRawIntBits(scale), Float.floatToRawIntBits(unpadded));
    }
  }

  @Test
  void writesTheFullFileExample() {
    JsonNode ex = VECTORS.get("full_file_example");
    byte[] reference = HexFormat.of().parseHex(ex.get("bytes_hex").asText());
    assertEquals(ex.get("byte_length").asInt(), reference.length);
    assertEquals(ex.get("text").asText(), new String(reference, StandardCharsets.US_ASCII));

    // Amax values of the example: 3ca14285 = 2.5/127, 3d418306 = 6/127, 3c010204 = 1/127
    // (docs/design/formats.md §2.4).
    Map<String, Double> amaxes = new LinkedHashMap<>();
    amaxes.put("X", 2.5);
    amaxes.put("conv1_out", 6.0);
    amaxes.put("(Unnamed Layer* 3) [Constant]_output", 1.0);
    byte[] ours =
        write(table("entropy", amaxes), "entropy", TensorRtVersion.parse("8.6.1"))
            .getBytes(StandardCharsets.UTF_8);

    // The example lists tensors in network order; we sort by name for determinism (TensorRT needs
    // no order, docs/design/formats.md §2.1). Same header, same lines, same 108 bytes: only the
    // order differs,
    // so compare against the example's lines in sorted order, byte for byte.
    String[] lines = ex.get("text").asText().split("\n");
    String[] tensorLines = Arrays.copyOfRange(lines, 1, lines.length);
    Arrays.sort(tensorLines);
    String sorted = lines[0] + "\n" + String.join("\n", tensorLines) + "\n";
    assertEquals(sorted, new String(ours, StandardCharsets.US_ASCII));
    assertEquals(reference.length, ours.length);
    assertEquals(
        "TRT-8601-EntropyCalibration2\n"
            + "(Unnamed Layer* 3) [Constant]_output: 3c010204\n"
            + "X: 3ca14285\n"
            + "conv1_out: 3d418306\n",
        new String(ours, StandardCharsets.US_ASCII));
    assertTrue(
        new String(ours, StandardCharsets.US_ASCII)
            .split("\n")[0].matches(VECTORS.get("header_regex").asText()));

    // The reader takes the example in its own order and decodes the amax values back.
    TensorRtCache.Contents back =
        TensorRtCache.readContents(new ByteArrayInputStream(reference), "example");
    assertEquals("TRT-8601-EntropyCalibration2", back.header());
    assertEquals(8601, back.versionCode());
    assertEquals("EntropyCalibration2", back.algorithm());
    assertEquals(
        List.of("X", "conv1_out", "(Unnamed Layer* 3) [Constant]_output"),
        List.copyOf(back.scales().keySet()));
    assertEquals(2.5f, TensorRtCache.amax(back.scales().get("X")));
    assertEquals(6.0f, TensorRtCache.amax(back.scales().get("conv1_out")));
    assertEquals(
        1.0f, TensorRtCache.amax(back.scales().get("(Unnamed Layer* 3) [Constant]_output")));
  }

  @Test
  void labelsTheMaxMethodMinMaxCalibration() {
    String text = write(table("max", Map.of("t", 2.5)), "max", TensorRtVersion.parse("10.3.0"));
    assertEquals("TRT-100300-MinMaxCalibration\nt: 3ca14285\n", text);
    assertTrue(text.split("\n")[0].matches(VECTORS.get("header_regex").asText()));
  }

  @ParameterizedTest
  @CsvSource({
    "7.1.3, 7103",
    "8.2.3, 8203",
    "8.5.10, 8510",
    "8.6.1, 8601",
    "8.6.1.6, 8601",
    "8.6, 8600",
    "10.3.0, 100300",
    "10.13.2, 101302",
    "8601, 8601",
    "7000, 7000",
    "100300, 100300",
  })
  void parsesVersions(String text, int code) {
    assertEquals(code, TensorRtVersion.parse(text).code());
  }

  @Test
  void versionCodesMatchTheVectors() {
    VECTORS
        .get("version_code")
        .get("examples")
        .fields()
        .forEachRemaining(
            e ->
                assertEquals(
                    e.getValue().asText(),
                    Integer.toString(TensorRtVersion.parse(e.getKey()).code())));
    assertEquals(8601, TensorRtVersion.DEFAULT.code());
    assertEquals("8.6.1", TensorRtVersion.DEFAULT.toString());
  }

  @ParameterizedTest
  @CsvSource({"8.10.0", "abc", "12345", "8.6.100", "''", "0.1.0"})
  void rejectsBadVersions(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TensorRtVersion.parse(text));
    assertTrue(e.getMessage().startsWith("Cannot "), e.getMessage());
    assertTrue(e.getMessage().contains(text) || e.getMessage().contains("8.10.0"), e.getMessage());
  }

  @Test
  void refusesANameWithALineBreakAndWritesNothing() {
    for (String name : List.of("a\nb", "a\rb")) {
      CalibrationTable t = table("entropy", Map.of("ok", 1.0, name, 1.0));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> TensorRtCache.write(t, "entropy", TensorRtVersion.DEFAULT, out));
      assertEquals(
          "Cannot write the TensorRT calibration cache: tensor '"
              + name.replace("\n", "\\n").replace("\r", "\\r")
              + "' has a line break in its name, and the cache format has no escaping; rename the"
              + " tensor or skip this output (the JSON and CSV outputs still carry it)",
          e.getMessage());
      assertEquals(0, out.size());
    }
  }

  @Test
  void omitsZeroRangesAndListsThem() {
    // The max method: conv1 has amax 2.5; the all-zero tensor and the NaN-only one have amax 0.
    CalibrationTable t =
        CalibrationTable.of(
            List.of(
                Tables.maxRow("conv1", Tables.INT8, -1.5f, 2.5f),
                Tables.maxRow("zeros", Tables.INT8, 0f, -0f),
                Tables.maxRow("nan_only", Tables.INT8, Float.NaN)),
            List.of("max"),
            Tables.INT8);
    assertEquals(
        "TRT-8601-MinMaxCalibration\nconv1: 3ca14285\n", write(t, "max", TensorRtVersion.DEFAULT));
    assertEquals(List.of("nan_only", "zeros"), TensorRtCache.omitted(t, "max"));
    // An amax beyond float32 has an infinite scale: omitted too, never written as 7f800000.
    CalibrationTable huge = table("entropy", Map.of("big", 1e39, "ok", 1.0));
    assertEquals(
        "TRT-8601-EntropyCalibration2\nok: 3c010204\n",
        write(huge, "entropy", TensorRtVersion.DEFAULT));
    assertEquals(List.of("big"), TensorRtCache.omitted(huge, "entropy"));
  }

  @Test
  void rejectsAnUnknownMethod() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> write(table("max", Map.of("t", 1.0)), "entropy", TensorRtVersion.DEFAULT));
    assertEquals(
        "Cannot write the TensorRT cache of method entropy: the table has [max]", e.getMessage());
  }

  @Test
  void readerNamesTheLineOfAMalformedCache() {
    InputFormatException e = assertThrows(InputFormatException.class, () -> read("hello\n"));
    assertEquals(
        "cal.cache: line 1: expected a header TRT-<version>-<algorithm>, not 'hello'",
        e.getMessage());
    e =
        assertThrows(
            InputFormatException.class,
            () -> read("TRT-8601-EntropyCalibration2\nx: 3ca14285\ny 3ca14285\n"));
    assertEquals(
        "cal.cache: line 3: expected '<tensor name>: <hex scale>', not 'y 3ca14285'",
        e.getMessage());
    e =
        assertThrows(
            InputFormatException.class, () -> read("TRT-8601-EntropyCalibration2\nx: 3ca14285g\n"));
    assertEquals(
        "cal.cache: line 2: expected '<tensor name>: <hex scale>', not 'x: 3ca14285g'",
        e.getMessage());
    e =
        assertThrows(
            InputFormatException.class, () -> read("TRT-8601-EntropyCalibration2\nx: 1\nx: 2\n"));
    assertEquals("cal.cache: line 3: tensor 'x' appears twice (first on line 2)", e.getMessage());
  }

  @Test
  void readerAcceptsCrlfAndBlankLines() {
    Map<String, Float> s = read("TRT-8601-EntropyCalibration2\r\nx: 3ca14285\r\n\r\n").scales();
    assertEquals(Map.of("x", Float.intBitsToFloat(0x3ca14285)), s);
    assertEquals(
        s,
        TensorRtCache.read(
            new ByteArrayInputStream(
                "TRT-8601-EntropyCalibration2\nx: 3ca14285".getBytes(StandardCharsets.UTF_8))));
  }
}
