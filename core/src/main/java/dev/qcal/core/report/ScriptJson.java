package dev.qcal.core.report;

/**
 * Data for the page's script, as JSON text safe inside {@code <script type="application/json">}:
 * every non-ASCII character is written as a {@code \\uXXXX} escape (so U+2028/2029 and unpaired
 * surrogates survive, and the block is pure ASCII), and {@code <}, {@code >} and {@code &} are
 * written as {@code \\u003c}, {@code \\u003e}, {@code \\u0026}, so no string can close the block
 * ({@code </script>}) or open a comment ({@code <!--}). {@code JSON.parse} reads back the original
 * strings.
 *
 * <p>The escapes are those of Jackson's generator with {@code ESCAPE_NON_ASCII} (short escapes for
 * {@code " \\ \b \t \n \f \r}, {@code \\u00XX} for the other controls, upper-case hex digits)
 * followed by the three lower-case escapes above, which the page wrote before; they are spelled out
 * here so that each string is escaped where the page renders it, a chunk of tensors at a time on
 * two threads ({@link Page#parallel}), instead of the whole block through a generator and a second
 * pass on the calling thread (at 20 000 tensors, the longest step of the page that ran on one
 * thread).
 */
final class ScriptJson {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private ScriptJson() {}

  /** Appends {@code s} as a JSON string literal, quotes included, escaped as the class says. */
  static void stringTo(StringBuilder out, String s) {
    out.append('"');
    charsTo(out, s);
    out.append('"');
  }

  /**
   * Appends the characters of {@code s} escaped as in a string literal, without the quotes (the
   * escapes are per character, so a literal can be written in pieces).
   */
  static void charsTo(StringBuilder out, String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7F) {
        switch (c) {
          case '"':
            out.append("\\\"");
            break;
          case '\\':
            out.append("\\\\");
            break;
          case '<':
            out.append("\\u003c");
            break;
          case '>':
            out.append("\\u003e");
            break;
          case '&':
            out.append("\\u0026");
            break;
          default:
            out.append(c);
        }
        continue;
      }
      switch (c) {
        case '\b':
          out.append("\\b");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\f':
          out.append("\\f");
          break;
        case '\r':
          out.append("\\r");
          break;
        default:
          if (c == 0x7F) {
            out.append(c); // ASCII: Jackson leaves DEL as it is
          } else {
            out.append("\\u")
                .append(HEX[c >> 12])
                .append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF])
                .append(HEX[c & 0xF]);
          }
      }
    }
  }
}
