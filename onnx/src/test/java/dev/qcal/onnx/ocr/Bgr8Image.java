package dev.qcal.onnx.ocr;

import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * An 8-bit image as OpenCV holds what {@code cv2.imread} returns and PaddleOCR preprocesses: height
 * x width x 3 bytes, channels in B, G, R order, rows top to bottom.
 */
public final class Bgr8Image {
  private final int width;
  private final int height;
  private final byte[] pixels;

  private Bgr8Image(int width, int height, byte[] pixels) {
    if (width < 1 || height < 1 || pixels.length != width * height * 3) {
      throw new IllegalArgumentException(
          "a " + width + "x" + height + " image needs " + width * height * 3 + " bytes");
    }
    this.width = width;
    this.height = height;
    this.pixels = pixels;
  }

  /** The image of {@code bgr}: height x width x 3 bytes, B, G, R (kept, not copied). */
  public static Bgr8Image of(int width, int height, byte[] bgr) {
    return new Bgr8Image(width, height, bgr);
  }

  /** The pixels of a Java2D image (its RGB colour, alpha ignored) in OpenCV's order. */
  public static Bgr8Image of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    byte[] bgr = new byte[w * h * 3];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int i = (y * w + x) * 3;
        bgr[i] = (byte) row[x];
        bgr[i + 1] = (byte) (row[x] >> 8);
        bgr[i + 2] = (byte) (row[x] >> 16);
      }
    }
    return new Bgr8Image(w, h, bgr);
  }

  /** The width in pixels. */
  public int width() {
    return width;
  }

  /** The height in pixels. */
  public int height() {
    return height;
  }

  /** Channel {@code c} (0 B, 1 G, 2 R) of the pixel at row {@code y}, column {@code x}: 0..255. */
  public int at(int y, int x, int c) {
    return pixels[(y * width + x) * 3 + c] & 0xff;
  }

  /** The image with Gaussian noise of {@code sigma} levels added to each byte, as a scanner's. */
  public Bgr8Image noisy(double sigma, Random random) {
    byte[] out = new byte[pixels.length];
    for (int i = 0; i < out.length; i++) {
      long v = Math.round((pixels[i] & 0xff) + sigma * random.nextGaussian());
      out[i] = (byte) Math.max(0, Math.min(255, v));
    }
    return new Bgr8Image(width, height, out);
  }

  /** The image turned upside down (180 degrees), as a text line the classifier must flip back. */
  public Bgr8Image rotated180() {
    byte[] out = new byte[pixels.length];
    int n = width * height;
    for (int p = 0; p < n; p++) {
      System.arraycopy(pixels, p * 3, out, (n - 1 - p) * 3, 3);
    }
    return new Bgr8Image(width, height, out);
  }

  /**
   * The image resized to {@code w} x {@code h} as {@code cv2.resize} does by default
   * (INTER_LINEAR): destination pixel centres mapped to source coordinates ({@code (d + 0.5) * src
   * / dst - 0.5}), clamped to the border, the two nearest columns and rows weighted linearly,
   * rounded to 8 bits. (OpenCV computes the weights in 11-bit fixed point, so a value may differ
   * from it by one level; no area averaging when shrinking, as OpenCV.)
   */
  public Bgr8Image resized(int w, int h) {
    int[] x0 = new int[w];
    double[] fx = new double[w];
    sourceTaps(width, w, x0, fx);
    int[] y0 = new int[h];
    double[] fy = new double[h];
    sourceTaps(height, h, y0, fy);
    byte[] out = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      int ya = y0[y];
      int yb = Math.min(ya + 1, height - 1);
      for (int x = 0; x < w; x++) {
        int xa = x0[x];
        int xb = Math.min(xa + 1, width - 1);
        for (int c = 0; c < 3; c++) {
          double top = (1 - fx[x]) * at(ya, xa, c) + fx[x] * at(ya, xb, c);
          double bottom = (1 - fx[x]) * at(yb, xa, c) + fx[x] * at(yb, xb, c);
          long v = Math.round((1 - fy[y]) * top + fy[y] * bottom);
          out[(y * w + x) * 3 + c] = (byte) Math.max(0, Math.min(255, v));
        }
      }
    }
    return new Bgr8Image(w, h, out);
  }

  /** OpenCV's linear taps: the left source index and the weight of the one after it. */
  private static void sourceTaps(int source, int destination, int[] first, double[] weight) {
    double scale = (double) source / destination;
    for (int d = 0; d < destination; d++) {
      double f = (d + 0.5) * scale - 0.5;
      int s = (int) Math.floor(f);
      f -= s;
      if (s < 0) {
        s = 0;
        f = 0;
      }
      if (s >= source - 1) {
        s = source - 1;
        f = 0;
      }
      first[d] = s;
      weight[d] = f;
    }
  }
}
