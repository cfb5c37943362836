package dev.qcal.jobs.ocr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.qcal.jobs.ocr.HeldOut.Scores;
import dev.qcal.jobs.testing.Datasets;
import dev.qcal.jobs.testing.Datasets.Sample;
import dev.qcal.jobs.testing.SharedSpark;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.ocr.OcrSets;
import dev.qcal.onnx.ocr.PaddleInputs;
import dev.qcal.onnx.ocr.PageRenderer.Page;
import dev.qcal.onnx.ocr.Sqnr;
import dev.qcal.onnx.ocr.TextLineRenderer.Line;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.testing.OrtModel;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proof that a qcal table gives a quantized model that works, on PaddleOCR's PP-OCRv4 detector
 * and recognizer and its orientation classifier ({@code .ci/fetch-models}), which no one here
 * wrote. For each model: a calibration set of rendered inputs ({@link OcrSets}' calibration seed)
 * written as capture's input dataset; {@code qcal capture}, {@code calibrate} with max, percentile,
 * entropy, mse and best, {@code qdq} per method (int8 symmetric, per-channel weights) on the local
 * Spark session; then ONNX Runtime (CPU, one thread, all graph optimizations, so Q/DQ groups run as
 * integer kernels) runs the float model and each Q/DQ model on a held-out set (the held-out seed)
 * and each is scored against the truth drawn and against the float model. The table goes to {@code
 * results.md} in the module's {@code target/ocr-proof} directory (the README's "Results on
 * PaddleOCR"), with the machine's load.
 *
 * <p>The bars: the issue asks that the best method's recognizer decode at least 95 % of the
 * held-out lines as the float model does (PaddleOCR's own INT8 models lose about a point). Plain
 * {@code best} decodes about 94 % alike (spaces ignored, as PaddleOCR's RecMetric compares): most
 * of its loss is one weight, that of the recognizer's first depthwise convolution, whose small
 * error the backbone amplifies. No node is named here: the recognizer also goes through {@code qcal
 * sensitivity} on the calibration set and {@code qdq --keep-float-from} its report with the count
 * it suggests (the route the docs give), which must keep at most {@link #MOST_KEPT_FLOAT} nodes
 * float and reach the 95 % with at most 3 points of exact lines lost; plain {@code best} is
 * still held to at least 90 % alike and 8 points. The classifier and detector are held to a few
 * points of float. For the method that does worst on each model, and for best, the activations
 * whose own quantization loses most are found and then quantized one at a time ({@link
 * TensorDiagnosis}, {@link OneTensorAtATime}); both go under the table.
 */
@ExtendWith(SharedSpark.class)
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class OcrQuantizationIT {
  private static final int CALIBRATION_LINES = 40;
  private static final int HELD_OUT_LINES = 100;
  private static final int CALIBRATION_PAGES = 4;
  private static final int HELD_OUT_PAGES = 6;

  /**
   * The most nodes the sensitivity report may have the recognizer keep float: a few layers, not a
   * way to pass by leaving the model in float.
   */
  private static final int MOST_KEPT_FLOAT = 3;

  private final ResultsTable table = new ResultsTable();
  private OcrSets sets;
  private String loadBefore;
  private long started;

  @BeforeAll
  void load() throws IOException {
    sets = OcrSets.require();
    loadBefore = loadAverage();
    started = System.nanoTime();
  }

  @Test
  @Order(1)
  void theRecognizerKeepsItsReading(SparkSession spark, @TempDir Path work) throws Exception {
    List<Sample> calibration = new ArrayList<>();
    for (Line line : sets.lines().lines(CALIBRATION_LINES, OcrSets.CALIBRATION_SEED)) {
      calibration.add(Sample.input(line.text(), PaddleInputs.recognizer(line.image())));
    }
    HeldOut heldOut =
        new RecognizerHeldOut(
            sets.lines().lines(HELD_OUT_LINES, OcrSets.HELD_OUT_SEED), sets.dictionary());
    Map<String, Scores> scores =
        prove(
            spark,
            sets.models().recognizer(),
            calibration,
            CALIBRATION_LINES + " lines",
            heldOut,
            true,
            work);
    Scores best = scores.get("best");
    assertTrue(best.agreement() >= 0.90, "best: " + best);
    assertTrue(
        best.accuracy() >= scores.get("float").accuracy() - 0.08,
        "best: " + best + ", float: " + scores.get("float"));
    Scores kept = scores.get(QuantizationRun.SENSITIVE);
    assertTrue(kept.agreement() >= 0.95, "best with the suggested nodes kept float: " + kept);
    assertTrue(
        kept.accuracy() >= scores.get("float").accuracy() - 0.03,
        "best with the suggested nodes kept float: " + kept + ", float: " + scores.get("float"));
  }

  @Test
  @Order(2)
  void theClassifierKeepsItsOrientations(SparkSession spark, @TempDir Path work) throws Exception {
    List<Sample> calibration = new ArrayList<>();
    for (Line line : sets.lines().lines(CALIBRATION_LINES, OcrSets.CALIBRATION_SEED)) {
      calibration.add(Sample.input(line.text(), PaddleInputs.classifier(line.image())));
      calibration.add(
          Sample.input(line.text(), PaddleInputs.classifier(line.image().rotated180())));
    }
    HeldOut heldOut =
        new ClassifierHeldOut(sets.lines().lines(HELD_OUT_LINES, OcrSets.HELD_OUT_SEED));
    Map<String, Scores> scores =
        prove(
            spark,
            sets.models().classifier(),
            calibration,
            CALIBRATION_LINES + " lines × 2 ways up",
            heldOut,
            false,
            work);
    Scores best = scores.get("best");
    assertTrue(best.agreement() >= 0.97, "best: " + best);
    assertTrue(
        best.accuracy() >= scores.get("float").accuracy() - 0.02,
        "best: " + best + ", float: " + scores.get("float"));
  }

  @Test
  @Order(3)
  void theDetectorKeepsItsTextRegions(SparkSession spark, @TempDir Path work) throws Exception {
    List<Sample> calibration = new ArrayList<>();
    for (Page page : sets.pages().pages(CALIBRATION_PAGES, OcrSets.CALIBRATION_SEED)) {
      calibration.add(
          Sample.input(String.join("\n", page.texts()), PaddleInputs.detector(page.image())));
    }
    HeldOut heldOut =
        new DetectorHeldOut(sets.pages().pages(HELD_OUT_PAGES, OcrSets.HELD_OUT_SEED));
    Map<String, Scores> scores =
        prove(
            spark,
            sets.models().detector(),
            calibration,
            CALIBRATION_PAGES + " pages",
            heldOut,
            false,
            work);
    Scores best = scores.get("best");
    assertTrue(best.agreement() >= 0.9, "best: " + best);
    assertTrue(
        best.accuracy() >= scores.get("float").accuracy() - 0.05,
        "best: " + best + ", float: " + scores.get("float"));
  }

  /**
   * Calibrates {@code model} on {@code calibration} through the commands, runs the float and every
   * Q/DQ model on {@code heldOut}, adds their rows to the table and returns their scores by method
   * ("float" for the float model).
   */
  private Map<String, Scores> prove(
      SparkSession spark,
      Path model,
      List<Sample> calibration,
      String calibrationSet,
      HeldOut heldOut,
      boolean sensitivity,
      Path work)
      throws Exception {
    long start = System.nanoTime();
    Path data = Datasets.write(spark, work.resolve("calibration"), 1, calibration);
    QuantizationRun run = QuantizationRun.of(model, data, work, sensitivity);
    if (sensitivity) {
      assertTrue(
          !run.keptFloat().isEmpty() && run.keptFloat().size() <= MOST_KEPT_FLOAT,
          "sensitivity suggests keeping " + run.keptFloat() + " float:\n" + run.sensitivityOut());
      table.note(
          String.format(
              Locale.ROOT,
              "- %s: `qcal sensitivity --method best` over the %s of calibration (%.1f s) kept"
                  + " float %s (`--keep-float-worst %d`); its worst nodes: %s.",
              heldOut.model(),
              calibrationSet,
              run.sensitivitySeconds(),
              run.keptFloat(),
              run.keptFloat().size(),
              run.sensitivityOut()
                  .lines()
                  .filter(l -> l.startsWith("  "))
                  .map(String::strip)
                  .collect(Collectors.joining("; "))));
    }
    List<FloatOutput> inputs = heldOut.inputs();
    List<FloatOutput> reference = outputs(Files.readAllBytes(model), inputs);
    Map<String, Scores> scores = new LinkedHashMap<>();
    scores.put("float", heldOut.score(null, reference));
    table.add(heldOut, "float", Double.NaN, scores.get("float"));
    String worst = null;
    for (Map.Entry<String, Path> m : run.models().entrySet()) {
      List<FloatOutput> outputs = outputs(Files.readAllBytes(m.getValue()), inputs);
      Sqnr sqnr = new Sqnr();
      for (int i = 0; i < inputs.size(); i++) {
        sqnr.add(reference.get(i).values(), outputs.get(i).values());
      }
      Scores s = heldOut.score(reference, outputs);
      scores.put(m.getKey(), s);
      table.add(heldOut, m.getKey(), sqnr.db(), s);
      System.out.printf(
          Locale.ROOT,
          "%s %s: SQNR %.1f dB, %s; %s%n",
          heldOut.model(),
          m.getKey(),
          sqnr.db(),
          s.agreementText(),
          s.accuracyText());
      if (worst == null || s.agreement() < scores.get(worst).agreement()) {
        worst = m.getKey();
      }
    }
    diagnose(model, run, worst, heldOut, inputs, reference, List.of(), work);
    if (!worst.equals("best")) {
      diagnose(model, run, "best", heldOut, inputs, reference, run.keptFloat(), work);
    }
    table.note(
        String.format(
            Locale.ROOT,
            "- %s: calibrated on %s; capture %.1f s, calibrate (5 methods) %.1f s, %d qdq and %d"
                + " ONNX Runtime runs of %d models, %.1f s in all; the best model's graph as ONNX"
                + " Runtime optimized it: %s.",
            heldOut.model(),
            calibrationSet,
            run.captureSeconds(),
            run.calibrateSeconds(),
            run.models().size(),
            inputs.size(),
            run.models().size() + 1,
            (System.nanoTime() - start) / 1e9,
            fusedOps(run.models().get("best"), work)));
    return scores;
  }

  /**
   * Notes under the table which activations cost {@code method}'s Q/DQ model most, on the first ten
   * held-out inputs: those whose own quantization loses most, then each of them quantized alone.
   */
  private void diagnose(
      Path model,
      QuantizationRun run,
      String method,
      HeldOut heldOut,
      List<FloatOutput> inputs,
      List<FloatOutput> reference,
      List<String> keepFloat,
      Path work)
      throws Exception {
    int few = Math.min(10, inputs.size());
    List<TensorDiagnosis.Loss> losses =
        TensorDiagnosis.worst(
            OnnxModel.read(model),
            OnnxModel.read(run.models().get(method)),
            inputs.subList(0, few),
            5);
    List<OneTensorAtATime.Cost> alone =
        OneTensorAtATime.costs(
            model,
            run.table().resolve("calibration.json"),
            method,
            losses.stream().map(TensorDiagnosis.Loss::tensor).toList(),
            keepFloat,
            inputs.subList(0, few),
            reference.subList(0, few),
            work);
    String diagnosis =
        String.format(
            Locale.ROOT,
            "%s, %s, on %d held-out inputs: the activations whose own quantization loses most, %s;"
                + " quantized one at a time (with the weights), the output's SQNR: %s",
            heldOut.model(),
            method,
            few,
            losses,
            alone);
    System.out.println(diagnosis);
    table.note("- " + diagnosis + ".");
  }

  /**
   * Each input's first output from one session of {@code model} (CPU, one thread, all
   * optimizations).
   */
  static List<FloatOutput> outputs(byte[] model, List<FloatOutput> inputs) throws Exception {
    List<FloatOutput> outputs = new ArrayList<>();
    try (OrtModel session = OrtModel.open(model, OptLevel.ALL_OPT)) {
      for (FloatOutput x : inputs) {
        outputs.add(session.run(x));
      }
    }
    return outputs;
  }

  /**
   * The quantized and integer operators of the graph ONNX Runtime runs for {@code model} after its
   * optimizations (the optimized graph it saves), with their counts: which Q/DQ groups it fused
   * into integer kernels (QLinearConv, QLinearMatMul, QGemm, MatMulIntegerToFloat, ...) and which
   * QuantizeLinear and DequantizeLinear nodes it left to run as such (the op after them in float).
   */
  private static String fusedOps(Path model, Path work) throws Exception {
    Path optimized = work.resolve("ort-optimized.onnx");
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OptLevel.ALL_OPT);
      options.setIntraOpNumThreads(1);
      options.setOptimizedModelFilePath(optimized.toString());
      OrtEnvironment.getEnvironment().createSession(model.toString(), options).close();
    }
    Map<String, Long> ops = new TreeMap<>();
    for (NodeProto node : OnnxModel.read(optimized).graph().getNodeList()) {
      String op = node.getOpType();
      if (op.startsWith("QLinear")
          || op.startsWith("QGemm")
          || op.contains("Integer")
          || op.equals("QuantizeLinear")
          || op.equals("DequantizeLinear")) {
        ops.merge(op, 1L, Long::sum);
      }
    }
    return ops.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  @AfterAll
  void writeTable() throws IOException {
    table.note(
        String.format(
            Locale.ROOT,
            "- ONNX Runtime %s (Java, CPU execution provider, one thread, ORT_ENABLE_ALL); %d cores"
                + " (%s), load average %s before and %s after; %.0f s in all.",
            OrtEnvironment.getEnvironment().getVersion(),
            Runtime.getRuntime().availableProcessors(),
            cpuModel(),
            loadBefore,
            loadAverage(),
            (System.nanoTime() - started) / 1e9));
    Path file = Paths.get("target", "ocr-proof", "results.md");
    table.write(file);
    System.out.println("wrote " + file.toAbsolutePath() + "\n" + table.markdown());
  }

  /** The 1-minute load average (Linux), or "unknown". */
  private static String loadAverage() throws IOException {
    Path file = Paths.get("/proc/loadavg");
    return Files.isReadable(file) ? Files.readString(file).split(" ")[0] : "unknown";
  }

  /** The CPU's model name (Linux), or "unknown CPU". */
  private static String cpuModel() throws IOException {
    Path file = Paths.get("/proc/cpuinfo");
    if (Files.isReadable(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    }
    return "unknown CPU";
  }
}
