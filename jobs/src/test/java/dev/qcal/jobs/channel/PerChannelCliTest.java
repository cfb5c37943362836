package dev.qcal.jobs.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.jobs.channel.ChannelDumps.ChannelRow;
import dev.qcal.jobs.channel.ChannelDumps.ShapeRow;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-channel runs from the command line: the formats that carry channels (calibration.json, AIMET
 * 1.0.0 and 2.0.0, ORT overrides) written per channel and read back, the others per tensor with a
 * warning; and every bad per-channel input with its exit code and a message naming the tensor, file
 * and row or column.
 */
@ExtendWith(SharedSpark.class)
class PerChannelCliTest {
  @TempDir Path tmp;
  private final ObjectMapper json = new ObjectMapper();

  private Path out() {
    return tmp.resolve("out");
  }

  private Qcal.Result calibrate(Path input, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("calibrate", "--input", input.toString(), "--output", out().toString()));
    args.addAll(Arrays.asList(extra));
    return Qcal.run(args.toArray(new String[0]));
  }

  private void assertFails(int code, Qcal.Result r, String... parts) {
    assertEquals(code, r.code(), r::toString);
    for (String part : parts) {
      assertTrue(r.err().contains(part), "stderr lacks '" + part + "':\n" + r.err());
    }
    assertFalse(Files.exists(out()), "a failed run left an output directory");
  }

  private Path channelDump(SparkSession spark, String name, List<ChannelRow> rows) {
    Path dir = tmp.resolve(name);
    ChannelDumps.withChannels(spark, dir.toString(), rows, DataTypes.IntegerType, 1);
    return dir;
  }

  private static List<ChannelRow> weight() {
    List<ChannelRow> rows = new ArrayList<>();
    rows.add(new ChannelRow("w", 0, new float[] {0.5f, -0.25f, 0.125f}));
    rows.add(new ChannelRow("w", 1, new float[] {-1f, 0.75f}));
    rows.add(new ChannelRow("w", 2, new float[] {2f, -2.5f, 1f}));
    rows.add(new ChannelRow("act", 0, new float[] {-1.5f, 2.5f, 0.5f}));
    return rows;
  }

  @Test
  void formatsThatCarryChannelsWriteThemOthersWritePerTensorAndSaySo(SparkSession spark)
      throws IOException {
    Path dump = channelDump(spark, "formats", weight());
    Qcal.Result r =
        calibrate(
            dump,
            "--channel-column",
            "channel",
            "--per-channel-tensors",
            "w",
            "--methods",
            "max,entropy",
            "--formats",
            "qcal-json,aimet-1,aimet-2,ort-overrides,ort-overrides-range,trt-cache,csv");
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.err().contains("calibration.cache writes per tensor 1 tensor(s)"), r.err());
    assertTrue(r.err().contains("calibration.csv writes per tensor 1 tensor(s)"), r.err());

    String report = Files.readString(out().resolve("report.html"));
    assertTrue(report.contains("per-channel ×3 (axis 0)"), "the summary row says w is per channel");
    assertTrue(
        report.contains("per channel: scale 0.003937 … 0.01969"), "and the range of its scales");
    JsonNode table = json.readTree(out().resolve("calibration.json").toFile());
    JsonNode w = table.get("tensors").get(1);
    assertEquals("w", w.get("name").asText());
    JsonNode ch = w.get("channels");
    assertEquals(0, ch.get("axis").asInt());
    assertEquals(3, ch.get("count").asInt());
    assertEquals("[3,2,3]", ch.get("stats").get("count").toString());
    assertEquals("[0.5,1.0,2.5]", ch.get("methods").get("max").get("amax").toString());
    assertFalse(ch.get("methods").has("entropy"), "entropy runs per tensor only");
    assertFalse(table.get("tensors").get(0).has("channels"), "act is per tensor");

    JsonNode v2 = json.readTree(out().resolve("aimet_encodings_2.0.0.json").toFile());
    JsonNode enc = v2.get("encodings").get(1);
    assertEquals("w", enc.get("name").asText());
    assertEquals("int8", enc.get("output_dtype").asText());
    assertEquals(3, enc.get("y_scale").size());
    assertEquals((float) (2.5 / 127), (float) enc.get("y_scale").get(2).asDouble());
    assertFalse(enc.has("y_zero_point"));
    assertEquals(0, enc.get("axis").asInt());
    assertEquals("uint8", v2.get("encodings").get(0).get("output_dtype").asText());

    JsonNode v1 = json.readTree(out().resolve("aimet_encodings_1.0.0.json").toFile());
    JsonNode param = v1.get("param_encodings").get(0);
    assertEquals("PER_CHANNEL", param.get("enc_type").asText());
    assertEquals("[-128,-128,-128]", param.get("offset").toString());
    assertEquals("act", v1.get("activation_encodings").get(0).get("name").asText());
    assertTrue(v1.get("quantizer_args").get("per_channel_quantization").asBoolean());

    JsonNode ort = json.readTree(out().resolve("ort_quant_overrides.json").toFile());
    assertEquals(3, ort.get("w").size());
    assertEquals(0, ort.get("w").get(0).get("axis").asInt());
    assertFalse(ort.get("w").get(1).has("axis"));
    assertEquals("QInt8", ort.get("w").get(2).get("quant_type").asText());
    assertEquals((float) (2.5 / 127), (float) ort.get("w").get(2).get("scale").asDouble());
    assertEquals(1, ort.get("act").size());
    JsonNode range = json.readTree(out().resolve("ort_quant_overrides_range.json").toFile());
    assertEquals(-0.5, range.get("w").get(0).get("rmin").asDouble());
    assertEquals(2.5, range.get("w").get(2).get("rmax").asDouble());

    // The primary method entropy runs per tensor only: the AIMET and ORT files carry w per tensor,
    // and say so.
    try (var paths = Files.walk(out())) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Qcal.Result e =
        calibrate(
            dump,
            "--channel-column",
            "channel",
            "--methods",
            "entropy,max",
            "--formats",
            "aimet-2");
    assertEquals(0, e.code(), e::toString);
    assertTrue(e.err().contains("method entropy runs per tensor only"), e.err());
  }

  @Test
  void aNegativeChannelIsAnInputErrorNamingTheTensorFileAndRow(SparkSession spark) {
    List<ChannelRow> rows = new ArrayList<>(weight());
    rows.add(new ChannelRow("w", -3, new float[] {1f}));
    Path dump = channelDump(spark, "negative", rows);
    // max alone: the per-channel passes read the rows; percentile: the one scan's page decoder.
    for (String method : List.of("max", "percentile")) {
      assertFails(
          3,
          calibrate(dump, "--channel-column", "channel", "--methods", method),
          "tensor 'w'",
          "channel -3 is not in [0, 65536)",
          ".parquet' row 4");
    }
  }

  @Test
  void aNullChannelIsAnInputError(SparkSession spark) {
    List<ChannelRow> rows = new ArrayList<>(weight());
    rows.add(new ChannelRow("w", null, new float[] {1f}));
    Path dump = channelDump(spark, "null", rows);
    for (String method : List.of("max", "percentile")) {
      assertFails(
          3,
          calibrate(dump, "--channel-column", "channel", "--methods", method),
          "tensor 'w'",
          "the channel is null",
          ".parquet' row 4");
    }
  }

  @Test
  void aChannelColumnOfTheWrongTypeIsAnInputErrorNamingTheColumn(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType))
            .add("channel", DataTypes.StringType);
    Path dir = tmp.resolve("string-channel");
    List<Row> rows = List.of(RowFactory.create("w", new Float[] {1f}, "zero"));
    spark
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .mode(SaveMode.ErrorIfExists)
        .parquet(dir.toString());
    assertFails(
        3,
        calibrate(dir, "--channel-column", "channel"),
        "column 'channel' is string, expected an integer channel index");
    assertFails(
        3,
        calibrate(dir, "--channel-column", "chan"),
        "no channel column 'chan'",
        "--channel-column");
  }

  @Test
  void aShapeThatDoesNotMatchItsValuesIsAnInputError(SparkSession spark) {
    Path dir = tmp.resolve("bad-shape");
    ChannelDumps.withShapes(
        spark,
        dir.toString(),
        List.of(new ShapeRow("conv.weight", new long[] {2, 3}, new float[5])),
        1);
    for (String method : List.of("max", "percentile")) {
      assertFails(
          3,
          calibrate(dir, "--channel-axis", "0", "--methods", method),
          "tensor 'conv.weight'",
          "shape [2, 3] holds 6 values but the row has 5",
          "row 0");
    }
    assertFails(
        3,
        calibrate(dir, "--channel-axis", "2", "--methods", "max"),
        "axis 2 is out of range for shape [2, 3]",
        "--channel-axis 2");
    assertFails(
        3,
        calibrate(dir, "--channel-axis", "0", "--shape-column", "dims"),
        "no shape column 'dims'");
    assertFails(
        3,
        calibrate(dir, "--channel-axis", "-3", "--methods", "percentile"),
        "axis -3 is out of range for shape [2, 3]",
        "--channel-axis -3",
        "row 0");
  }

  @Test
  void perChannelUsageErrors(SparkSession spark) {
    Path dump = channelDump(spark, "usage", weight());
    assertFails(
        2,
        calibrate(dump, "--channel-column", "channel", "--methods", "entropy"),
        "none runs per channel");
    assertFails(2, calibrate(dump, "--per-channel-tensors", "w"), "--channel-axis N");
    assertFails(
        2, calibrate(dump, "--channel-column", "channel", "--channel-bins", "4"), "--channel-bins");
    assertFails(
        2, calibrate(dump, "--channel-column", "channel", "--channel-axis", "-1"), "negative axis");
  }
}
