package dev.qcal.jobs.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.jobs.testing.Datasets;
import dev.qcal.jobs.testing.Datasets.Sample;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import dev.qcal.onnx.testing.CalibrationTables;
import dev.qcal.onnx.testing.OrtRunner;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import dev.qcal.onnx.testing.SyntheticModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qcal sensitivity} on the synthetic network of {@link SyntheticModels#convNet} (Conv conv1,
 * Conv conv2, MatMul fc quantized by default) through the command line on local Spark with real
 * ONNX Runtime: with a table whose scale for conv2's input {@code r1} clips it hard, conv2 ranks
 * first; each node's SQNR is the one ONNX Runtime gives the model {@code qdq --keep-float} writes
 * with the other nodes float; the report's bytes are the same for one and three dataset partitions;
 * {@code --samples} takes the first rows; and {@code qdq --keep-float-from} keeps the chosen node
 * float.
 */
@ExtendWith(SharedSpark.class)
class SensitivityTest {
  private static final List<String> NODES = List.of("conv1", "conv2", "fc");

  @TempDir Path tmp;

  @Test
  void theNodeWhoseQuantizationHurtsRanksFirstAndQdqKeepsItFloat(SparkSession spark)
      throws Exception {
    Path model = tmp.resolve("convnet.onnx");
    Files.write(model, SyntheticModels.convNet().toByteArray());
    List<Sample> samples = CaptureTest.samples();
    Path one = Datasets.write(spark, tmp.resolve("one"), 1, samples);
    succeed(
        "capture",
        "--model",
        model.toString(),
        "--inputs",
        one.toString(),
        "--output",
        tmp.resolve("dump").toString());
    succeed(
        "calibrate",
        "--input",
        tmp.resolve("dump").toString(),
        "--output",
        tmp.resolve("table").toString(),
        "--methods",
        "max",
        "--no-report");
    Path table = clipping(tmp.resolve("table/calibration.json"), "r1", 20);

    Qcal.Result r = sensitivity(model, table, one, tmp.resolve("s1"));
    assertTrue(
        r.out().startsWith("qcal: measured 3 nodes one at a time over 5 dataset rows (method max;"),
        r::toString);
    assertTrue(r.out().contains("  1. conv2 (Conv): output SQNR "), r::toString);
    assertTrue(r.out().contains("--keep-float-worst 1 --output MODEL.qdq.onnx"), r::toString);
    JsonNode report = new ObjectMapper().readTree(tmp.resolve("s1/sensitivity.json").toFile());
    assertEquals("conv2", report.get("nodes").get(0).get("node").asText());
    assertEquals("[\"conv2\"]", report.get("suggested_keep_float").toString());
    assertEquals(5, report.get("samples").asInt());
    assertTrue(Files.exists(tmp.resolve("s1/sensitivity.csv")));
    assertTrue(Files.exists(tmp.resolve("s1/_SUCCESS")));

    // Each node's SQNR is that of qdq's model with the other nodes float, run directly.
    for (JsonNode n : report.get("nodes")) {
      String node = n.get("node").asText();
      List<String> others = new ArrayList<>(NODES);
      others.remove(node);
      Path alone = tmp.resolve(node + ".qdq.onnx");
      succeed(
          "qdq",
          "--model",
          model.toString(),
          "--table",
          table.toString(),
          "--keep-float",
          String.join(",", others),
          "--output",
          alone.toString());
      assertEquals(
          String.format(Locale.ROOT, "%.2f", sqnr(model, alone, samples)),
          n.get("sqnr_db").asText(),
          node);
    }

    // The same bytes from three partitions; --samples 2 runs the first two rows.
    Path three = Datasets.write(spark, tmp.resolve("three"), 3, samples);
    spark.conf().set("spark.sql.files.openCostInBytes", "128m");
    try {
      succeed(sensitivityArgs(model, table, three, tmp.resolve("s3")));
    } finally {
      spark.conf().unset("spark.sql.files.openCostInBytes");
    }
    assertArrayEquals(
        Files.readAllBytes(tmp.resolve("s1/sensitivity.json")),
        Files.readAllBytes(tmp.resolve("s3/sensitivity.json")));
    List<String> two =
        new ArrayList<>(List.of(sensitivityArgs(model, table, one, tmp.resolve("s2"))));
    two.addAll(List.of("--samples", "2"));
    succeed(two.toArray(String[]::new));
    JsonNode firstTwo = new ObjectMapper().readTree(tmp.resolve("s2/sensitivity.json").toFile());
    assertEquals(2, firstTwo.get("samples").asInt());
    assertEquals(
        String.format(
            Locale.ROOT, "%.2f", sqnr(model, tmp.resolve("conv2.qdq.onnx"), samples.subList(0, 2))),
        firstTwo.get("nodes").get(0).get("sqnr_db").asText());

    // qdq keeps the worst node float from the report, and agrees with --keep-float conv2.
    Qcal.Result q =
        succeed(
            "qdq",
            "--model",
            model.toString(),
            "--table",
            table.toString(),
            "--keep-float-from",
            tmp.resolve("s1/sensitivity.json").toString(),
            "--keep-float-worst",
            "1",
            "--output",
            tmp.resolve("from.qdq.onnx").toString());
    assertTrue(q.out().contains("(nodes kept float: conv2)"), q::toString);
    succeed(
        "qdq",
        "--model",
        model.toString(),
        "--table",
        table.toString(),
        "--keep-float",
        "conv2",
        "--output",
        tmp.resolve("named.qdq.onnx").toString());
    assertArrayEquals(
        Files.readAllBytes(tmp.resolve("named.qdq.onnx")),
        Files.readAllBytes(tmp.resolve("from.qdq.onnx")));
  }

  @Test
  void badInputsAreNamedBeforeSparkRunsAndLeaveNoOutput(SparkSession spark) throws Exception {
    Path model = tmp.resolve("convnet.onnx");
    Files.write(model, SyntheticModels.convNet().toByteArray());
    Path table = tmp.resolve("calibration.json");
    Files.write(
        table,
        CalibrationTables.of(
            Map.of("x", new float[] {-4, 4}, "r1", new float[] {0, 4}, "f", new float[] {-4, 4}),
            List.of("max"),
            QuantSpec.symmetric(8)));
    Path data = Datasets.write(spark, tmp.resolve("data"), 1, CaptureTest.samples());
    Path out = tmp.resolve("s");
    String[] ok = sensitivityArgs(model, table, data, out);

    assertFails(with(ok, "--samples", "0"), 2, out, "--samples must be at least 1 (0)");
    assertFails(with(ok, "--scheme", "affine"), 2, out, "Q/DQ scheme affine needs a table");
    assertFails(with(ok, "--method", "entropy"), 2, out, "has no method 'entropy'");
    assertFails(with(ok, "--ops", "Relu"), 2, out, "qdq places no Q/DQ on op 'Relu'");
    assertFails(
        sensitivityArgs(tmp.resolve("missing.onnx"), table, data, out),
        3,
        out,
        "missing.onnx does not exist: check --model");
    assertFails(
        sensitivityArgs(model, tmp.resolve("missing.json"), data, out),
        3,
        out,
        "missing.json does not exist");
    List<Sample> noZ = new ArrayList<>();
    for (Sample s : CaptureTest.samples()) {
      noZ.add(Sample.of("x", s.cells().get("x")));
    }
    Path xOnly = Datasets.write(spark, tmp.resolve("x-only"), 1, noZ);
    assertFails(
        sensitivityArgs(model, table, xOnly, out),
        3,
        out,
        "has no column 'z' for the model's input 'z'");
    // A row the model cannot run is named by the task that reads it.
    List<Sample> wide = new ArrayList<>();
    for (Sample s : CaptureTest.samples()) {
      int b = ((int[]) s.cells().get("z_shape"))[0];
      wide.add(
          Sample.of("x", s.cells().get("x"), "z", new float[b * 9], "z_shape", new int[] {b, 9}));
    }
    assertFails(
        sensitivityArgs(model, table, Datasets.write(spark, tmp.resolve("wide"), 1, wide), out),
        3,
        out,
        "Dataset file '",
        "' row ",
        ": ONNX Runtime cannot run the model on this row (x [",
        ", 9]): ");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "keep me");
    Qcal.Result exists = Qcal.run(ok);
    assertEquals(2, exists.code(), exists::toString);
    assertTrue(exists.err().contains("--overwrite"), exists::toString);
    assertEquals("keep me", Files.readString(out.resolve("keep.txt")));
  }

  private static String[] with(String[] args, String... more) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static void assertFails(String[] args, int code, Path out, String... words) {
    Qcal.Result r = Qcal.run(args);
    assertEquals(code, r.code(), r::toString);
    for (String w : words) {
      assertTrue(r.err().contains(w), "stderr lacks '" + w + "':\n" + r);
    }
    assertTrue(!r.err().contains("\tat "), "no stack trace:\n" + r);
    assertTrue(!Files.exists(out), "no output written");
  }

  /**
   * A copy of {@code table} whose max scale (and amax) of {@code tensor} is divided by {@code by}.
   */
  static Path clipping(Path table, String tensor, double by) throws Exception {
    ObjectNode root = (ObjectNode) new ObjectMapper().readTree(table.toFile());
    for (JsonNode t : root.get("tensors")) {
      if (t.get("name").asText().equals(tensor)) {
        ObjectNode max = (ObjectNode) t.get("methods").get("max");
        max.put("amax", (double) (float) (max.get("amax").asDouble() / by));
        max.put("scale", (double) (float) (max.get("scale").asDouble() / by));
      }
    }
    Path out = table.resolveSibling("clipping.json");
    new ObjectMapper().writeValue(out.toFile(), root);
    return out;
  }

  /** The output SQNR of {@code quantized} against {@code model} on {@code samples}, NO_OPT. */
  private static double sqnr(Path model, Path quantized, List<Sample> samples) throws Exception {
    double signal = 0;
    double noise = 0;
    for (Sample s : samples) {
      long b = ((int[]) s.cells().get("z_shape"))[0];
      Map<String, FloatOutput> feed =
          Map.of(
              "x", new FloatOutput(new long[] {b, 3, 8, 8}, (float[]) s.cells().get("x")),
              "z", new FloatOutput(new long[] {b, 8}, (float[]) s.cells().get("z")));
      float[] f = OrtRunner.run(Files.readAllBytes(model), feed, OptLevel.NO_OPT).get("y").values();
      float[] q =
          OrtRunner.run(Files.readAllBytes(quantized), feed, OptLevel.NO_OPT).get("y").values();
      for (int i = 0; i < f.length; i++) {
        signal += (double) f[i] * f[i];
        double d = (double) f[i] - q[i];
        noise += d * d;
      }
    }
    return 10 * Math.log10(signal / noise);
  }

  private static String[] sensitivityArgs(Path model, Path table, Path inputs, Path out) {
    return new String[] {
      "sensitivity",
      "--model",
      model.toString(),
      "--table",
      table.toString(),
      "--inputs",
      inputs.toString(),
      "--output",
      out.toString()
    };
  }

  private static Qcal.Result sensitivity(Path model, Path table, Path inputs, Path out) {
    return succeed(sensitivityArgs(model, table, inputs, out));
  }

  private static Qcal.Result succeed(String... args) {
    Qcal.Result r = Qcal.run(args);
    assertEquals(0, r.code(), r::toString);
    return r;
  }
}
