package dev.qcal.core.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A page being rendered, held as UTF-8: text the calling thread appends in order ({@link #text}),
 * and runs of independent parts (tensor sections, summary rows) that {@link #parallel} renders on
 * two threads, each chunk encoded on the thread that rendered it. Encoding the whole page on the
 * calling thread after rendering it was the longest single step of a 500-tensor report; encoding
 * chunk by chunk gives the same bytes, since every part ends with markup and the page holds no
 * unpaired surrogate ({@link Html} replaces them).
 */
final class Page {
  private final StringBuilder text;
  private final List<byte[]> parts = new ArrayList<>();

  Page(int capacity) {
    this.text = new StringBuilder(capacity);
  }

  /** Where the calling thread appends; the same builder for the whole page. */
  StringBuilder text() {
    return text;
  }

  /**
   * Renders indices {@code from} (inclusive) to {@code to} (exclusive) through {@link Chunks},
   * after the text appended so far and before the text appended next.
   */
  void parallel(int from, int to, Chunks.Part part) {
    parallel(from, to, 256, part);
  }

  /**
   * {@link #parallel(int, int, Chunks.Part)} for parts of about {@code charsPerIndex} characters
   * each.
   */
  void parallel(int from, int to, int charsPerIndex, Chunks.Part part) {
    seal();
    parts.addAll(Chunks.encoded(from, to, charsPerIndex, part));
  }

  private void seal() {
    if (text.length() > 0) {
      parts.add(text.toString().getBytes(StandardCharsets.UTF_8));
      text.setLength(0);
    }
  }

  /** Writes the whole page (nothing of it is written before it is rendered). */
  void writeTo(OutputStream out) throws IOException {
    seal();
    for (byte[] part : parts) {
      out.write(part);
    }
  }

  /** The page as text. */
  @Override
  public String toString() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try {
      writeTo(all);
    } catch (IOException e) {
      throw new AssertionError("A byte array stream does not fail", e);
    }
    return all.toString(StandardCharsets.UTF_8);
  }
}
