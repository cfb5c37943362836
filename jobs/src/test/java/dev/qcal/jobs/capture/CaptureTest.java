package dev.qcal.jobs.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.jobs.testing.Datasets;
import dev.qcal.jobs.testing.Datasets.DumpRow;
import dev.qcal.jobs.testing.Datasets.Sample;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import dev.qcal.onnx.proto.GraphProto;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import dev.qcal.onnx.testing.OrtRunner;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import dev.qcal.onnx.testing.SyntheticModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qcal capture} on a model built here (two inputs; Conv, Relu, Add, Flatten, MatMul) over a
 * dataset written by Spark, run through the command line on local[2] with real ONNX Runtime: the
 * dump holds, bit for bit, what ONNX Runtime computes for the captured tensors when run directly,
 * for 1 and 3 partitions; {@code calibrate} reads it; and every bad input exits with its code and a
 * message naming the file, input, shape or tensor, leaving no output.
 */
@ExtendWith(SharedSpark.class)
class CaptureTest {
  /**
   * The activation inputs of the Conv, Add and MatMul nodes, in graph order: what qdq quantizes
   * with --ops Conv,Add,MatMul (Flatten's input a1 and the Constant weight w2 are not).
   */
  static final List<String> TENSORS = List.of("x", "z", "r1", "c2", "f", "m");

  static final String REGEX = "x|z|r1|c2|f|m";

  /** The batch size of each dataset row. */
  static final int[] BATCHES = {1, 2, 1, 3, 1};

  @TempDir Path tmp;

  private Path model(String name) throws Exception {
    Path file = tmp.resolve(name + ".onnx");
    Files.write(file, SyntheticModels.convNet().toByteArray());
    return file;
  }

  /** Rows of x (batch inferred), z and its shape, and a label column capture ignores. */
  static List<Sample> samples() {
    Random random = new Random(11);
    List<Sample> samples = new ArrayList<>();
    for (int b : BATCHES) {
      samples.add(
          Sample.of(
              "label",
              "batch of " + b,
              "x",
              gaussian(random, b * 3 * 8 * 8),
              "z",
              gaussian(random, b * 8),
              "z_shape",
              new int[] {b, 8}));
    }
    return samples;
  }

  static float[] gaussian(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }

  /** What ONNX Runtime computes for the captured tensors, run directly, per sample in order. */
  static List<Map<String, float[]>> expected(List<Sample> samples) throws Exception {
    ModelProto net = SyntheticModels.convNet();
    GraphProto.Builder graph = net.getGraph().toBuilder();
    TENSORS.forEach(t -> graph.addOutput(ValueInfoProto.newBuilder().setName(t)));
    byte[] exposed = net.toBuilder().setGraph(graph).build().toByteArray();
    List<Map<String, float[]>> out = new ArrayList<>();
    for (Sample s : samples) {
      int[] zShape = (int[]) s.cells().get("z_shape");
      long b = zShape[0];
      Map<String, FloatOutput> feed =
          Map.of(
              "x", new FloatOutput(new long[] {b, 3, 8, 8}, (float[]) s.cells().get("x")),
              "z", new FloatOutput(new long[] {b, 8}, (float[]) s.cells().get("z")));
      Map<String, FloatOutput> run = OrtRunner.run(exposed, feed, OptLevel.NO_OPT);
      Map<String, float[]> tensors = new LinkedHashMap<>();
      TENSORS.forEach(t -> tensors.put(t, run.get(t).values()));
      out.add(tensors);
    }
    return out;
  }

  private Qcal.Result capture(Path model, Path inputs, Path output, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "capture",
                "--model",
                model.toString(),
                "--inputs",
                inputs.toString(),
                "--output",
                output.toString()));
    args.addAll(Arrays.asList(extra));
    return Qcal.run(args.toArray(new String[0]));
  }

  @Test
  void theDumpHoldsWhatOnnxRuntimeComputesForOneAndThreePartitions(SparkSession spark)
      throws Exception {
    List<Sample> samples = samples();
    List<Map<String, float[]>> expected = expected(samples);
    Path model = model("convnet");

    // One partition: the dump's rows are the samples in order, each tensor in graph order, in
    // chunks of at most 100 values.
    Path one = Datasets.write(spark, tmp.resolve("one"), 1, samples);
    Qcal.Result r =
        capture(
            model,
            one,
            tmp.resolve("dump1"),
            "--ops",
            "Conv,Add,MatMul",
            "--values-per-row",
            "100");
    assertEquals(0, r.code(), r::toString);
    long values =
        expected.stream().flatMap(m -> m.values().stream()).mapToLong(v -> v.length).sum();
    assertTrue(
        r.out()
            .startsWith(
                "qcal: captured 6 tensors (" + values + " values) over 5 dataset rows; wrote "),
        r::toString);
    assertTrue(Files.exists(tmp.resolve("dump1/_SUCCESS")));
    List<DumpRow> rows = Datasets.read(spark, tmp.resolve("dump1"));
    int i = 0;
    for (Map<String, float[]> sample : expected) {
      for (Map.Entry<String, float[]> t : sample.entrySet()) {
        float[] all = t.getValue();
        for (int from = 0; from < all.length; from += 100) {
          DumpRow row = rows.get(i++);
          assertEquals(t.getKey(), row.tensor());
          assertArrayEquals(
              Arrays.copyOfRange(all, from, Math.min(all.length, from + 100)),
              row.values(),
              t.getKey());
        }
      }
    }
    assertEquals(i, rows.size(), "no other row");

    // Three partitions, the same tensors picked by name: each tensor's values are the same
    // multiset, bit for bit. (Spark packs small
    // files into fewer partitions than files unless opening a file costs as much as a partition.)
    Path three = Datasets.write(spark, tmp.resolve("three"), 3, samples);
    spark.conf().set("spark.sql.files.openCostInBytes", "128m");
    try {
      r =
          capture(
              model, three, tmp.resolve("dump3"), "--tensors", REGEX, "--values-per-row", "100");
    } finally {
      spark.conf().unset("spark.sql.files.openCostInBytes");
    }
    assertEquals(0, r.code(), r::toString);
    try (var files = Files.list(tmp.resolve("dump3/tensors"))) {
      assertEquals(3, files.filter(p -> p.toString().endsWith(".parquet")).count());
    }
    assertEquals(sortedByTensor(rows), sortedByTensor(Datasets.read(spark, tmp.resolve("dump3"))));

    // calibrate reads both dumps to the same table.
    for (String dump : List.of("dump1", "dump3")) {
      Qcal.Result c =
          Qcal.run(
              "calibrate",
              "--input",
              tmp.resolve(dump).toString(),
              "--output",
              tmp.resolve("cal-" + dump).toString(),
              "--methods",
              "max,entropy,percentile,mse",
              "--no-report");
      assertEquals(0, c.code(), c::toString);
    }
    byte[] table = Files.readAllBytes(tmp.resolve("cal-dump1/calibration.json"));
    assertArrayEquals(table, Files.readAllBytes(tmp.resolve("cal-dump3/calibration.json")));
    List<String> names = new ArrayList<>();
    new ObjectMapper()
        .readTree(table)
        .get("tensors")
        .forEach(t -> names.add(t.get("name").asText()));
    assertEquals(List.of("c2", "f", "m", "r1", "x", "z"), names);
  }

  /**
   * Each tensor's values, sorted by their bits: the multiset a dump holds whatever its row order.
   */
  private static Map<String, List<Integer>> sortedByTensor(List<DumpRow> rows) {
    Map<String, List<Integer>> out = new TreeMap<>();
    for (DumpRow r : rows) {
      List<Integer> bits = out.computeIfAbsent(r.tensor(), k -> new ArrayList<>());
      for (float v : r.values()) {
        bits.add(Float.floatToRawIntBits(v));
      }
    }
    out.values().forEach(l -> l.sort(null));
    return out;
  }
}
