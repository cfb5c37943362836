package dev.qcal.onnx.ocr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.qcal.onnx.ocr.PageRenderer.Page;
import dev.qcal.onnx.ocr.TextLineRenderer.Line;
import dev.qcal.onnx.testing.OrtModel;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The float PaddleOCR models read the rendered inputs as they read real ones: the proof that the
 * lines and pages the quantization tests calibrate and compare on are realistic. Run on the first
 * lines and pages of the held-out set (seeded), each score printed.
 */
class OcrFloatModelsTest {
  private static OcrSets sets;

  @BeforeAll
  static void load() throws Exception {
    sets = OcrSets.require();
  }

  private static OrtModel open(Path model) throws Exception {
    return OrtModel.open(Files.readAllBytes(model), OptLevel.ALL_OPT);
  }

  /** Random strings of common Hanzi, Latin words and numbers, with no language model to lean on. */
  @Test
  void theRecognizerReadsMostLinesExactly() throws Exception {
    List<Line> lines = sets.lines().lines(100, OcrSets.HELD_OUT_SEED);
    TextAccuracy accuracy = new TextAccuracy();
    try (OrtModel rec = open(sets.models().recognizer())) {
      for (Line line : lines) {
        accuracy.add(
            line.text(),
            sets.dictionary().decode(rec.run(PaddleInputs.recognizer(line.image()))).get(0));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "float recognizer on %d rendered lines: %.1f %% exact, %.1f %% characters (1 - normalized"
            + " edit distance)%n",
        accuracy.count(),
        100 * accuracy.exact(),
        100 * accuracy.characters());
    assertTrue(accuracy.exact() >= 0.75, "exact " + accuracy.exact());
    assertTrue(accuracy.characters() >= 0.95, "characters " + accuracy.characters());
  }

  /** Each line upright (class 0, "0") and upside down (class 1, "180"). */
  @Test
  void theClassifierTellsUprightFromUpsideDown() throws Exception {
    List<Line> lines = sets.lines().lines(100, OcrSets.HELD_OUT_SEED);
    int right = 0;
    try (OrtModel cls = open(sets.models().classifier())) {
      for (Line line : lines) {
        right += argmax(cls.run(PaddleInputs.classifier(line.image()))) == 0 ? 1 : 0;
        right += argmax(cls.run(PaddleInputs.classifier(line.image().rotated180()))) == 1 ? 1 : 0;
      }
    }
    double accuracy = right / (2.0 * lines.size());
    System.out.printf(
        Locale.ROOT,
        "float classifier on %d rendered lines, both ways up: %.1f %% right%n",
        lines.size(),
        100 * accuracy);
    assertTrue(accuracy >= 0.9, "accuracy " + accuracy);
  }

  @Test
  void theDetectorFindsTheLinesAndNotThePaper() throws Exception {
    List<Page> pages = sets.pages().pages(6, OcrSets.HELD_OUT_SEED);
    DetectionScore score = new DetectionScore();
    try (OrtModel det = open(sets.models().detector())) {
      for (Page page : pages) {
        FloatOutput map = det.run(PaddleInputs.detector(page.image()));
        score.add(map, page.image().width(), page.image().height(), page.lines());
      }
    }
    System.out.printf(
        Locale.ROOT,
        "float detector on %d rendered pages: %d lines, %.1f %% found, %.1f %% of text pixels"
            + " inside a line's box%n",
        pages.size(),
        score.lines(),
        100 * score.recall(),
        100 * score.precision());
    assertTrue(score.recall() >= 0.9, "recall " + score.recall());
    assertTrue(score.precision() >= 0.9, "precision " + score.precision());
  }

  /** The index of the highest of a [1, n] output (the first on ties). */
  static int argmax(FloatOutput scores) {
    float[] v = scores.values();
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
