package dev.qcal.onnx.ocr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Bgr8ImageTest {
  /** A grey image of one row (or column) with the given levels. */
  private static Bgr8Image grey(int width, int height, int... levels) {
    byte[] bgr = new byte[levels.length * 3];
    for (int i = 0; i < levels.length; i++) {
      bgr[3 * i] = bgr[3 * i + 1] = bgr[3 * i + 2] = (byte) levels[i];
    }
    return Bgr8Image.of(width, height, bgr);
  }

  private static int[] row(Bgr8Image image) {
    int[] v = new int[image.width() * image.height()];
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        v[y * image.width() + x] = image.at(y, x, 0);
      }
    }
    return v;
  }

  /**
   * OpenCV's INTER_LINEAR by hand, source x = (d + 0.5) * 2 / 4 - 0.5: -0.25 (clamped to 0), 0.25,
   * 0.75, 1.25 (clamped to the last pixel).
   */
  @Test
  void enlargingInterpolatesBetweenPixelCentres() {
    assertArrayEquals(new int[] {0, 25, 75, 100}, row(grey(2, 1, 0, 100).resized(4, 1)));
    assertArrayEquals(new int[] {0, 25, 75, 100}, row(grey(1, 2, 0, 100).resized(1, 4)));
  }

  /** Source x = (d + 0.5) * 2 - 0.5: 0.5 and 2.5, the mean of each pair (no area averaging). */
  @Test
  void shrinkingSamplesBetweenPairs() {
    assertArrayEquals(new int[] {50, 125}, row(grey(4, 1, 0, 100, 200, 50).resized(2, 1)));
    // One pixel from two: source x = 0.5, the mean 1.5 of levels 1 and 2 rounds to 2.
    assertArrayEquals(new int[] {2}, row(grey(2, 1, 1, 2).resized(1, 1)));
  }

  @Test
  void theSameSizeIsTheSameImage() {
    Bgr8Image image = grey(3, 1, 7, 200, 31);
    assertArrayEquals(row(image), row(image.resized(3, 1)));
  }

  @Test
  void javaColoursBecomeBlueGreenRed() {
    BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(0, 0, 0x102030);
    rgb.setRGB(1, 0, 0xff0080);
    Bgr8Image image = Bgr8Image.of(rgb);
    assertEquals(0x30, image.at(0, 0, 0));
    assertEquals(0x20, image.at(0, 0, 1));
    assertEquals(0x10, image.at(0, 0, 2));
    assertEquals(0x80, image.at(0, 1, 0));
    assertEquals(0x00, image.at(0, 1, 1));
    assertEquals(0xff, image.at(0, 1, 2));
  }

  @Test
  void upsideDownReversesRowsAndColumns() {
    Bgr8Image image = grey(3, 2, 1, 2, 3, 4, 5, 6).rotated180();
    assertArrayEquals(new int[] {6, 5, 4, 3, 2, 1}, row(image));
  }

  @Test
  void noiseIsSeededAndStaysInRange() {
    Bgr8Image white = grey(4, 1, 255, 255, 0, 0);
    assertArrayEquals(row(white.noisy(20, new Random(3))), row(white.noisy(20, new Random(3))));
    for (int v : row(white.noisy(100, new Random(4)))) {
      assertEquals(v, Math.max(0, Math.min(255, v)));
    }
  }
}
