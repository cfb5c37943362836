package dev.qcal.onnx.testing;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Text-line images for the PaddleOCR models, rendered with Java2D (headless) in a font the system
 * has (Debian's DejaVu Sans): words drawn from the recognizer's own dictionary (the characters the
 * font can display), black on white, preprocessed as PaddleOCR's {@code resize_norm_img} does
 * (height 48, width kept in proportion up to the target width, values (p / 255 - 0.5) / 0.5 in CHW
 * order, the rest of the width padded with 0).
 */
public final class TextLines {
  /** The height the recognizer and classifier take. */
  public static final int HEIGHT = 48;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private TextLines() {}

  /** The font of the lines: DejaVu Sans (Debian's fonts-dejavu-core), else Java's logical sans. */
  public static Font font() {
    return new Font("DejaVu Sans", Font.PLAIN, 30);
  }

  /**
   * {@code count} seeded words of 3 to 12 characters from {@code dictionary} (one character a line,
   * as {@code ppocr_keys_v1.txt}), using only the characters {@code font} can display.
   */
  public static List<String> words(Path dictionary, Font font, int count, Random random) throws IOException {
    List<String> usable = new ArrayList<>();
    for (String c : Files.readString(dictionary, StandardCharsets.UTF_8).split("\n", -1)) {
      if (!c.isBlank() && font.canDisplayUpTo(c) == -1) {
        usable.add(c);
      }
    }
    List<String> words = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder w = new StringBuilder();
      int length = 3 + random.nextInt(10);
      for (int j = 0; j < length; j++) {
        w.append(usable.get(random.nextInt(usable.size())));
      }
      words.add(w.toString());
    }
    return words;
  }

  /** {@code text} as a [3, 48, width] image, CHW, normalized and padded as PaddleOCR does. */
  public static float[] image(String text, Font font, int width) {
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D p = probe.createGraphics();
    FontMetrics metrics = p.getFontMetrics(font);
    int textWidth = Math.max(1, metrics.stringWidth(text) + 8);
    p.dispose();
    BufferedImage line = new BufferedImage(textWidth, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = line.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, textWidth, HEIGHT);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.BLACK);
    g.setFont(font);
    g.drawString(text, 4, (HEIGHT + metrics.getAscent() - metrics.getDescent()) / 2);
    g.dispose();
    // Resized to height 48 already; as wide as the text in proportion, at most the target width.
    int resized = Math.min(width, textWidth);
    BufferedImage scaled = new BufferedImage(resized, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D s = scaled.createGraphics();
    s.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    s.drawImage(line, 0, 0, resized, HEIGHT, null);
    s.dispose();
    float[] chw = new float[3 * HEIGHT * width];
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < resized; x++) {
        int rgb = scaled.getRGB(x, y);
        int[] channels = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
        for (int c = 0; c < 3; c++) {
          chw[(c * HEIGHT + y) * width + x] = (channels[c] / 255f - 0.5f) / 0.5f;
        }
      }
    }
    return chw;
  }
}
