package dev.qcal.core.io;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.core.io.OrtQuantOverrides.Mode;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.ScaleRounding;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.testing.ReferenceVector;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ORT TensorQuantOverrides JSON against formats.json {@code onnxruntime_tensor_quant_overrides}.
 */
class OrtQuantOverridesTest {
  private static final JsonNode FORMATS = ReferenceVector.load("formats.json").json();
  private static final JsonNode ON_DISK =
      FORMATS.get("onnxruntime_tensor_quant_overrides").get("json_on_disk");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String M = FormatTables.METHOD;

  private static JsonNode parse(CalibrationTable table, Mode mode) throws Exception {
    return MAPPER.readTree(OrtQuantOverrides.toJson(table, M, mode));
  }

  @Test
  void scaleAndZeroPointEntryIsTheVectors() throws Exception {
    // X: (−1.5, 2.5) as uint8 asymmetric → scale 3c808081 = 0.01568627543747425, zero point 96.
    CalibrationTable table = FormatTables.under(QuantSpec.affine(8)).range("X", -1.5, 2.5).build();
    JsonNode json = parse(table, Mode.SCALE_ZERO_POINT);
    assertEquals(ON_DISK.get("X"), json.get("X"));
    assertEquals(1, json.size());
  }

  @Test
  void rangeEntryCarriesTheVectorsRminRmaxWithTypeAndSymmetry() throws Exception {
    CalibrationTable table = FormatTables.under(QuantSpec.affine(8)).range("Y", -1.5, 2.5).build();
    JsonNode y = parse(table, Mode.RANGE).get("Y").get(0);
    JsonNode expected = ON_DISK.get("Y").get(0);
    assertEquals(expected.get("rmin"), y.get("rmin"));
    assertEquals(expected.get("rmax"), y.get("rmax"));
    assertEquals("QUInt8", y.get("quant_type").asText());
    assertEquals(false, y.get("symmetric").asBoolean());
    assertEquals(4, y.size());
  }

  @Test
  void symmetricTableIsQInt8Symmetric() throws Exception {
    // The vector's W entry {"quant_type": "QInt8", "symmetric": true}, plus the range.
    CalibrationTable table = FormatTables.amaxes("W", 2.5);
    JsonNode w = parse(table, Mode.RANGE).get("W").get(0);
    JsonNode expected = ON_DISK.get("W").get(0);
    assertEquals(expected.get("quant_type"), w.get("quant_type"));
    assertEquals(expected.get("symmetric"), w.get("symmetric"));
    assertEquals(-2.5, w.get("rmin").asDouble());
    assertEquals(2.5, w.get("rmax").asDouble());
    // Scale mode: ORT's symmetric int8 scale amax/127 (3ca14285) and zero point 0.
    JsonNode s = parse(table, Mode.SCALE_ZERO_POINT).get("W").get(0);
    assertEquals(0.019685039296746254, s.get("scale").asDouble());
    assertEquals(0, s.get("zero_point").asInt());
  }

  @Test
  void everyOrtComputeScaleZpCaseOnAQcalGridIsWrittenAsOrtComputesIt() throws Exception {
    int n = 0;
    for (JsonNode v : FORMATS.get("onnxruntime_compute_scale_zp")) {
      QuantSpec spec = specOf(v);
      if (spec == null) {
        continue; // uint8 symmetric [0, 254] and reduce_range int8 [−64, 64]: no qcal grid
      }
      CalibrationTable table =
          FormatTables.under(spec)
              .range("T", v.get("rmin").asDouble(), v.get("rmax").asDouble())
              .build();
      JsonNode t = parse(table, Mode.SCALE_ZERO_POINT).get("T").get(0);
      String qtype = v.get("qtype").asText();
      // numpy dtype name → ORT QuantType member: uint8 → QUInt8, int16 → QInt16.
      String member =
          qtype.startsWith("uint") ? "QUInt" + qtype.substring(4) : "QInt" + qtype.substring(3);
      assertEquals(member, t.get("quant_type").asText(), v.toString());
      assertEquals(
          (double) Float.parseFloat(v.get("scale_f32").asText()),
          t.get("scale").asDouble(),
          v.toString());
      assertEquals(v.get("zero_point").asInt(), t.get("zero_point").asInt(), v.toString());
      n++;
    }
    assertEquals(12, n);
  }

  private static QuantSpec specOf(JsonNode v) {
    long qmin = v.get("qmin").asLong();
    long qmax = v.get("qmax").asLong();
    boolean symmetric = v.get("symmetric").asBoolean();
    for (int b : new int[] {4, 8, 16}) {
      long half = 1L << (b - 1);
      if (symmetric && qmin == -(half - 1) && qmax == half - 1) {
        return QuantSpec.symmetric(b);
      }
      if (!symmetric && qmin == 0 && qmax == 2 * half - 1) {
        return QuantSpec.affine(b);
      }
      if (!symmetric && qmin == -half && qmax == half - 1) {
        return new QuantSpec(b, Scheme.AFFINE_SIGNED, ScaleRounding.EXACT);
      }
    }
    return null;
  }

  @Test
  void unsignedSchemeIsQUInt8WithZeroPointZeroOverZeroToAmax() throws Exception {
    CalibrationTable table = FormatTables.under(QuantSpec.unsigned(8)).amax("relu", 6.0).build();
    JsonNode s = parse(table, Mode.SCALE_ZERO_POINT).get("relu").get(0);
    assertEquals("QUInt8", s.get("quant_type").asText());
    assertEquals((double) (6f / 255f), s.get("scale").asDouble());
    assertEquals(0, s.get("zero_point").asInt());
    JsonNode r = parse(table, Mode.RANGE).get("relu").get(0);
    assertEquals(0.0, r.get("rmin").asDouble());
    assertEquals(6.0, r.get("rmax").asDouble());
    assertEquals(false, r.get("symmetric").asBoolean());
  }

  @Test
  void refusesBitWidthsAndSchemesWithoutAnOrtType() {
    CalibrationTable six =
        FormatTables.under(QuantSpec.symmetric(6)).amax("a", 1.0).amax("b", 2.0).build();
    assertEquals(
        List.of(
            new TensorIssue("a", "ORT has no 6-bit quant type (QInt4/8/16, QUInt4/8/16)"),
            new TensorIssue("b", "ORT has no 6-bit quant type (QInt4/8/16, QUInt4/8/16)")),
        OrtQuantOverrides.check(six, M));
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> OrtQuantOverrides.toJson(six, M, Mode.RANGE),
        "tensor 'a': ORT has no 6-bit quant type",
        "tensor 'b'");
    CalibrationTable fp8 =
        FormatTables.under(QuantSpec.symmetric(8).withScheme(Scheme.FP8_E4M3))
            .amax("a", 1.0)
            .build();
    assertEquals(1, OrtQuantOverrides.check(fp8, M).size());
  }

  @Test
  void namesAreVerbatimAndOutputIsDeterministic() throws Exception {
    String awkward = "fc \"out\"\n2, é:0 \uD83D\uDE00";
    CalibrationTable table = FormatTables.amaxes(awkward, 1.0, "b", 2.0);
    String a = OrtQuantOverrides.toJson(table, M, Mode.SCALE_ZERO_POINT);
    assertEquals(
        a,
        OrtQuantOverrides.toJson(
            FormatTables.amaxes("b", 2.0, awkward, 1.0), M, Mode.SCALE_ZERO_POINT));
    assertTrue(MAPPER.readTree(a).has(awkward));
    assertTrue(a.endsWith("}\n"));
  }
}
