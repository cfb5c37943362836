package dev.qcal.core.report;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Renders the parts of a page that do not depend on one another (a tensor's section, a summary row)
 * a chunk of consecutive indices at a time, the chunks in parallel on the common fork-join pool and
 * the calling thread, each encoded in UTF-8 where it was rendered, in index order: the same bytes
 * as rendering them one after the other, in a fraction of the time on a driver with a free core.
 */
final class Chunks {
  /** Indices a chunk renders: enough to outweigh handing it to another thread. */
  static final int SIZE = 64;

  private Chunks() {}

  /** Renders one index into {@code out}. */
  @FunctionalInterface
  interface Part {
    void render(StringBuilder out, int index);
  }

  /**
   * The chunks of indices {@code from} to {@code to}, each rendered and encoded, in order; a
   * chunk's text starts with room for {@code charsPerIndex} characters an index (a summary row is
   * about 700, a detailed section 6 000, a name a few dozen), so that it is not copied into larger
   * arrays as it grows.
   */
  static List<byte[]> encoded(int from, int to, int charsPerIndex, Part part) {
    int chunks = (Math.max(0, to - from) + SIZE - 1) / SIZE;
    int capacity = SIZE * Math.max(1, charsPerIndex);
    return IntStream.range(0, chunks)
        .parallel()
        .mapToObj(
            c -> {
              StringBuilder chunk = new StringBuilder(capacity);
              for (int i = from + c * SIZE; i < Math.min(to, from + (c + 1) * SIZE); i++) {
                part.render(chunk, i);
              }
              return chunk.toString().getBytes(StandardCharsets.UTF_8);
            })
        .toList();
  }
}
