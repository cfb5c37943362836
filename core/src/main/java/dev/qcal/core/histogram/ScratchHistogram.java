package dev.qcal.core.histogram;

/**
 * The {@code int} scratch histogram of {@link SliceFill}'s interleaved loops, one per thread, grown
 * on demand and all zeros between calls: a loop adds it into its counts and clears it before it
 * returns, so an accumulator holds exactly its counts between calls, and no allocation is made per
 * slice.
 */
final class ScratchHistogram {
  private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[0]);

  private ScratchHistogram() {}

  /** This thread's scratch histogram, at least {@code length} zeros. */
  static int[] zeros(int length) {
    int[] d = SCRATCH.get();
    if (d.length < length) {
      d = new int[length];
      SCRATCH.set(d);
    }
    return d;
  }

  /** Adds {@code d[0, n)} into {@code counts} and clears it. */
  static void flush(int[] d, long[] counts, int n) {
    for (int j = 0; j < n; j++) {
      counts[j] += d[j];
      d[j] = 0;
    }
  }
}
