package dev.qcal.onnx.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qcal.onnx.testing.OcrModels;
import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CtcDictionaryTest {
  @TempDir Path tmp;

  private CtcDictionary abc() throws Exception {
    Path file = tmp.resolve("keys.txt");
    Files.writeString(file, "a\nb\nc", StandardCharsets.UTF_8);
    return CtcDictionary.read(file);
  }

  /** Scores [batch, steps, 5] with 1 at each step's class and 0 elsewhere. */
  private static FloatOutput oneHot(int[]... classes) {
    int steps = classes[0].length;
    float[] v = new float[classes.length * steps * 5];
    for (int b = 0; b < classes.length; b++) {
      for (int t = 0; t < steps; t++) {
        v[(b * steps + t) * 5 + classes[b][t]] = 1;
      }
    }
    return new FloatOutput(new long[] {classes.length, steps, 5}, v);
  }

  @Test
  void blankFirstThenTheLinesThenTheSpace() throws Exception {
    assertEquals(List.of("", "a", "b", "c", " "), abc().classes());
  }

  @Test
  void greedyDecodingCollapsesRepeatsAndDropsBlanks() throws Exception {
    CtcDictionary d = abc();
    // a (a) _ a b (b) _ _ c space: repeats collapse when adjacent; a blank separates a real repeat.
    assertEquals(
        List.of("aabc ", "", "cc"),
        d.decode(
            oneHot(
                new int[] {1, 1, 0, 1, 2, 2, 0, 0, 3, 4},
                new int[10],
                new int[] {3, 3, 3, 0, 3, 0, 0, 0, 0, 0})));
  }

  @Test
  void tiesGoToTheLowerClassAsNumpysArgmax() throws Exception {
    float[] v = {0.25f, 0.25f, 0.5f, 0.5f, 0f};
    assertEquals(List.of("b"), abc().decode(new FloatOutput(new long[] {1, 1, 5}, v)));
  }

  @Test
  void scoresOfAnotherClassCountAreRefused() throws Exception {
    CtcDictionary d = abc();
    assertThrows(
        IllegalArgumentException.class,
        () -> d.decode(new FloatOutput(new long[] {1, 2, 6}, new float[12])));
  }

  /** ppocr_keys_v1.txt: 6623 lines, so 6625 classes, the recognizer's output width. */
  @Test
  void paddleOcrsDictionaryGivesTheRecognizersClasses() throws Exception {
    CtcDictionary d = CtcDictionary.read(OcrModels.require().dictionary());
    assertEquals(6625, d.size());
    assertEquals("'", d.classes().get(1));
    assertEquals(" ", d.classes().get(6624));
    assertEquals(6624, d.indexByCharacter().get(" "));
    assertEquals(6625 - 1, d.indexByCharacter().size(), "every line is a distinct character");
  }
}
