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
import dev.qcal.onnx.ExposedModel;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.ocr.OcrSets;
import dev.qcal.onnx.ocr.PaddleInputs;
import dev.qcal.onnx.ocr.TextLineRenderer.Line;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.testing.OcrModels;
import dev.qcal.onnx.testing.OrtRunner;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke test of {@code qcal capture} on the real PaddleOCR models ({@code .ci/fetch-models}),
 * over text lines rendered here with Java2D: the captured tensors are the ones asked for (by
 * default those qdq quantizes, which qdq then finds in the table), under their ONNX names, the
 * model's own output in the dump is what ONNX Runtime gives when run directly, and {@code
 * calibrate} reads the dump. (Accuracy after quantization is proved elsewhere.)
 */
@ExtendWith(SharedSpark.class)
class OcrCaptureTest {
  @TempDir Path tmp;

  /**
   * Text lines ({@link OcrSets}' renderer, seeded) as rows of capture's input dataset: {@code x} of
   * shape [1, 3, 48, width], resized and normalized as PaddleOCR's classifier does, at the
   * classifier's width 192 or, for other widths, padded or squeezed to {@code width}.
   */
  private static List<Sample> lines(OcrSets sets, int count, int width, long seed) {
    List<Sample> samples = new ArrayList<>();
    for (Line line : sets.lines().lines(count, seed)) {
      samples.add(Sample.input(line.text(), PaddleInputs.line(line.image(), width)));
    }
    return samples;
  }

  /**
   * {@code qcal capture} of {@code model} over {@code data} into {@code dump}, which must succeed.
   */
  private static Qcal.Result capture(Path model, Path data, Path dump, String... selection) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "capture",
                "--model",
                model.toString(),
                "--inputs",
                data.toString(),
                "--output",
                dump.toString()));
    args.addAll(Arrays.asList(selection));
    Qcal.Result r = Qcal.run(args.toArray(new String[0]));
    assertEquals(0, r.code(), r::toString);
    return r;
  }

  /**
   * Every activation of the classifier: the float ones are captured, the others named in a warning.
   */
  @Test
  void theClassifiersActivations(SparkSession spark) throws Exception {
    OcrSets sets = OcrSets.require();
    OcrModels models = sets.models();
    OnnxModel cls = OnnxModel.read(models.classifier());
    List<Sample> samples = lines(sets, 3, 192, 21);
    Path data = Datasets.write(spark, tmp.resolve("lines"), 1, samples);
    Path dump = tmp.resolve("dump");
    Qcal.Result r = capture(models.classifier(), data, dump, "--tensors", ".*");
    List<String> notFloat =
        List.of(
            "p2o.Shape.1",
            "shape_0.tmp_0",
            "shape_0.tmp_0_slice_0",
            "p2o.Cast.2",
            "p2o.Cast.4",
            "p2o.helper.concat.0");
    assertEquals(
        "qcal: warning: not captured, not FLOAT tensors: " + String.join(", ", notFloat) + "\n",
        r.err());
    List<String> expected = new ArrayList<>(ExposedModel.activations(cls));
    expected.removeAll(notFloat);
    assertEquals(216, expected.size());

    List<DumpRow> rows = Datasets.read(spark, dump);
    Set<String> names =
        rows.stream().map(DumpRow::tensor).collect(Collectors.toCollection(LinkedHashSet::new));
    assertEquals(expected, new ArrayList<>(names), "every float activation, in graph order");
    // The model's own output, row by row, is what ONNX Runtime gives run directly.
    List<float[]> softmax =
        rows.stream()
            .filter(d -> d.tensor().equals("softmax_0.tmp_0"))
            .map(DumpRow::values)
            .toList();
    assertEquals(3, softmax.size());
    for (int i = 0; i < 3; i++) {
      float[] x = (float[]) samples.get(i).cells().get("x");
      Map<String, FloatOutput> run =
          OrtRunner.run(
              cls.toBytes(),
              Map.of("x", new FloatOutput(new long[] {1, 3, 48, 192}, x)),
              OptLevel.NO_OPT);
      assertArrayEquals(run.get("softmax_0.tmp_0").values(), softmax.get(i), "line " + i);
    }

    Qcal.Result c =
        Qcal.run(
            "calibrate",
            "--input",
            dump.toString(),
            "--output",
            tmp.resolve("table").toString(),
            "--methods",
            "max,entropy",
            "--no-report");
    assertEquals(0, c.code(), c::toString);
    assertEquals(
        216,
        new ObjectMapper()
            .readTree(tmp.resolve("table/calibration.json").toFile())
            .get("tensors")
            .size());
  }

  /** The recognizer's MatMul inputs, over lines of two widths. */
  @Test
  void theRecognizersMatMulInputs(SparkSession spark) throws Exception {
    OcrSets sets = OcrSets.require();
    OcrModels models = sets.models();
    OnnxModel rec = OnnxModel.read(models.recognizer());
    Set<String> matmulInputs = new LinkedHashSet<>();
    for (NodeProto node : rec.graph().getNodeList()) {
      if (node.getOpType().equals("MatMul")) {
        node.getInputList().stream()
            .filter(n -> rec.constant(n).isEmpty())
            .forEach(matmulInputs::add);
      }
    }
    List<String> expected =
        ExposedModel.activations(rec).stream().filter(matmulInputs::contains).toList();
    assertEquals(
        9 + 2 * 4,
        expected.size(),
        "13 MatMuls: 9 read a weight, 4 (attention) two activations: " + expected);

    List<Sample> samples = new ArrayList<>(lines(sets, 2, 320, 22));
    samples.addAll(lines(sets, 1, 160, 23));
    Path data = Datasets.write(spark, tmp.resolve("lines"), 1, samples);
    Path dump = tmp.resolve("dump");
    Qcal.Result r = capture(models.recognizer(), data, dump, "--ops", "MatMul");
    assertTrue(r.out().contains("captured " + expected.size() + " tensors"), r::toString);
    assertEquals(
        expected,
        new ArrayList<>(
            Datasets.read(spark, dump).stream()
                .map(DumpRow::tensor)
                .collect(Collectors.toCollection(LinkedHashSet::new))));
    Qcal.Result c =
        Qcal.run(
            "calibrate",
            "--input",
            dump.toString(),
            "--output",
            tmp.resolve("table").toString(),
            "--no-report");
    assertEquals(0, c.code(), c::toString);
    List<String> calibrated = new ArrayList<>();
    new ObjectMapper()
        .readTree(tmp.resolve("table/calibration.json").toFile())
        .get("tensors")
        .forEach(t -> calibrated.add(t.get("name").asText()));
    assertEquals(expected.stream().sorted().toList(), calibrated);
    assertTrue(
        Arrays.asList(r.err().split("\n")).stream().noneMatch(l -> l.startsWith("qcal: warning")),
        r::toString);
    assertQdqFindsEveryScale(
        models.recognizer(), tmp.resolve("table"), expected.size(), "--ops", "MatMul");
  }

  /**
   * By default capture writes exactly the activations qdq quantizes (the inputs of Conv,
   * ConvTranspose, Gemm and MatMul), read off the float model: qdq, which raises the classifier's
   * opset 9 to 13 and places Q/DQ on the converted graph, finds every scale it reads in the table
   * of that dump and quantizes as many activations as were captured.
   */
  @Test
  void byDefaultTheActivationsQdqQuantizes(SparkSession spark) throws Exception {
    OcrSets sets = OcrSets.require();
    OcrModels models = sets.models();
    OnnxModel cls = OnnxModel.read(models.classifier());
    Set<String> convInputs = new LinkedHashSet<>();
    for (NodeProto node : cls.graph().getNodeList()) {
      if (Set.of("Conv", "ConvTranspose", "Gemm", "MatMul").contains(node.getOpType())) {
        node.getInputList().stream()
            .limit(2)
            .filter(n -> cls.constant(n).isEmpty())
            .forEach(convInputs::add);
      }
    }
    List<String> expected =
        ExposedModel.activations(cls).stream().filter(convInputs::contains).toList();
    Path data = Datasets.write(spark, tmp.resolve("lines"), 1, lines(sets, 3, 192, 24));
    Path dump = tmp.resolve("dump");
    Qcal.Result r = capture(models.classifier(), data, dump);
    assertEquals("", r.err(), "no tensor skipped");
    List<String> captured =
        new ArrayList<>(
            Datasets.read(spark, dump).stream()
                .map(DumpRow::tensor)
                .collect(Collectors.toCollection(LinkedHashSet::new)));
    assertEquals(
        expected,
        captured,
        "the non-constant inputs 0 and 1 of the classifier's Conv, Gemm and MatMul nodes");
    Qcal.Result c =
        Qcal.run(
            "calibrate",
            "--input",
            dump.toString(),
            "--output",
            tmp.resolve("table").toString(),
            "--methods",
            "max",
            "--no-report");
    assertEquals(0, c.code(), c::toString);
    assertQdqFindsEveryScale(models.classifier(), tmp.resolve("table"), captured.size());
  }

  /**
   * qdq on {@code model} with the table: no warning (no scale missing, none degenerate) and {@code
   * activations} activations quantized, so the tensors it quantizes are exactly the table's.
   */
  private void assertQdqFindsEveryScale(
      Path model, Path table, int activations, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "qdq",
                "--model",
                model.toString(),
                "--table",
                table.resolve("calibration.json").toString(),
                "--output",
                tmp.resolve("model.qdq.onnx").toString()));
    args.addAll(Arrays.asList(options));
    Qcal.Result q = Qcal.run(args.toArray(new String[0]));
    assertEquals(0, q.code(), q::toString);
    assertEquals("", q.err(), "qdq found every scale it reads in the table");
    assertTrue(q.out().contains(": " + activations + " activations (int8 symmetric)"), q::toString);
    assertTrue(q.out().endsWith("; 0 tensors left float\n"), q::toString);
  }
}
