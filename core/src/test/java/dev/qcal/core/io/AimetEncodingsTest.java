package dev.qcal.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qcal.core.io.AimetEncodings.Version;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.testing.ReferenceVector;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AIMET / QNN encodings against formats.json {@code aimet_qnn_encodings} (AIMET's Python helper).
 */
class AimetEncodingsTest {
  private static final JsonNode CASES =
      ReferenceVector.load("formats.json").json().get("aimet_qnn_encodings");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String M = FormatTables.METHOD;

  static Stream<JsonNode> cases() {
    List<JsonNode> out = new ArrayList<>();
    CASES.forEach(out::add);
    return out.stream();
  }

  /** The vector's tensor "T": symmetric cases under qcal's symmetric scheme, others affine. */
  private static CalibrationTable table(JsonNode v) {
    int bits = v.get("bitwidth").asInt();
    QuantSpec quant =
        v.get("symmetric").asBoolean() ? QuantSpec.symmetric(bits) : QuantSpec.affine(bits);
    return FormatTables.under(quant)
        .range("T", v.get("input_min").asDouble(), v.get("input_max").asDouble())
        .build();
  }

  private static JsonNode write(CalibrationTable table, Version version) throws Exception {
    return MAPPER.readTree(AimetEncodings.toJson(table, M, version, "1.2.3"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void encodingIsAimetsPythonHelpers(JsonNode v) {
    AimetEncoding e = AimetEncoding.of(table(v).tensors().get(0).result(M));
    JsonNode py = v.get("python_create_encoding_from_min_max");
    AimetEncoding.Channel c = e.channels().get(0);
    assertEquals(py.get("min").asDouble(), c.min(), v.toString());
    assertEquals(py.get("max").asDouble(), c.max(), v.toString());
    assertEquals(py.get("scale").asDouble(), c.scale(), v.toString());
    assertEquals(py.get("offset").asLong(), c.offset(), v.toString());
    assertEquals(
        v.get("onnx_zero_point_equivalent").asLong(),
        v.get("symmetric").asBoolean() ? 0 : -c.offset());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void version061EntryIsTheVectors(JsonNode v) throws Exception {
    JsonNode json = write(table(v), Version.V0_6_1);
    assertEquals("0.6.1", json.get("version").asText());
    assertEquals(
        MAPPER.createArrayNode().add(v.get("v0_6_1_entry")),
        json.get("activation_encodings").get("T"));
    assertEquals(0, json.get("param_encodings").size());
    assertEquals(
        v.get("symmetric").asBoolean() ? "True" : "False",
        json.get("quantizer_args").get("is_symmetric").asText());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void version100EntryIsTheVectors(JsonNode v) throws Exception {
    JsonNode json = write(table(v), Version.V1_0_0);
    assertEquals("1.0.0", json.get("version").asText());
    assertEquals(
        MAPPER.createArrayNode().add(v.get("v1_0_0_entry")), json.get("activation_encodings"));
    assertTrue(json.get("param_encodings").isArray());
    assertTrue(json.get("quantizer_args").get("is_symmetric").isBoolean());
  }

  @ParameterizedTest
  @MethodSource("cases")
  void version200EntryIsTheVectorsDefaultUnsignedActivation(JsonNode v) throws Exception {
    JsonNode json = write(table(v), Version.V2_0_0);
    assertEquals("2.0.0", json.get("version").asText());
    ObjectNode producer = MAPPER.createObjectNode().put("package", "qcal").put("version", "1.2.3");
    assertEquals(producer, json.get("producer"));
    assertEquals(
        MAPPER.createArrayNode().add(v.get("v2_0_0_activation_entry_default_unsigned")),
        json.get("encodings"));
  }

  @Test
  void tiesRoundHalfToEvenAsPythonNotAwayAsTheCppCore() {
    int ties = 0;
    for (JsonNode v : CASES) {
      JsonNode py = v.get("python_create_encoding_from_min_max");
      JsonNode cpp = v.get("cpp_getComputedEncodings_port");
      if (!v.get("symmetric").asBoolean()
          && py.get("offset").asLong() != cpp.get("offset").asLong()) {
        ties++;
        AimetEncoding e = AimetEncoding.of(table(v).tensors().get(0).result(M));
        assertEquals(py.get("offset").asLong(), e.channels().get(0).offset());
        assertNotEquals(cpp.get("offset").asLong(), e.channels().get(0).offset());
      }
    }
    assertEquals(2, ties);
  }

  @Test
  void zeroRangeGetsAimetsMinimumRange() {
    // recompute_grid_params: max = max(0, max, min + 0.01), so [0, 0] becomes [0, 0.01]:
    // asymmetric scale 0.01/255, offset 0; symmetric scale 0.01/127, offset −128.
    CalibrationTable affine = FormatTables.under(QuantSpec.affine(8)).range("z", 0, 0).build();
    AimetEncoding.Channel a = AimetEncoding.of(affine.tensors().get(0).result(M)).channels().get(0);
    assertEquals(0.01 / 255, a.scale());
    assertEquals(0, a.offset());
    CalibrationTable sym = FormatTables.amaxes("z", 0.0);
    AimetEncoding.Channel s = AimetEncoding.of(sym.tensors().get(0).result(M)).channels().get(0);
    assertEquals(0.01 / 127, s.scale());
    assertEquals(-128, s.offset());
    assertEquals(-128 * (0.01 / 127), s.min());
  }

  @Test
  void unsignedSchemeIsAnAsymmetricGridFromZero() throws Exception {
    // qcal unsigned: scale amax/255, zero point 0 → AIMET offset 0, min 0, max 255·scale.
    CalibrationTable table = FormatTables.under(QuantSpec.unsigned(8)).amax("relu", 6.0).build();
    JsonNode entry = write(table, Version.V0_6_1).get("activation_encodings").get("relu").get(0);
    assertEquals(6.0 / 255, entry.get("scale").asDouble());
    assertEquals(0, entry.get("offset").asInt());
    assertEquals(0.0, entry.get("min").asDouble());
    assertEquals("False", entry.get("is_symmetric").asText());
    JsonNode v2 = write(table, Version.V2_0_0).get("encodings").get(0);
    assertEquals("uint8", v2.get("output_dtype").asText());
    assertTrue(!v2.has("y_zero_point"));
  }

  @Test
  void refusesFp8AndBitWidthsWithoutA200Dtype() {
    CalibrationTable six = FormatTables.under(QuantSpec.symmetric(6)).amax("a", 1.0).build();
    assertTrue(AimetEncodings.check(six, M, Version.V1_0_0).isEmpty());
    assertEquals(
        List.of(new TensorIssue("a", "encodings 2.0.0 have no 6-bit dtype (2, 4, 8 or 16 bits)")),
        AimetEncodings.check(six, M, Version.V2_0_0));
    CalibrationTable fp8 =
        FormatTables.under(QuantSpec.symmetric(8).withScheme(Scheme.FP8_E5M2))
            .amax("a", 1.0)
            .build();
    for (Version version : Version.values()) {
      assertEquals(1, AimetEncodings.check(fp8, M, version).size(), version.name());
    }
  }

  @Test
  void namesAreVerbatimInEveryVersion() throws Exception {
    String awkward = "fc \"out\"\n2, é:0 \uD83D\uDE00";
    CalibrationTable table = FormatTables.amaxes(awkward, 1.0);
    assertTrue(write(table, Version.V0_6_1).get("activation_encodings").has(awkward));
    assertEquals(
        awkward,
        write(table, Version.V1_0_0).get("activation_encodings").get(0).get("name").asText());
    assertEquals(
        awkward, write(table, Version.V2_0_0).get("encodings").get(0).get("name").asText());
  }
}
