package dev.qcal.onnx.ocr;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Text-line crops as a detector hands them to the recognizer: one line of {@link LineTexts} drawn
 * with Java2D (antialiased, each character in its {@link OcrFonts} font) at 20-40 px, with some
 * paper above, below and to the sides, in seeded paper and ink colours, plus scanner noise.
 */
public final class TextLineRenderer {
  /**
   * The widest line, in characters (a line resized to height 48 stays near the recognizer's 320).
   */
  public static final int MAX_CHARS = 12;

  static final FontRenderContext CONTEXT = new FontRenderContext(null, true, true);

  private final OcrFonts fonts;
  private final LineTexts texts;

  /** A renderer drawing {@code texts} in {@code fonts}. */
  public TextLineRenderer(OcrFonts fonts, LineTexts texts) {
    this.fonts = fonts;
    this.texts = texts;
  }

  /**
   * One rendered line and what it says.
   *
   * @param text the characters drawn
   * @param image the crop, as {@code cv2.imread} would give it
   */
  public record Line(String text, Bgr8Image image) {}

  /** {@code count} lines from {@code seed}: the same seed, the same lines. */
  public List<Line> lines(int count, long seed) {
    Random random = new Random(seed);
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lines.add(next(random));
    }
    return lines;
  }

  /** The next line of {@code random}. */
  public Line next(Random random) {
    String text = texts.next(random, MAX_CHARS);
    float size = 20 + random.nextInt(21);
    TextLayout layout = new TextLayout(fonts.styled(text, size).getIterator(), CONTEXT);
    double textHeight = layout.getAscent() + layout.getDescent();
    // Margins as a detector's box expanded by PaddleOCR's unclip ratio leaves around the text.
    int above = (int) Math.round(textHeight * (0.05 + 0.2 * random.nextDouble()));
    int below = (int) Math.round(textHeight * (0.05 + 0.2 * random.nextDouble()));
    int left = (int) Math.round(size * (0.1 + 0.4 * random.nextDouble()));
    int right = (int) Math.round(size * (0.1 + 0.4 * random.nextDouble()));
    int width = left + (int) Math.ceil(layout.getAdvance()) + right;
    int height = above + (int) Math.ceil(textHeight) + below;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Paper.paper(random));
    g.fillRect(0, 0, width, height);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setColor(Paper.ink(random));
    layout.draw(g, left, above + layout.getAscent());
    g.dispose();
    return new Line(text, Bgr8Image.of(image).noisy(6 * random.nextDouble(), random));
  }
}
