package dev.qcal.jobs.scan;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.parquet.column.values.bitpacking.BytePacker;
import org.apache.parquet.column.values.bitpacking.Packer;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * Decodes a page's repetition or definition levels (Parquet's RLE / bit-packing hybrid) into a
 * reused {@code int[]}, run by run: an RLE run is one {@link Arrays#fill}, so the levels of a page
 * of long arrays (a few runs) cost almost nothing. While decoding it notes where level 0 occurs
 * (row starts, for repetition levels) and whether every level equals the maximum (no null, no empty
 * list, for definition levels), so the common page needs no per-value level scan.
 */
final class LevelDecoder {
  /**
   * The {@code max} of a decode that needs neither row starts nor the all-max check (dictionary
   * ids).
   */
  static final int NO_MAX = -1;

  private final int[] group = new int[8];
  int[] levels = new int[0];
  int[] zeros = new int[16];
  int zeroCount;
  boolean allMax;

  /**
   * Decodes {@code count} levels of {@code bitWidth} bits from {@code buf[pos, end)}; returns the
   * position after the last run read.
   */
  int decode(ByteBuffer buf, int pos, int end, int bitWidth, int count, int max) {
    begin(count);
    if (bitWidth == 0) { // a column whose max level is 0 stores no levels
      Arrays.fill(levels, 0, count, 0);
      note(0, 0, count, max);
      return pos;
    }
    BytePacker packer = Packer.LITTLE_ENDIAN.newBytePacker(bitWidth);
    int valueBytes = (bitWidth + 7) / 8;
    int n = 0;
    while (n < count) {
      if (pos >= end) {
        throw new ParquetDecodingException("Levels end after " + n + " of " + count + " values");
      }
      int header = 0;
      int shift = 0;
      int b;
      do {
        b = buf.get(pos++) & 0xFF;
        header |= (b & 0x7F) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      if ((header & 1) == 0) {
        int run = header >>> 1;
        int value = 0;
        for (int i = 0; i < valueBytes; i++) {
          value |= (buf.get(pos++) & 0xFF) << (8 * i);
        }
        int take = Math.min(run, count - n);
        Arrays.fill(levels, n, n + take, value);
        note(value, n, take, max);
        n += take;
      } else {
        int groups = header >>> 1;
        for (int g = 0; g < groups; g++) {
          packer.unpack8Values(buf, pos, group, 0);
          pos += bitWidth;
          int take = Math.min(8, count - n);
          for (int i = 0; i < take; i++) {
            int v = group[i];
            levels[n + i] = v;
            note(v, n + i, 1, max);
          }
          n += take;
        }
      }
    }
    return pos;
  }

  /** Starts a value-by-value decode of {@code count} levels ({@link #put}). */
  void begin(int count) {
    if (levels.length < count) {
      levels = new int[Math.max(count, levels.length * 2)];
    }
    zeroCount = 0;
    allMax = true;
  }

  /** Level {@code i} of a value-by-value decode. */
  void put(int i, int value, int max) {
    levels[i] = value;
    note(value, i, 1, max);
  }

  private void note(int value, int at, int length, int max) {
    if (max == NO_MAX) {
      allMax = false;
      return;
    }
    if (value != max) {
      allMax = false;
    }
    if (value == 0 && length > 0) {
      if (zeroCount + length > zeros.length) {
        zeros = Arrays.copyOf(zeros, Math.max(zeros.length * 2, zeroCount + length));
      }
      for (int i = 0; i < length; i++) {
        zeros[zeroCount++] = at + i;
      }
    }
  }
}
