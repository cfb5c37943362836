package dev.qcal.jobs.scan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * A values column of a row group for {@link PageDecoder}: a list of float or double (the long
 * layout, a wide dump's array column) or one float or double a row (the scalar layout, a wide
 * dump's scalar column), decoded page by page into reused arrays: repetition and definition levels
 * through {@link LevelDecoder} (RLE runs in bulk; a level whose maximum is 0 is not stored), the
 * present values through {@link PageValues}. A list row's values go to the {@link ChunkSink} one
 * page's piece at a time; one-value rows go as one chunk per run of rows of one tensor in a page.
 * Nulls are counted, never passed as values.
 */
final class ValuesColumnDecoder {
  private final ChannelRowBuffer channelRow;
  private final LevelDecoder rep = new LevelDecoder();
  private final LevelDecoder def = new LevelDecoder();
  private final PageValues pageValues = new PageValues();

  /** The current page's present values ({@link PageValues#values}). */
  private float[] values = new float[0];

  private float[] elements = new float[0];
  private long nullRows;

  // Per column and row group.
  private ColumnDescriptor leaf;
  private boolean flat;
  private boolean valuesOptional;
  private boolean elementOptional;
  private TensorNameColumn names;
  private int row;
  private int rowCount;
  private boolean rowLive;
  private Path file;
  private String column;

  /**
   * @param channelRow gathers the rows of per-channel tensors, or null when there is none
   */
  ValuesColumnDecoder(ChannelRowBuffer channelRow) {
    this.channelRow = channelRow;
  }

  /** Rows skipped so far because their tensor name or values list was null. */
  long nullRows() {
    return nullRows;
  }

  /**
   * The column decoded next: its leaf in the file being read (float or double; a list's element
   * when its maximum repetition level is 1), and whether the list and its element are optional
   * (each file is decoded with its own footer's levels, whatever the first file declared). Doubles
   * are narrowed to float32 as Spark's reader does.
   */
  void column(ColumnDescriptor leaf, boolean valuesOptional, boolean elementOptional) {
    this.leaf = leaf;
    pageValues.column(leaf);
    this.flat = leaf.getMaxRepetitionLevel() == 0;
    this.valuesOptional = valuesOptional;
    this.elementOptional = elementOptional;
  }

  /**
   * Decodes one row group's pages of the {@link #column}, the rows named by {@code names}, into
   * {@code sink}.
   *
   * @param column the values column's name, for the message when its row count is wrong
   */
  void rowGroup(
      PageReader pages,
      TensorNameColumn names,
      int rowCount,
      ChunkSink sink,
      Path file,
      String column)
      throws IOException {
    this.names = names;
    this.rowCount = rowCount;
    this.file = file;
    this.column = column;
    pageValues.dictionary(pages.readDictionaryPage());
    row = -1;
    rowLive = false;
    DataPage page;
    while ((page = pages.readPage()) != null) {
      if (page instanceof DataPageV1) {
        pageV1((DataPageV1) page, sink);
      } else {
        pageV2((DataPageV2) page, sink);
      }
    }
    if (channelRow != null) {
      channelRow.end(sink);
    }
    if (row + 1 != rowCount) {
      throw rowCountError(String.valueOf(row + 1));
    }
  }

  private ParquetDecodingException rowCountError(String rows) {
    return new ParquetDecodingException(
        String.format(
            "Cannot read '%s': column '%s' has %s rows in a row group of %d",
            file, column, rows, rowCount));
  }

  @SuppressWarnings("deprecation") // BytesInput.toByteBuffer(): see PageValues.dictionary
  private void pageV1(DataPageV1 page, ChunkSink sink) throws IOException {
    int count = page.getValueCount();
    ByteBuffer bb = page.getBytes().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int p = bb.position();
    p = levelsV1(page.getRlEncoding(), ValuesType.REPETITION_LEVEL, bb, p, count, rep);
    p = levelsV1(page.getDlEncoding(), ValuesType.DEFINITION_LEVEL, bb, p, count, def);
    values(
        page.getValueEncoding(), bb.duplicate().position(p).order(ByteOrder.LITTLE_ENDIAN), count);
    rows(count, sink);
  }

  /**
   * Decodes a v1 page's repetition or definition levels starting at {@code bb[p]}; returns the
   * position after them. A level whose maximum is 0 is not stored (whatever encoding the page
   * names: parquet-java writes BIT_PACKED for it).
   */
  private int levelsV1(
      Encoding encoding, ValuesType type, ByteBuffer bb, int p, int count, LevelDecoder out)
      throws IOException {
    int max =
        type == ValuesType.REPETITION_LEVEL
            ? leaf.getMaxRepetitionLevel()
            : leaf.getMaxDefinitionLevel();
    if (max == 0) {
      out.decode(bb, p, p, 0, count, 0);
      return p;
    }
    if (encoding == Encoding.RLE) {
      int length = bb.getInt(p);
      out.decode(bb, p + 4, p + 4 + length, BytesUtils.getWidthFromMaxInt(max), count, max);
      return p + 4 + length;
    }
    // BIT_PACKED (deprecated) and anything else parquet-java reads: level by level.
    ByteBufferInputStream in = ByteBufferInputStream.wrap(bb.duplicate().position(p));
    generic(encoding.getValuesReader(leaf, type), in, out, count, max);
    return p + (int) in.position();
  }

  @SuppressWarnings("deprecation") // BytesInput.toByteBuffer(): see PageValues.dictionary
  private void pageV2(DataPageV2 page, ChunkSink sink) throws IOException {
    int count = page.getValueCount();
    int maxDef = leaf.getMaxDefinitionLevel();
    int maxRep = leaf.getMaxRepetitionLevel();
    ByteBuffer r = page.getRepetitionLevels().toByteBuffer();
    rep.decode(r, r.position(), r.limit(), BytesUtils.getWidthFromMaxInt(maxRep), count, maxRep);
    ByteBuffer d = page.getDefinitionLevels().toByteBuffer();
    def.decode(d, d.position(), d.limit(), BytesUtils.getWidthFromMaxInt(maxDef), count, maxDef);
    values(
        page.getDataEncoding(),
        page.getData().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN),
        count);
    rows(count, sink);
  }

  private static void generic(
      ValuesReader reader, ByteBufferInputStream in, LevelDecoder out, int count, int max)
      throws IOException {
    reader.initFromPage(count, in);
    out.begin(count);
    for (int i = 0; i < count; i++) {
      out.put(i, reader.readInteger(), max);
    }
  }

  /** Decodes the page's present values into {@code values[0, n)}. */
  private void values(Encoding encoding, ByteBuffer data, int count) throws IOException {
    int maxDef = leaf.getMaxDefinitionLevel();
    int n = count;
    if (!def.allMax) {
      n = 0;
      int[] levels = def.levels;
      for (int i = 0; i < count; i++) {
        if (levels[i] == maxDef) {
          n++;
        }
      }
    }
    pageValues.decode(encoding, data, n);
    values = pageValues.values();
  }

  /** Hands the page's values to the sink, row piece by row piece. */
  private void rows(int count, ChunkSink sink) {
    if (flat) {
      flatRows(count, sink);
      return;
    }
    if (def.allMax) {
      // Every entry is a present value: rows are the runs between repetition level 0.
      int from = 0;
      int[] zeros = rep.zeros;
      for (int k = 0; k < rep.zeroCount; k++) {
        int z = zeros[k];
        if (z > from && rowLive) {
          present(sink, from, z);
        }
        startRow(false, sink);
        from = z;
      }
      if (count > from && rowLive) {
        present(sink, from, count);
      } else if (count > from && row < 0) {
        throw new ParquetDecodingException(
            "A page starts inside a row that began in no earlier page");
      }
      return;
    }
    // Nulls or empty lists: build the elements entry by entry, counting the row's null elements.
    if (elements.length < count) {
      elements = new float[Math.max(count, elements.length * 2)];
    }
    int[] r = rep.levels;
    int[] d = def.levels;
    int maxDef = leaf.getMaxDefinitionLevel();
    int vi = 0;
    int o = 0;
    int from = 0;
    int nulls = 0;
    for (int i = 0; i < count; i++) {
      if (r[i] == 0) {
        if (rowLive) {
          piece(sink, from, o, nulls); // may be empty: an empty list marks the tensor
        }
        startRow(valuesOptional && d[i] == 0, sink);
        from = o;
        nulls = 0;
      }
      int level = d[i];
      if (rowLive && channelRow != null && channelRow.open()) {
        // A per-channel row keeps each element in its place: a shape splits by position.
        if (level == maxDef) {
          channelRow.add(values[vi++]);
        } else if (elementOptional && level == maxDef - 1) {
          channelRow.addNull();
        }
      } else if (level == maxDef) {
        elements[o++] = values[vi++];
      } else if (elementOptional && level == maxDef - 1) {
        nulls++;
      }
    }
    if (rowLive) {
      piece(sink, from, o, nulls);
    }
  }

  /**
   * Hands a page of one-value rows to the sink: one chunk per run of rows of one tensor, and the
   * run's nulls. A run of rows with a null name is skipped and counted in {@link #nullRows}.
   */
  private void flatRows(int count, ChunkSink sink) {
    if (count > names.remaining()) {
      throw rowCountError("more than " + (row + 1 + names.remaining()));
    }
    int[] d = def.levels;
    int maxDef = leaf.getMaxDefinitionLevel();
    int vi = 0;
    for (int i = 0; i < count; ) {
      int n = names.run(count - i);
      int present = n;
      if (!def.allMax) {
        present = 0;
        for (int k = i; k < i + n; k++) {
          if (d[k] == maxDef) {
            present++;
          }
        }
      }
      String name = names.name();
      if (name == null) {
        nullRows += n;
      } else if (names.selected()) {
        if (present > 0) {
          sink.accept(name, values, vi, vi + present);
        }
        if (present < n) {
          sink.nulls(name, n - present, 0);
        }
      }
      vi += present;
      i += n;
      row += n;
    }
  }

  /**
   * The current row's present values {@code values[from, to)} of this page (no null among them).
   */
  private void present(ChunkSink sink, int from, int to) {
    if (channelRow != null && channelRow.open()) {
      channelRow.add(values, from, to);
    } else {
      sink.accept(names.name(), values, from, to);
    }
  }

  /** The current row's piece of this page: {@code elements[from, to)} and its null elements. */
  private void piece(ChunkSink sink, int from, int to, int nulls) {
    if (channelRow != null && channelRow.open()) {
      return; // gathered entry by entry, handed over when the row ends
    }
    sink.accept(names.name(), elements, from, to);
    if (nulls > 0) {
      sink.nulls(names.name(), nulls, 0);
    }
  }

  private void startRow(boolean nullValues, ChunkSink sink) {
    if (channelRow != null) {
      channelRow.end(sink);
    }
    if (names.remaining() == 0) {
      throw rowCountError("more than " + (row + 1));
    }
    row++;
    names.next();
    String name = names.name();
    if (name == null || nullValues) {
      nullRows++;
      rowLive = false;
      if (name != null && names.selected()) {
        sink.nulls(name, 0, 1); // the tensor's null row
      }
    } else {
      rowLive = names.selected();
      if (rowLive && channelRow != null && names.perChannel()) {
        channelRow.start(name, row);
      }
    }
  }
}
