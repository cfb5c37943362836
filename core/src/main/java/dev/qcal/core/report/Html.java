package dev.qcal.core.report;

/**
 * The one escaping helper of the report: every string that reaches the page (tensor names,
 * notes, method keys, paths, numbers) goes through {@link #escape}, in text and in quoted
 * attributes alike.
 */
final class Html {
  private Html() {}

  /**
   * {@code s} safe as HTML text and as a double- or single-quoted attribute value: {@code & < > "
   * '} become character references; C0 control characters (tab and newline included) and DEL
   * become their visible Unicode control pictures (U+2400 + c, U+2421), so a name with a stray
   * newline shows it; C1 controls, non-characters and unpaired surrogates become U+FFFD, so the
   * page is valid UTF-8 and identical on every JDK.
   */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    escapeTo(out, s);
    return out.toString();
  }

  /** Appends {@link #escape escape(s)} to {@code out}. */
  static void escapeTo(StringBuilder out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&':
          out.append("&amp;");
          break;
        case '<':
          out.append("&lt;");
          break;
        case '>':
          out.append("&gt;");
          break;
        case '"':
          out.append("&quot;");
          break;
        case '\'':
          out.append("&#39;");
          break;
        default:
          if (c < 0x20) {
            out.append((char) (0x2400 + c));
          } else if (c == 0x7F) {
            out.append('\u2421');
          } else if (c < 0xA0 && c >= 0x80 || c >= 0xFDD0 && c <= 0xFDEF || c >= 0xFFFE) {
            out.append('\uFFFD');
          } else if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
      }
    }
  }
}
