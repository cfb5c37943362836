package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PageTest {
  /** A part with ASCII, Latin-1, other BMP characters and a surrogate pair, varying by index. */
  private static void part(StringBuilder out, int i) {
    out.append("<tr id=\"t").append(i).append("\">· −").append("\uD83D\uDE00".repeat(i % 3));
    out.append("é".repeat(i % 5)).append("</tr>\n");
  }

  @Test
  void partsRenderedInParallelGiveTheBytesOfRenderingThemInOrder() throws Exception {
    StringBuilder sequential = new StringBuilder("<head>★\n");
    Page page = new Page(16);
    page.text().append("<head>★\n");
    page.parallel(0, 10 * Chunks.SIZE + 7, PageTest::part);
    for (int i = 0; i < 10 * Chunks.SIZE + 7; i++) {
      part(sequential, i);
    }
    page.text().append("<between>—");
    sequential.append("<between>—");
    page.parallel(3, 3 + 2 * Chunks.SIZE, PageTest::part);
    for (int i = 3; i < 3 + 2 * Chunks.SIZE; i++) {
      part(sequential, i);
    }
    page.parallel(5, 5, PageTest::part); // nothing to render
    page.text().append("</html>\n");
    sequential.append("</html>\n");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    page.writeTo(out);
    assertArrayEquals(sequential.toString().getBytes(StandardCharsets.UTF_8), out.toByteArray());
    assertEquals(sequential.toString(), page.toString());
  }

  @Test
  void aPartThatFailsFailsTheRenderingWithItsOwnError() {
    Page page = new Page(16);
    page.text().append("<head>");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () ->
                page.parallel(
                    0,
                    10 * Chunks.SIZE,
                    (out, i) -> {
                      if (i == 7 * Chunks.SIZE + 1) {
                        throw new IllegalStateException("cannot render part " + i);
                      }
                      out.append(i);
                    }));
    // A part a pool worker rendered comes back as fork/join's copy of its exception (the same
    // type, the part's own exception as its cause); a part the calling thread rendered, as itself.
    Throwable own = e.getCause() instanceof IllegalStateException cause ? cause : e;
    assertEquals("cannot render part " + (7 * Chunks.SIZE + 1), own.getMessage());
  }
}
