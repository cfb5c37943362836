package dev.qcal.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.MaxCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.channel.ChannelCalibrator;
import dev.qcal.core.channel.ChannelRanges;
import dev.qcal.core.channel.ChannelStates;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.ScaleRounding;
import dev.qcal.core.quant.Scheme;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.ChannelCalibration;
import dev.qcal.core.table.TensorCalibration;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-channel parts of the formats: a weight whose channels hold (−1.5, 2.5), (0.5, −0.25) and
 * all zeros, max per channel, beside a per-tensor activation. AIMET's grids per channel are the
 * grids of a tensor with that channel's range (formats.json {@code aimet_qnn_encodings}: (−1.5,
 * 2.5) symmetric 8-bit → scale 0.01968503937007874, offset −128; asymmetric → offset −96).
 */
class ChannelFormatsTest {
  private final ObjectMapper mapper = new ObjectMapper();

  static CalibrationTable table(QuantSpec quant) {
    RangeStats[] channels = {
      RangeStats.of(-1.5f, 2.5f), RangeStats.of(0.5f, -0.25f), RangeStats.of(0f, 0f)
    };
    ChannelRanges ranges = new ChannelRanges(1, channels);
    ChannelCalibration cc =
        new ChannelCalibrator(List.of("max"), quant)
            .calibrate("w", new ChannelStates(ranges, Collections.nCopies(3, Map.of())));
    TensorCalibration w = row("w", ranges.union(), quant).withChannels(cc);
    TensorCalibration act = row("act", RangeStats.of(-1.5f, 2.5f), quant);
    return CalibrationTable.of(List.of(w, act), List.of("max"), quant);
  }

  static TensorCalibration row(String name, RangeStats stats, QuantSpec quant) {
    Map<String, CalibrationResult> results = new LinkedHashMap<>();
    results.put("max", new MaxCalibrator().calibrate(TensorStatistics.of(stats), quant));
    return new TensorCalibration(name, stats, results);
  }

  @Test
  void calibrationJsonCarriesTheChannelArraysAndStillReadsBack() throws Exception {
    CalibrationTable t = table(QuantSpec.symmetric(8));
    String text = CalibrationJson.toJson(t);
    JsonNode ch = mapper.readTree(text).get("tensors").get(1).get("channels");
    assertEquals(1, ch.get("axis").asInt());
    assertEquals(3, ch.get("count").asInt());
    assertEquals("[2.5,0.5,0.0]", ch.get("methods").get("max").get("amax").toString());
    assertEquals("[0,0,0]", ch.get("methods").get("max").get("zero_point").toString());
    assertEquals(
        (float) (2.5 / 127), (float) ch.get("methods").get("max").get("scale").get(0).asDouble());
    assertEquals(1.0, ch.get("methods").get("max").get("scale").get(2).asDouble());
    assertEquals("[2]", ch.get("flags").get("all_zero").toString());
    assertEquals(
        "[2]",
        ch.get("methods")
            .get("max")
            .get("notes")
            .get("all-zero tensor: zero range, scale set to 1")
            .toString());
    assertEquals("[-1.5,-0.25,0.0]", ch.get("stats").get("min").toString());
    assertFalse(mapper.readTree(text).get("tensors").get(0).has("channels"));
    // The reader ignores the block: the per-tensor table reads back as before.
    CalibrationTableDocument doc =
        CalibrationJson.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    assertEquals(2, doc.tensors().size());
  }

  @Test
  void aimetEncodingsPutPerChannelTensorsInTheParameterEncodings() throws Exception {
    CalibrationTable t = table(QuantSpec.symmetric(8));
    JsonNode v0 =
        mapper.readTree(AimetEncodings.toJson(t, "max", AimetEncodings.Version.V0_6_1, "test"));
    JsonNode w0 = v0.get("param_encodings").get("w");
    assertEquals(3, w0.size());
    assertEquals(0.01968503937007874, w0.get(0).get("scale").asDouble());
    assertEquals(-128, w0.get(0).get("offset").asInt());
    assertEquals("True", w0.get(0).get("is_symmetric").asText());
    assertEquals("True", v0.get("quantizer_args").get("per_channel_quantization").asText());
    assertTrue(v0.get("activation_encodings").has("act"));
    assertFalse(v0.get("activation_encodings").has("w"));

    JsonNode v1 =
        mapper.readTree(AimetEncodings.toJson(t, "max", AimetEncodings.Version.V1_0_0, "test"));
    JsonNode w1 = v1.get("param_encodings").get(0);
    assertEquals("PER_CHANNEL", w1.get("enc_type").asText());
    assertEquals(0.01968503937007874, w1.get("scale").get(0).asDouble());
    // AIMET widens a zero range to 0.01: scale 0.01/127 for the all-zero channel.
    assertEquals(0.01 / 127, w1.get("scale").get(2).asDouble());

    JsonNode v2 =
        mapper.readTree(AimetEncodings.toJson(t, "max", AimetEncodings.Version.V2_0_0, "test"));
    JsonNode w2 = v2.get("encodings").get(1);
    assertEquals("w", w2.get("name").asText());
    assertEquals("int8", w2.get("output_dtype").asText());
    assertEquals(1, w2.get("axis").asInt());
    assertFalse(w2.has("y_zero_point"));

    // Affine: uint8 grids with y_zero_point = −offset per channel (formats.json: (−1.5, 2.5) → 96).
    CalibrationTable affine = table(new QuantSpec(8, Scheme.AFFINE, ScaleRounding.EXACT));
    JsonNode a2 =
        mapper.readTree(
            AimetEncodings.toJson(affine, "max", AimetEncodings.Version.V2_0_0, "test"));
    JsonNode wa = a2.get("encodings").get(1);
    assertEquals("uint8", wa.get("output_dtype").asText());
    assertEquals(0.01568627450980392, wa.get("y_scale").get(0).asDouble());
    assertEquals(96, wa.get("y_zero_point").get(0).asInt());
  }

  @Test
  void ortOverridesListOneDictPerChannelWithTheAxisInTheFirst() throws Exception {
    CalibrationTable t = table(new QuantSpec(8, Scheme.AFFINE, ScaleRounding.EXACT));
    JsonNode o =
        mapper.readTree(
            OrtQuantOverrides.toJson(t, "max", OrtQuantOverrides.Mode.SCALE_ZERO_POINT));
    JsonNode w = o.get("w");
    assertEquals(3, w.size());
    assertEquals(1, w.get(0).get("axis").asInt());
    assertFalse(w.get(1).has("axis"));
    assertEquals("QUInt8", w.get(0).get("quant_type").asText());
    // formats.json onnxruntime_tensor_quant_overrides: (−1.5, 2.5) uint8 → 0.01568627543747425, zp
    // 96.
    assertEquals(0.01568627543747425, w.get(0).get("scale").asDouble());
    assertEquals(96, w.get(0).get("zero_point").asInt());
    assertEquals(1, o.get("act").size());
    JsonNode r = mapper.readTree(OrtQuantOverrides.toJson(t, "max", OrtQuantOverrides.Mode.RANGE));
    assertEquals(-0.25, r.get("w").get(1).get("rmin").asDouble());
    assertEquals(0.5, r.get("w").get(1).get("rmax").asDouble());
    assertFalse(r.get("w").get(1).get("symmetric").asBoolean());
  }

  @Test
  void formatsWithOneRangePerTensorSayTheyWriteItPerTensor() {
    CalibrationTable t = table(QuantSpec.symmetric(8));
    for (TableFormat f : TableFormat.values()) {
      List<TensorIssue> issues = f.perTensorOnly(t, "max");
      if (f.carriesChannels()) {
        assertTrue(issues.isEmpty(), f.key());
      } else {
        assertEquals(1, issues.size(), f.key());
        assertEquals("w", issues.get(0).tensor());
      }
    }
  }
}
