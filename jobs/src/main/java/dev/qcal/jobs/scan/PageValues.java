package dev.qcal.jobs.scan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * The present values of one float or double column's pages, decoded into a reused float array:
 * PLAIN in bulk, dictionary ids through {@link LevelDecoder} against the row group's dictionary,
 * any other encoding (BYTE_STREAM_SPLIT, ...) value by value through parquet-java's own readers.
 * Doubles are narrowed to float32 as Spark's reader does.
 */
final class PageValues {
  private final LevelDecoder ids = new LevelDecoder();
  private ColumnDescriptor leaf;
  private boolean doubles;
  private float[] dictionary;
  private float[] values = new float[0];
  private double[] wide = new double[0];

  /** The column decoded next: its float or double leaf in the file being read. */
  void column(ColumnDescriptor leaf) {
    this.leaf = leaf;
    this.doubles = leaf.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.DOUBLE;
  }

  /** The values decoded by the last {@link #decode}, from index 0 (the array is reused). */
  float[] values() {
    return values;
  }

  // parquet-java 1.15 deprecates BytesInput.toByteBuffer() and PLAIN_DICTIONARY for its own
  // readers' allocator plumbing; the page decoder reads its own pages (StreamedColumnChunk) and
  // must
  // still decode the PLAIN_DICTIONARY pages older writers produce.
  /** The row group's dictionary page, or null when it has none. */
  @SuppressWarnings("deprecation")
  void dictionary(DictionaryPage page) throws IOException {
    if (page == null) {
      dictionary = null;
      return;
    }
    Encoding e = page.getEncoding();
    int n = page.getDictionarySize();
    float[] out = new float[n];
    if (e == Encoding.PLAIN || e == Encoding.PLAIN_DICTIONARY) {
      ByteBuffer bb = page.getBytes().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      int p = bb.position();
      for (int i = 0; i < n; i++) {
        out[i] = doubles ? (float) bb.getDouble(p + 8 * i) : bb.getFloat(p + 4 * i);
      }
    } else {
      Dictionary d = e.initDictionary(leaf, page);
      for (int i = 0; i < n; i++) {
        out[i] = doubles ? (float) d.decodeToDouble(i) : d.decodeToFloat(i);
      }
    }
    dictionary = out;
  }

  /** Decodes a page's {@code n} present values, encoded as {@code encoding} in {@code data}. */
  void decode(Encoding encoding, ByteBuffer data, int n) throws IOException {
    if (values.length < n) {
      values = new float[Math.max(n, values.length * 2)];
    }
    int p = data.position();
    if (encoding == Encoding.PLAIN) {
      if (doubles) {
        if (wide.length < n) {
          wide = new double[Math.max(n, wide.length * 2)];
        }
        data.asDoubleBuffer().get(wide, 0, n);
        for (int i = 0; i < n; i++) {
          values[i] = (float) wide[i];
        }
      } else {
        data.asFloatBuffer().get(values, 0, n);
      }
    } else if (encoding.usesDictionary() && dictionary != null) {
      int bitWidth = data.get(p) & 0xFF;
      ids.decode(data, p + 1, data.limit(), bitWidth, n, LevelDecoder.NO_MAX);
      int[] id = ids.levels;
      float[] dict = dictionary;
      for (int i = 0; i < n; i++) {
        values[i] = dict[id[i]];
      }
    } else {
      // BYTE_STREAM_SPLIT and anything else parquet-java reads: value by value.
      ValuesReader reader = encoding.getValuesReader(leaf, ValuesType.VALUES);
      reader.initFromPage(n, ByteBufferInputStream.wrap(data));
      for (int i = 0; i < n; i++) {
        values[i] = doubles ? (float) reader.readDouble() : reader.readFloat();
      }
    }
  }
}
