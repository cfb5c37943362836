package dev.qcal.core.calib.wq;

/**
 * The results of {@link WeightedEntropySlicer}'s boundary searches by range [lo, hi]: an
 * open-addressing hash table of long keys and int values (no boxing), grown to keep at most half of
 * it full. Package-private.
 */
final class RangeResults {
  /** Key 0 marks a free slot: every key is offset by one. */
  private long[] keys;

  private int[] results;
  private int mask;
  private int shift;
  private int size;

  /** A table for the searches over {@code atoms} atoms (sized from it, grown when needed). */
  RangeResults(int atoms) {
    allocate(Integer.highestOneBit(Math.max(16, Math.min(atoms, 1 << 16))) * 8);
  }

  private static long key(int lo, int hi) {
    return (((long) lo << 32) | (hi & 0xffffffffL)) + 1;
  }

  /** The slot of [lo, hi]: its own, or the free slot where it would go. */
  int find(int lo, int hi) {
    long key = key(lo, hi);
    int i = (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    while (keys[i] != 0 && keys[i] != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  boolean has(int slot) {
    return keys[slot] != 0;
  }

  int result(int slot) {
    return results[slot];
  }

  /** Stores the result of [lo, hi] in the free slot {@code slot} that {@link #find} gave for it. */
  void put(int slot, int lo, int hi, int result) {
    keys[slot] = key(lo, hi);
    results[slot] = result;
    if (++size * 2 > keys.length) {
      long[] oldKeys = keys;
      int[] oldResults = results;
      allocate(keys.length * 2);
      for (int j = 0; j < oldKeys.length; j++) {
        if (oldKeys[j] != 0) {
          long key = oldKeys[j];
          int i = (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
          while (keys[i] != 0) {
            i = (i + 1) & mask;
          }
          keys[i] = key;
          results[i] = oldResults[j];
          size++;
        }
      }
    }
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    results = new int[capacity];
    mask = capacity - 1;
    shift = 64 - Integer.numberOfTrailingZeros(capacity);
    size = 0;
  }
}
