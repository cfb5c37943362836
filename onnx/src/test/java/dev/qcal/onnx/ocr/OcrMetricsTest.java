package dev.qcal.onnx.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.awt.Rectangle;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scores the OCR tests report, on cases worked out by hand. */
class OcrMetricsTest {
  @Test
  void editDistance() {
    assertEquals(0, TextAccuracy.levenshtein("价格", "价格"));
    assertEquals(1, TextAccuracy.levenshtein("价格12", "价格2"));
    assertEquals(2, TextAccuracy.levenshtein("ab", "ba"));
    assertEquals(3, TextAccuracy.levenshtein("", "abc"));
    assertEquals(3, TextAccuracy.levenshtein("kitten", "sitting"));
  }

  /** As PaddleOCR's RecMetric: spaces ignored; distance over the longer text. */
  @Test
  void textAccuracyIgnoresSpaces() {
    TextAccuracy a = new TextAccuracy();
    a.add("ab cd", " abcd");
    a.add("abcd", "abxd");
    a.add("abcd", "");
    assertEquals(3, a.count());
    assertEquals(1 / 3.0, a.exact(), 1e-12);
    assertEquals(1 - (0 + 0.25 + 1) / 3, a.characters(), 1e-12);
  }

  /** Signal 1 + 4 + 9 + 16 = 30 over noise 0.01 + 0.01: 10 log10(1500). */
  @Test
  void sqnrPoolsEveryOutput() {
    Sqnr s = new Sqnr();
    s.add(new float[] {1, 2}, new float[] {1.1f, 2});
    s.add(new float[] {3, 4}, new float[] {3, 3.9f});
    assertEquals(10 * Math.log10(30 / 0.02), s.db(), 1e-5);
    Sqnr same = new Sqnr();
    same.add(new float[] {1}, new float[] {1});
    assertEquals(Double.POSITIVE_INFINITY, same.db());
  }

  /** Above 0.3: {1, 2} and {2, 3} in the first pair, {} and {0} in the second: 1 / 4. */
  @Test
  void mapOverlapIsPooledIntersectionOverUnion() {
    MapOverlap o = new MapOverlap();
    o.add(new float[] {0.1f, 0.9f, 0.5f, 0.3f}, new float[] {0.2f, 0.2f, 0.31f, 0.8f});
    o.add(new float[] {0f, 0f}, new float[] {0.4f, 0f});
    assertEquals(1 / 4.0, o.iou(), 1e-12);
    assertEquals(1, new MapOverlap().iou());
  }

  /**
   * A 4 x 8 page detected at half size (map 2 x 4): box A (columns 0-3 of the page, map columns
   * 0-1) has a text pixel in one of its two map columns: found; box B (map columns 2-3) has none.
   * Of the map's two text pixels, one lies in A and one in the paper far from any box.
   */
  @Test
  void detectionFindsLinesWithTextInHalfTheirColumns() {
    float[] map = {0.9f, 0, 0, 0, 0, 0, 0, 0};
    DetectionScore d = new DetectionScore();
    d.add(
        new FloatOutput(new long[] {1, 1, 2, 4}, map),
        8,
        4,
        List.of(new Rectangle(0, 0, 4, 2), new Rectangle(4, 2, 4, 2)));
    assertEquals(2, d.lines());
    assertEquals(0.5, d.recall(), 1e-12);
    assertEquals(1.0, d.precision(), 1e-12);
    // Map 4 x 8 of an 80 x 40 page: the box is map columns 0-1 of row 0, grown to columns 0-3 and
    // rows 0-2; a text pixel at column 1 finds it, one at row 3, column 7 is outside.
    float[] stray = new float[32];
    stray[1] = 0.9f;
    stray[31] = 0.9f;
    DetectionScore e = new DetectionScore();
    e.add(
        new FloatOutput(new long[] {1, 1, 4, 8}, stray),
        80,
        40,
        List.of(new Rectangle(0, 0, 20, 10)));
    assertEquals(1.0, e.recall(), 1e-12);
    assertEquals(0.5, e.precision(), 1e-12);
  }
}
