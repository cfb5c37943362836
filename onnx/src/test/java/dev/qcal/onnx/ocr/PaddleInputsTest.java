package dev.qcal.onnx.ocr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.onnx.testing.OrtRunner.FloatOutput;
import org.junit.jupiter.api.Test;

/** PaddleOCR's preprocessing, each number derived by hand from its inference scripts. */
class PaddleInputsTest {
  private static Bgr8Image filled(int width, int height, int b, int g, int r) {
    byte[] bgr = new byte[width * height * 3];
    for (int i = 0; i < width * height; i++) {
      bgr[3 * i] = (byte) b;
      bgr[3 * i + 1] = (byte) g;
      bgr[3 * i + 2] = (byte) r;
    }
    return Bgr8Image.of(width, height, bgr);
  }

  private static float at(FloatOutput t, int c, int y, int x) {
    long[] s = t.shape();
    return t.values()[(int) ((c * s[2] + y) * s[3] + x)];
  }

  /**
   * A 20 x 10 white line: ratio 2, so 96 columns of (255 / 255 - 0.5) / 0.5 = 1, then zeros up to
   * the width 320 (= int(48 * max(320 / 48, 2))).
   */
  @Test
  void aShortLineIsResizedToHeight48AndPaddedWithZeros() {
    FloatOutput t = PaddleInputs.recognizer(filled(20, 10, 255, 255, 255));
    assertArrayEquals(new long[] {1, 3, 48, 320}, t.shape());
    for (int c = 0; c < 3; c++) {
      assertEquals(1f, at(t, c, 0, 0));
      assertEquals(1f, at(t, c, 47, 95));
      assertEquals(0f, at(t, c, 47, 96));
      assertEquals(0f, at(t, c, 0, 319));
    }
  }

  /** A 200 x 20 black line: ratio 10, width int(48 * 10) = 480, all of it -1, no padding. */
  @Test
  void aLongLineWidensTheInput() {
    FloatOutput t = PaddleInputs.recognizer(filled(200, 20, 0, 0, 0));
    assertArrayEquals(new long[] {1, 3, 48, 480}, t.shape());
    for (float v : t.values()) {
      assertEquals(-1f, v);
    }
  }

  /** The classifier: width 192 always; ratio 2 gives 96 columns, ratio 10 is squeezed to 192. */
  @Test
  void theClassifierTakes48By192() {
    FloatOutput shortLine = PaddleInputs.classifier(filled(20, 10, 255, 255, 255));
    assertArrayEquals(new long[] {1, 3, 48, 192}, shortLine.shape());
    assertEquals(1f, at(shortLine, 2, 10, 95));
    assertEquals(0f, at(shortLine, 2, 10, 96));
    FloatOutput longLine = PaddleInputs.classifier(filled(200, 20, 255, 255, 255));
    assertArrayEquals(new long[] {1, 3, 48, 192}, longLine.shape());
    assertEquals(1f, at(longLine, 0, 47, 191));
  }

  /**
   * A 100 x 70 page: under 960, so sides round to multiples of 32: 70 / 32 = 2.19 -> 64, 100 / 32 =
   * 3.13 -> 96. A pure blue pixel (B 255, G 0, R 0) normalizes channel 0 with ImageNet's first
   * statistics: (1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (0 - 0.406) / 0.225.
   */
  @Test
  void aPageIsRoundedTo32AndNormalizedWithImageNetStatisticsInBgrOrder() {
    FloatOutput t = PaddleInputs.detector(filled(100, 70, 255, 0, 0));
    assertArrayEquals(new long[] {1, 3, 64, 96}, t.shape());
    assertEquals((1f - 0.485f) / 0.229f, at(t, 0, 5, 5), 1e-6);
    assertEquals(-0.456f / 0.224f, at(t, 1, 63, 95), 1e-6);
    assertEquals(-0.406f / 0.225f, at(t, 2, 0, 0), 1e-6);
  }

  /** 2000 x 1000: the long side limited to 960 (ratio 0.48), so 960 x 480. */
  @Test
  void aLargePageIsScaledDownTo960() {
    assertArrayEquals(
        new long[] {1, 3, 480, 960}, PaddleInputs.detector(filled(2000, 1000, 9, 9, 9)).shape());
  }

  /**
   * Python 3's round() rounds halves to even: 48 / 32 = 1.5 -> 2, 80 / 32 = 2.5 -> 2; at least 32.
   */
  @Test
  void sidesRoundHalfToEvenAsPython() {
    assertEquals(64, PaddleInputs.multipleOf32(48));
    assertEquals(64, PaddleInputs.multipleOf32(80));
    assertEquals(32, PaddleInputs.multipleOf32(16));
    assertEquals(32, PaddleInputs.multipleOf32(3));
    assertEquals(960, PaddleInputs.multipleOf32(959));
  }
}
