package dev.qcal.onnx.ocr;

import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The classes of PaddleOCR's CTC recognizer and its greedy decoding, as PaddleOCR's {@code
 * CTCLabelDecode} does with {@code use_space_char=True}: class 0 is the CTC blank, classes 1..n the
 * dictionary's lines in order, class n + 1 the space. For {@code ppocr_keys_v1.txt} (6623 lines)
 * that is the recognizer's 6625 outputs per time step.
 *
 * @param classes the character of each class; the blank's is the empty string
 */
public record CtcDictionary(List<String> classes) {
  /** Copies the list. */
  public CtcDictionary {
    classes = List.copyOf(classes);
  }

  /** The dictionary file: UTF-8, one character a line, no newline after the last. */
  public static CtcDictionary read(Path dictionary) throws IOException {
    List<String> classes = new ArrayList<>();
    classes.add("");
    String text = Files.readString(dictionary, StandardCharsets.UTF_8);
    for (String line : text.split("\n", -1)) {
      classes.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
    classes.add(" ");
    return new CtcDictionary(classes);
  }

  /** How many classes the recognizer scores per time step. */
  public int size() {
    return classes.size();
  }

  /** The class of each character, for checking that a text can be read back at all. */
  public Map<String, Integer> indexByCharacter() {
    Map<String, Integer> index = new HashMap<>();
    for (int c = classes.size() - 1; c >= 1; c--) {
      index.put(classes.get(c), c);
    }
    return Collections.unmodifiableMap(index);
  }

  /**
   * Greedy CTC decoding of the recognizer's output {@code [batch, steps, classes]}: per step the
   * class of highest score (the first on ties, as numpy's argmax), repeats collapsed, blanks
   * dropped, the rest mapped to characters. One text per batch item.
   */
  public List<String> decode(FloatOutput scores) {
    long[] shape = scores.shape();
    if (shape.length != 3 || shape[2] != classes.size()) {
      throw new IllegalArgumentException(
          "expected scores [batch, steps, "
              + classes.size()
              + "], got "
              + java.util.Arrays.toString(shape));
    }
    int steps = (int) shape[1];
    int width = (int) shape[2];
    float[] v = scores.values();
    List<String> texts = new ArrayList<>();
    for (int b = 0; b < shape[0]; b++) {
      StringBuilder text = new StringBuilder();
      int previous = -1;
      for (int t = 0; t < steps; t++) {
        int offset = (b * steps + t) * width;
        int best = 0;
        for (int c = 1; c < width; c++) {
          if (v[offset + c] > v[offset + best]) {
            best = c;
          }
        }
        if (best != previous && best != 0) {
          text.append(classes.get(best));
        }
        previous = best;
      }
      texts.add(text.toString());
    }
    return texts;
  }
}
