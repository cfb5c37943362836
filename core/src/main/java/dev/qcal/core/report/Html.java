package dev.qcal.core.report;

/**
 * The one escaping helper of the report: every string that reaches the page (tensor names, notes,
 * method keys, paths, numbers) goes through {@link #escape}, in text and in quoted attributes
 * alike.
 */
final class Html {
  private Html() {}

  /**
   * {@code s} safe as HTML text and as a double- or single-quoted attribute value: {@code & < > "
   * '} become character references; C0 control characters (tab and newline included) and DEL become
   * their visible Unicode control pictures (U+2400 + c, U+2421), so a name with a stray newline
   * shows it; C1 controls, non-characters and unpaired surrogates become U+FFFD, so the page is
   * valid UTF-8 and identical on every JDK.
   */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    escapeTo(out, s);
    return out.toString();
  }

  /** The characters after which a tensor name may wrap (and nowhere else but at spaces). */
  private static final String NAME_BREAKS = "/._:-";

  /**
   * Appends a tensor name, escaped, so that it wraps after {@value #NAME_BREAKS} and at spaces
   * only, never inside a word: a {@code <wbr>} follows each separator, and a stretch between two
   * break points that holds anything but letters and digits (brackets, quotes, {@code <}…), where a
   * browser's line breaker may find an opportunity of its own, goes into a {@code <span
   * class="nw">} that does not wrap (with the style sheet's {@code .nm} rule, which keeps CJK words
   * whole too). Neither adds text, so the name reads and copies as it is.
   */
  static void nameTo(StringBuilder out, String name) {
    int start = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == ' ') {
        segment(out, name.substring(start, i), false);
        out.append(' ');
        start = i + 1;
      } else if (NAME_BREAKS.indexOf(c) >= 0 && i + 1 < name.length()) {
        segment(out, name.substring(start, i + 1), true);
        start = i + 1;
      }
    }
    segment(out, name.substring(start), false);
  }

  private static void segment(StringBuilder out, String s, boolean breakAfter) {
    boolean plain = true;
    for (int i = 0; i < s.length() - (breakAfter ? 1 : 0); i++) {
      plain &=
          Character.isLetterOrDigit(s.charAt(i))
              || Character.getType(s.charAt(i)) == Character.NON_SPACING_MARK;
    }
    if (!plain) {
      out.append("<span class=\"nw\">");
    }
    escapeTo(out, s);
    if (!plain) {
      out.append("</span>");
    }
    if (breakAfter) {
      out.append("<wbr>");
    }
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
          } else if ((c < 0xA0 && c >= 0x80) || (c >= 0xFDD0 && c <= 0xFDEF) || c >= 0xFFFE) {
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
