package dev.qcal.onnx.ocr;

import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import java.awt.Rectangle;
import java.util.List;

/**
 * How well a detector's probability map finds the lines drawn on a page: a line is found when at
 * least half the columns of its box hold a pixel above PaddleOCR's threshold 0.3 (DB's map covers a
 * line shrunk towards its centre, so a found line is a band along it); and the share of text pixels
 * that fall inside some line's box (grown by 2 pixels), which says the map marks text and not the
 * paper, bands or rules around it.
 */
public final class DetectionScore {
  private int lines;
  private int found;
  private long textPixels;
  private long textPixelsInBoxes;

  /**
   * Adds one page: the map {@code [1, 1, H, W]} the detector made of it, the page's size and its
   * lines' boxes in page pixels (scaled here to the map, as the detector's input was resized).
   */
  public void add(FloatOutput map, int pageWidth, int pageHeight, List<Rectangle> boxes) {
    int h = (int) map.shape()[2];
    int w = (int) map.shape()[3];
    float[] p = map.values();
    double sx = w / (double) pageWidth;
    double sy = h / (double) pageHeight;
    boolean[] inBox = new boolean[h * w];
    for (Rectangle box : boxes) {
      int x0 = clamp((int) Math.floor(box.x * sx), w);
      int x1 = clamp((int) Math.ceil((box.x + box.width) * sx), w);
      int y0 = clamp((int) Math.floor(box.y * sy), h);
      int y1 = clamp((int) Math.ceil((box.y + box.height) * sy), h);
      int columns = 0;
      for (int x = x0; x < x1; x++) {
        for (int y = y0; y < y1; y++) {
          if (p[y * w + x] > MapOverlap.THRESHOLD) {
            columns++;
            break;
          }
        }
      }
      lines++;
      found += 2 * columns >= x1 - x0 ? 1 : 0;
      for (int y = clamp(y0 - 2, h); y < clamp(y1 + 2, h); y++) {
        for (int x = clamp(x0 - 2, w); x < clamp(x1 + 2, w); x++) {
          inBox[y * w + x] = true;
        }
      }
    }
    for (int i = 0; i < p.length; i++) {
      if (p[i] > MapOverlap.THRESHOLD) {
        textPixels++;
        textPixelsInBoxes += inBox[i] ? 1 : 0;
      }
    }
  }

  private static int clamp(int v, int size) {
    return Math.max(0, Math.min(size, v));
  }

  /** The lines added. */
  public int lines() {
    return lines;
  }

  /** The share of lines found. */
  public double recall() {
    return lines == 0 ? Double.NaN : found / (double) lines;
  }

  /** The share of text pixels inside a line's box. */
  public double precision() {
    return textPixels == 0 ? Double.NaN : textPixelsInBoxes / (double) textPixels;
  }
}
