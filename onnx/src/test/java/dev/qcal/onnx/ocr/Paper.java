package dev.qcal.onnx.ocr;

import java.awt.Color;
import java.util.Random;

/** The paper, ink and scanner noise of the rendered images: seeded, never pure black on white. */
final class Paper {
  private Paper() {}

  /** A light paper colour: grey 200-255 with a slight tint. */
  static Color paper(Random random) {
    int base = 200 + random.nextInt(56);
    return new Color(tint(base, random), tint(base, random), tint(base, random));
  }

  /** A dark ink colour: grey 0-90 with a slight tint (black, dark blue or brown inks). */
  static Color ink(Random random) {
    int base = random.nextInt(91);
    return new Color(tint(base, random), tint(base, random), tint(base, random));
  }

  private static int tint(int base, Random random) {
    return Math.max(0, Math.min(255, base + random.nextInt(21) - 10));
  }
}
