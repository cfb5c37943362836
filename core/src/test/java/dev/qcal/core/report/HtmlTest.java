package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesTheFiveMarkupCharacters() {
    assertEquals("&lt;script&gt;alert(1)&lt;/script&gt;", Html.escape("<script>alert(1)</script>"));
    assertEquals("a&amp;b &quot;c&quot; &#39;d&#39;", Html.escape("a&b \"c\" 'd'"));
    assertEquals("&amp;amp;", Html.escape("&amp;"));
  }

  @Test
  void showsControlCharactersAsControlPictures() {
    // U+2400 + c for C0 controls: \n → U+240A, \t → U+2409, \r → U+240D, NUL → U+2400; DEL →
    // U+2421.
    assertEquals("a\u240ab\u2409c\u240dd\u2400\u2421", Html.escape("a\nb\tc\rd\u0000\u007f"));
  }

  @Test
  void keepsNonAsciiAndReplacesWhatHtmlForbids() {
    assertEquals("ünï ✓ 😀", Html.escape("ünï ✓ 😀"));
    // C1 control, non-character, lone high and low surrogates → U+FFFD.
    assertEquals("\ufffd\ufffd\ufffdx\ufffd", Html.escape("\u0085\ufffe\ud83dx\ude00"));
    assertEquals("", Html.escape(""));
  }
}
