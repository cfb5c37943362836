package dev.qcal.onnx.ocr;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.font.TextLayout;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Document-like pages for the detector: a sheet of 384-640 x 320-576 px in a seeded paper colour,
 * lines of {@link LineTexts} at 14-30 px from the top down at varying indents and spacing, some
 * pages with a shaded band or a horizontal rule (shapes that are not text), plus scanner noise.
 * Each line's box (its ink bounds) is kept.
 */
public final class PageRenderer {
  private final OcrFonts fonts;
  private final LineTexts texts;

  /** A renderer drawing {@code texts} in {@code fonts}. */
  public PageRenderer(OcrFonts fonts, LineTexts texts) {
    this.fonts = fonts;
    this.texts = texts;
  }

  /**
   * One rendered page.
   *
   * @param image the page, as {@code cv2.imread} would give it
   * @param lines each text line's box in page pixels
   * @param texts each line's characters
   */
  public record Page(Bgr8Image image, List<Rectangle> lines, List<String> texts) {}

  /** {@code count} pages from {@code seed}: the same seed, the same pages. */
  public List<Page> pages(int count, long seed) {
    Random random = new Random(seed);
    List<Page> pages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pages.add(next(random));
    }
    return pages;
  }

  /** The next page of {@code random}. */
  public Page next(Random random) {
    int width = 384 + random.nextInt(257);
    int height = 320 + random.nextInt(257);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    Color paper = Paper.paper(random);
    g.setColor(paper);
    g.fillRect(0, 0, width, height);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    if (random.nextDouble() < 0.4) {
      // A shaded band, as a table header or a highlighted paragraph.
      int top = random.nextInt(height / 2);
      g.setColor(paper.darker());
      g.fillRect(0, top, width, 30 + random.nextInt(60));
    }
    Color ink = Paper.ink(random);
    List<Rectangle> boxes = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    int margin = 12 + random.nextInt(24);
    double y = margin;
    while (true) {
      float size = 14 + random.nextInt(17);
      int x = margin + random.nextInt(Math.max(1, width / 4));
      int room = width - margin - x;
      TextLayout layout = null;
      String text = null;
      for (int chars = Math.max(4, (int) (room / size * 1.4));
          chars >= 2 && layout == null;
          chars--) {
        String candidate = texts.next(random, chars);
        TextLayout l =
            new TextLayout(fonts.styled(candidate, size).getIterator(), TextLineRenderer.CONTEXT);
        if (l.getAdvance() <= room) {
          layout = l;
          text = candidate;
        }
      }
      if (layout == null || y + layout.getAscent() + layout.getDescent() > height - margin) {
        break;
      }
      float baseline = (float) (y + layout.getAscent());
      g.setColor(ink);
      layout.draw(g, x, baseline);
      Rectangle2D ink2d = layout.getBounds();
      boxes.add(
          new Rectangle(
              (int) Math.floor(x + ink2d.getX()),
              (int) Math.floor(baseline + ink2d.getY()),
              (int) Math.ceil(ink2d.getWidth()) + 1,
              (int) Math.ceil(ink2d.getHeight()) + 1));
      lines.add(text);
      y += layout.getAscent() + layout.getDescent() + size * (0.4 + random.nextDouble());
      if (random.nextDouble() < 0.15) {
        // A horizontal rule between paragraphs.
        g.setColor(ink);
        g.fillRect(margin, (int) y, width - 2 * margin, 1 + random.nextInt(2));
        y += 8;
      }
    }
    g.dispose();
    return new Page(Bgr8Image.of(image).noisy(6 * random.nextDouble(), random), boxes, lines);
  }
}
