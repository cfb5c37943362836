package dev.qcal.onnx.ocr;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded text lines made of the recognizer's own dictionary entries, shaped like what a document
 * holds: runs of CJK characters, Latin words, acronyms and numbers (dates, times, prices,
 * percentages, codes), alone or mixed. CJK characters are the dictionary's characters of GB 2312's
 * level 1, the 3755 Hanzi of everyday simplified Chinese (a uniform draw over the whole dictionary
 * is mostly rare and traditional characters, which printed text seldom holds); Latin text uses the
 * dictionary's ASCII letters, digits and a few punctuation marks whose glyph no full-width variant
 * shares. Only characters the fonts can draw are used.
 */
public final class LineTexts {
  private static final String VOWELS = "aeiouy";
  private static final String CONSONANTS = "bcdfghjklmnprstvwxz";
  private static final String UPPER = "ABCDEFGHJKLMNPRSTUVWXYZ";

  private static final Charset GB2312 = Charset.forName("GB2312");

  private final List<String> cjk = new ArrayList<>();

  /** The generator over {@code dictionary}'s characters that {@code fonts} can draw. */
  public LineTexts(CtcDictionary dictionary, OcrFonts fonts) {
    for (String c : dictionary.classes()) {
      if (c.length() == 1 && isCommonHanzi(c) && fonts.canDraw(c)) {
        cjk.add(c);
      }
    }
    if (cjk.isEmpty()) {
      throw new IllegalArgumentException(
          "the dictionary holds no CJK character the fonts can draw");
    }
  }

  /**
   * Whether {@code c} is one of GB 2312's level-1 Hanzi: its GB 2312 code's first byte is 0xB0 to
   * 0xD7 (rows 16-55, the most used characters, in pinyin order).
   */
  static boolean isCommonHanzi(String c) {
    byte[] gb = c.getBytes(GB2312);
    int first = gb[0] & 0xff;
    return gb.length == 2 && first >= 0xB0 && first <= 0xD7 && !c.equals("?");
  }

  /** How many CJK characters the lines draw from. */
  public int cjkCharacters() {
    return cjk.size();
  }

  /**
   * One line of at most {@code maxChars} characters (at least 4): 45 % CJK only, 25 % Latin and
   * numbers, 30 % mixed.
   */
  public String next(Random random, int maxChars) {
    double kind = random.nextDouble();
    String line;
    if (kind < 0.45) {
      line = cjkRun(random, 2 + random.nextInt(Math.max(1, Math.min(11, maxChars - 1))));
    } else if (kind < 0.70) {
      StringBuilder b = new StringBuilder(latinToken(random));
      int tokens = random.nextInt(3);
      for (int i = 0; i < tokens; i++) {
        b.append(' ').append(latinToken(random));
      }
      line = b.toString();
    } else {
      String a = cjkRun(random, 2 + random.nextInt(5));
      String n = random.nextBoolean() ? number(random) : latinToken(random);
      line = random.nextBoolean() ? a + n : n + a;
      if (random.nextDouble() < 0.4) {
        line = line + cjkRun(random, 1 + random.nextInt(3));
      }
    }
    return line.length() > maxChars ? line.substring(0, maxChars).strip() : line;
  }

  private String cjkRun(Random random, int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append(cjk.get(random.nextInt(cjk.size())));
    }
    return b.toString();
  }

  private static String latinToken(Random random) {
    double kind = random.nextDouble();
    if (kind < 0.45) {
      return word(random);
    }
    if (kind < 0.6) {
      StringBuilder b = new StringBuilder();
      for (int i = 0, n = 2 + random.nextInt(3); i < n; i++) {
        b.append(UPPER.charAt(random.nextInt(UPPER.length())));
      }
      return b.toString();
    }
    return number(random);
  }

  /** A pronounceable word of 2 to 4 syllables, capitalized one time in three. */
  private static String word(Random random) {
    StringBuilder b = new StringBuilder();
    for (int i = 0, n = 2 + random.nextInt(3); i < n; i++) {
      b.append(CONSONANTS.charAt(random.nextInt(CONSONANTS.length())));
      b.append(VOWELS.charAt(random.nextInt(VOWELS.length())));
      if (random.nextDouble() < 0.3) {
        b.append(CONSONANTS.charAt(random.nextInt(CONSONANTS.length())));
      }
    }
    if (random.nextInt(3) == 0) {
      b.setCharAt(0, Character.toUpperCase(b.charAt(0)));
    }
    return b.toString();
  }

  private static String number(Random random) {
    return switch (random.nextInt(6)) {
      case 0 ->
          String.format(
              Locale.ROOT,
              "%d-%02d-%02d",
              1990 + random.nextInt(40),
              1 + random.nextInt(12),
              1 + random.nextInt(28));
      case 1 -> String.format(Locale.ROOT, "%02d:%02d", random.nextInt(24), random.nextInt(60));
      case 2 -> String.format(Locale.ROOT, "%d.%02d", random.nextInt(1000), random.nextInt(100));
      case 3 -> (1 + random.nextInt(99)) + "%";
      case 4 ->
          UPPER.charAt(random.nextInt(UPPER.length()))
              + ""
              + UPPER.charAt(random.nextInt(UPPER.length()))
              + "-"
              + (100 + random.nextInt(9900));
      default -> Integer.toString(random.nextInt(100000));
    };
  }
}
