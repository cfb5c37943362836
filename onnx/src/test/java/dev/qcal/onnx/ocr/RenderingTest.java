package dev.qcal.onnx.ocr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.onnx.ocr.PageRenderer.Page;
import dev.qcal.onnx.ocr.TextLineRenderer.Line;
import java.awt.Rectangle;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rendered lines and pages: seeded, made of the dictionary's characters, boxes on the page. */
class RenderingTest {
  private static CtcDictionary dictionary;
  private static LineTexts texts;
  private static OcrSets sets;

  @BeforeAll
  static void load() throws Exception {
    sets = OcrSets.require();
    dictionary = sets.dictionary();
    texts = new LineTexts(dictionary, OcrFonts.require());
  }

  @Test
  void commonHanziAreGb2312LevelOne() {
    assertTrue(LineTexts.isCommonHanzi("的"));
    assertTrue(LineTexts.isCommonHanzi("啊"), "the first of level 1 (0xB0A1)");
    assertTrue(LineTexts.isCommonHanzi("座"), "the last of level 1 (0xD7F9)");
    assertFalse(LineTexts.isCommonHanzi("亍"), "the first of level 2 (0xD8A1)");
    assertFalse(LineTexts.isCommonHanzi("繹"), "traditional, not in GB 2312");
    assertFalse(LineTexts.isCommonHanzi("a"));
    assertFalse(LineTexts.isCommonHanzi("，"), "full-width punctuation (row 1)");
    // Level 1 has 3755 characters; the dictionary holds nearly all of them and both fonts draw
    // them.
    assertTrue(
        texts.cjkCharacters() > 3700 && texts.cjkCharacters() <= 3755, "" + texts.cjkCharacters());
  }

  @Test
  void linesAreSeededAndMadeOfTheDictionary() {
    TextLineRenderer renderer = sets.lines();
    List<Line> a = renderer.lines(40, 7);
    List<Line> b = renderer.lines(40, 7);
    Map<String, Integer> index = dictionary.indexByCharacter();
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).text(), b.get(i).text());
      assertArrayEquals(
          PaddleInputs.recognizer(a.get(i).image()).values(),
          PaddleInputs.recognizer(b.get(i).image()).values());
      String text = a.get(i).text();
      assertTrue(text.length() >= 1 && text.length() <= TextLineRenderer.MAX_CHARS, text);
      text.chars().forEach(c -> assertTrue(index.containsKey(String.valueOf((char) c)), text));
      assertTrue(a.get(i).image().height() >= 20, "drawn at 20 px or more");
    }
    assertNotEquals(
        a.get(0).text(), renderer.lines(1, 8).get(0).text(), "another seed, other lines");
  }

  @Test
  void pagesAreSeededWithTheirLinesBoxesOnThePage() {
    PageRenderer renderer = sets.pages();
    List<Page> a = renderer.pages(3, 11);
    List<Page> b = renderer.pages(3, 11);
    for (int i = 0; i < a.size(); i++) {
      Page page = a.get(i);
      assertEquals(page.lines(), b.get(i).lines());
      assertArrayEquals(
          PaddleInputs.detector(page.image()).values(),
          PaddleInputs.detector(b.get(i).image()).values());
      assertTrue(page.lines().size() >= 4, "several lines: " + page.lines());
      assertEquals(page.lines().size(), page.texts().size());
      Rectangle sheet = new Rectangle(0, 0, page.image().width(), page.image().height());
      for (int l = 0; l < page.lines().size(); l++) {
        Rectangle box = page.lines().get(l);
        assertTrue(sheet.contains(box), box + " on " + sheet);
        if (l > 0) {
          Rectangle above = page.lines().get(l - 1);
          assertTrue(
              box.y >= above.y + above.height - 1,
              "lines one under the other: " + above + ", " + box);
        }
      }
    }
  }
}
