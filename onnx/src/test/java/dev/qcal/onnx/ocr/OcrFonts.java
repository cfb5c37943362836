package dev.qcal.onnx.ocr;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.font.TextAttribute;
import java.text.AttributedString;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Debian fonts the OCR tests draw text in, found through fontconfig: DejaVu Sans ({@code
 * fonts-dejavu-core}) for Latin letters, digits and punctuation, WenQuanYi Micro Hei ({@code
 * fonts-wqy-microhei}) for CJK characters. {@code .ci/install-fonts} installs both.
 *
 * @param latin DejaVu Sans at size 1
 * @param cjk WenQuanYi Micro Hei at size 1
 */
public record OcrFonts(Font latin, Font cjk) {
  /** The Latin font's family. */
  public static final String LATIN_FAMILY = "DejaVu Sans";

  /** The CJK font's family. */
  public static final String CJK_FAMILY = "WenQuanYi Micro Hei";

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /**
   * Both fonts. Skips the calling test with a message when one is missing, except on CI ({@code
   * CI=true}), where {@code .ci/run} installs them and a missing font must fail.
   */
  public static OcrFonts require() {
    Set<String> families =
        Arrays.stream(
                GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames())
            .collect(Collectors.toSet());
    List<String> missing =
        List.of(LATIN_FAMILY, CJK_FAMILY).stream().filter(f -> !families.contains(f)).toList();
    String message = "fonts " + missing + " are not installed";
    if (!missing.isEmpty() && "true".equals(System.getenv("CI"))) {
      fail(message + " on CI: .ci/run should have installed them (.ci/install-fonts)");
    }
    assumeTrue(
        missing.isEmpty(),
        message + ": skipping the test (run .ci/install-fonts, which installs them with apt-get)");
    return new OcrFonts(new Font(LATIN_FAMILY, Font.PLAIN, 1), new Font(CJK_FAMILY, Font.PLAIN, 1));
  }

  /** The font a character is drawn in: DejaVu Sans when it has the glyph, else WenQuanYi. */
  public Font fontFor(int codePoint) {
    return latin.canDisplay(codePoint) ? latin : cjk;
  }

  /** Whether one of the two fonts has a glyph for every character of {@code text}. */
  public boolean canDraw(String text) {
    return text.codePoints().allMatch(c -> latin.canDisplay(c) || cjk.canDisplay(c));
  }

  /** {@code text} with each run of characters in its font, at {@code size} pixels. */
  public AttributedString styled(String text, float size) {
    AttributedString styled = new AttributedString(text);
    Font latinSized = latin.deriveFont(size);
    Font cjkSized = cjk.deriveFont(size);
    int i = 0;
    while (i < text.length()) {
      int c = text.codePointAt(i);
      int next = i + Character.charCount(c);
      styled.addAttribute(TextAttribute.FONT, latin.canDisplay(c) ? latinSized : cjkSized, i, next);
      i = next;
    }
    return styled;
  }
}
