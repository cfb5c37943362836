package dev.qcal.jobs.scan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Decodes the long layout (tensor string, values list&lt;float|double&gt;) of the row groups of one
 * file split, straight from Parquet pages into reused arrays, and hands each row's values to a
 * {@link ChunkSink} page by page (a row spanning pages arrives as several chunks: every accumulator
 * is additive). parquet-java reads the column chunks and decompresses the pages (any codec); this
 * class decodes the levels and values: PLAIN and dictionary floats or doubles in bulk, RLE levels
 * run by run, and any other encoding (BYTE_STREAM_SPLIT, bit-packed levels) value by value through
 * parquet-java's own value readers. The tensor column (a few thousand rows per row group) goes
 * through parquet-java's generic column reader.
 *
 * <p>The values are those Spark's reader gives: doubles narrowed to float32, an empty list is a
 * chunk of no value. Nulls are no values, counted per tensor through {@link ChunkSink#nulls}: a
 * null element (definition level one below the maximum, when the element is optional), and a row
 * whose values list is null (level 0, when the list is optional). A row whose tensor name or values
 * list is null is skipped and counted in {@link #nullRows}. Each file is decoded with its own
 * footer's levels, whatever the first file declared. {@code PageDecoderTest} checks this against
 * Spark's reader.
 */
final class PageDecoder {

  private final String tensorColumn;
  private final String valuesColumn;
  private final boolean doubles;
  private final Pattern tensors;
  private final Map<Binary, RowName> names = new HashMap<>();
  private final LevelDecoder rep = new LevelDecoder();
  private final LevelDecoder def = new LevelDecoder();
  private final LevelDecoder ids = new LevelDecoder();
  private final BufferPool buffers = BufferPool.SHARED;
  private ReusingCodecs codecs;
  private float[] values = new float[0];
  private float[] elements = new float[0];
  private double[] wide = new double[0];
  private long rows;
  private long nullRows;

  // Per file and row group.
  private ColumnDescriptor leaf;
  private boolean valuesOptional;
  private boolean elementOptional;
  private float[] dictionary;
  private String[] rowNames = new String[0];

  /** Whether --tensors selects each row's tensor (rows with a null name: false). */
  private boolean[] rowSelected = new boolean[0];

  private int row;
  private boolean rowLive;

  PageDecoder(String tensorColumn, String valuesColumn, boolean doubles, Pattern tensors) {
    this.tensorColumn = tensorColumn;
    this.valuesColumn = valuesColumn;
    this.doubles = doubles;
    this.tensors = tensors;
  }

  /** Rows read so far (null rows included). */
  long rows() {
    return rows;
  }

  /** Rows skipped so far because their tensor name or values list was null. */
  long nullRows() {
    return nullRows;
  }

  /** Decodes the row groups whose midpoint lies in {@code [start, end)} of {@code file}. */
  void scan(Path file, long start, long end, Configuration conf, ChunkSink sink)
      throws IOException {
    // The task's pooled buffers and reused decompressors (see BufferPool, PageCodecs): parquet-java
    // would allocate both afresh for every file.
    ParquetReadOptions options =
        HadoopReadOptions.builder(conf, file)
            .withRange(start, end)
            .withAllocator(buffers)
            .withCodecFactory(codecs(conf))
            .build();
    try (ParquetFileReader reader =
        new ParquetFileReader(HadoopInputFile.fromPath(file, conf), options)) {
      if (reader.getRowGroups().isEmpty()) {
        return;
      }
      MessageType schema = reader.getFileMetaData().getSchema();
      MessageType requested = project(schema, file);
      reader.setRequestedSchema(requested);
      ColumnDescriptor name = requested.getColumnDescription(new String[] {tensorColumn});
      String createdBy = reader.getFileMetaData().getCreatedBy();
      PageReadStore group;
      while ((group = reader.readNextRowGroup()) != null) {
        int count = Math.toIntExact(group.getRowCount());
        readNames(group, requested, name, createdBy, count);
        rows += count;
        readValues(group.getPageReader(leaf), count, sink, file);
        group.close(); // hands the row group's buffers back to the pool
      }
    }
  }

  private ReusingCodecs codecs(Configuration conf) {
    if (codecs == null) {
      codecs = new ReusingCodecs(new CodecFactory(conf, 0));
    }
    return codecs;
  }

  /** The two columns, checked against what the first file's schema promised. */
  private MessageType project(MessageType schema, Path file) {
    if (!schema.containsField(tensorColumn) || !schema.containsField(valuesColumn)) {
      throw new ParquetDecodingException(
          String.format(
              "Cannot read '%s': no column '%s' (the first file has it); columns: %s",
              file,
              schema.containsField(tensorColumn) ? valuesColumn : tensorColumn,
              schema.getFields()));
    }
    Type tensor = schema.getType(tensorColumn);
    if (!tensor.isPrimitive()
        || tensor.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.BINARY
        || tensor.isRepetition(Type.Repetition.REPEATED)) {
      throw wrongType(file, tensorColumn, tensor, "a string");
    }
    Type values = schema.getType(valuesColumn);
    MessageType requested = new MessageType(schema.getName(), tensor, values);
    ColumnDescriptor found = null;
    for (ColumnDescriptor c : requested.getColumns()) {
      if (c.getPath()[0].equals(valuesColumn)) {
        if (found != null) {
          throw wrongType(
              file, valuesColumn, values, "a list of " + (doubles ? "double" : "float"));
        }
        found = c;
      }
    }
    PrimitiveTypeName expected = doubles ? PrimitiveTypeName.DOUBLE : PrimitiveTypeName.FLOAT;
    if (found == null
        || found.getMaxRepetitionLevel() != 1
        || found.getPrimitiveType().getPrimitiveTypeName() != expected) {
      throw wrongType(file, valuesColumn, values, "a list of " + (doubles ? "double" : "float"));
    }
    leaf = found;
    valuesOptional = values.isRepetition(Type.Repetition.OPTIONAL);
    elementOptional = found.getPrimitiveType().isRepetition(Type.Repetition.OPTIONAL);
    return requested;
  }

  private static ParquetDecodingException wrongType(
      Path file, String column, Type type, String expected) {
    return new ParquetDecodingException(
        String.format(
            "Cannot read '%s': column '%s' is %s, expected %s (as in the first file)",
            file, column, type.toString().replace('\n', ' '), expected));
  }

  /** A tensor name as read, and whether --tensors selects it. */
  private record RowName(String text, boolean selected) {}

  /** The tensor name of every row of the row group (null: null name) and whether it is selected. */
  private void readNames(
      PageReadStore group,
      MessageType requested,
      ColumnDescriptor column,
      String createdBy,
      int count) {
    if (rowNames.length < count) {
      rowNames = new String[Math.max(count, rowNames.length * 2)];
      rowSelected = new boolean[rowNames.length];
    }
    ColumnReader reader =
        new ColumnReadStoreImpl(group, new IgnoringConverter(), requested, createdBy)
            .getColumnReader(column);
    int max = column.getMaxDefinitionLevel();
    for (int i = 0; i < count; i++) {
      if (reader.getCurrentDefinitionLevel() == max) {
        Binary b = reader.getBinary();
        RowName s = names.get(b);
        if (s == null) {
          String text = b.toStringUsingUTF8();
          s = new RowName(text, tensors == null || tensors.matcher(text).matches());
          names.put(b.copy(), s);
        }
        rowNames[i] = s.text();
        rowSelected[i] = s.selected();
      } else {
        rowNames[i] = null;
        rowSelected[i] = false;
      }
      reader.consume();
    }
  }

  private void readValues(PageReader pages, int rowCount, ChunkSink sink, Path file)
      throws IOException {
    DictionaryPage dict = pages.readDictionaryPage();
    dictionary = dict == null ? null : dictionary(dict);
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
    if (row + 1 != rowCount) {
      throw new ParquetDecodingException(
          String.format(
              "Cannot read '%s': column '%s' has %d rows in a row group of %d",
              file, valuesColumn, row + 1, rowCount));
    }
  }

  // parquet-java 1.15 deprecates BytesInput.toByteBuffer() and PLAIN_DICTIONARY for its own
  // readers'
  // allocator plumbing; the page decoder owns its buffers (BufferPool) and must still decode the
  // PLAIN_DICTIONARY pages older writers produce.
  @SuppressWarnings("deprecation")
  private float[] dictionary(DictionaryPage page) throws IOException {
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
    return out;
  }

  @SuppressWarnings("deprecation") // BytesInput.toByteBuffer(): see dictionary
  private void pageV1(DataPageV1 page, ChunkSink sink) throws IOException {
    int count = page.getValueCount();
    ByteBuffer bb = page.getBytes().toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int maxDef = leaf.getMaxDefinitionLevel();
    ByteBuffer data;
    if (page.getRlEncoding() == Encoding.RLE && page.getDlEncoding() == Encoding.RLE) {
      int p = bb.position();
      int length = bb.getInt(p);
      rep.decode(bb, p + 4, p + 4 + length, 1, count, 1);
      p += 4 + length;
      length = bb.getInt(p);
      def.decode(bb, p + 4, p + 4 + length, BytesUtils.getWidthFromMaxInt(maxDef), count, maxDef);
      p += 4 + length;
      data = bb.duplicate().position(p);
    } else {
      ByteBufferInputStream in = ByteBufferInputStream.wrap(bb);
      generic(
          page.getRlEncoding().getValuesReader(leaf, ValuesType.REPETITION_LEVEL),
          in,
          rep,
          count,
          1);
      generic(
          page.getDlEncoding().getValuesReader(leaf, ValuesType.DEFINITION_LEVEL),
          in,
          def,
          count,
          maxDef);
      data = in.slice(in.available());
    }
    values(page.getValueEncoding(), data.order(ByteOrder.LITTLE_ENDIAN), count);
    rows(count, sink);
  }

  @SuppressWarnings("deprecation") // BytesInput.toByteBuffer(): see dictionary
  private void pageV2(DataPageV2 page, ChunkSink sink) throws IOException {
    int count = page.getValueCount();
    int maxDef = leaf.getMaxDefinitionLevel();
    ByteBuffer r = page.getRepetitionLevels().toByteBuffer();
    rep.decode(r, r.position(), r.limit(), 1, count, 1);
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

  /** Hands the page's values to the sink, row piece by row piece. */
  private void rows(int count, ChunkSink sink) {
    if (def.allMax) {
      // Every entry is a present value: rows are the runs between repetition level 0.
      int from = 0;
      int[] zeros = rep.zeros;
      for (int k = 0; k < rep.zeroCount; k++) {
        int z = zeros[k];
        if (z > from && rowLive) {
          sink.accept(rowNames[row], values, from, z);
        }
        startRow(false, sink);
        from = z;
      }
      if (count > from && rowLive) {
        sink.accept(rowNames[row], values, from, count);
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
      if (level == maxDef) {
        elements[o++] = values[vi++];
      } else if (elementOptional && level == maxDef - 1) {
        nulls++;
      }
    }
    if (rowLive) {
      piece(sink, from, o, nulls);
    }
  }

  /** The current row's piece of this page: {@code elements[from, to)} and its null elements. */
  private void piece(ChunkSink sink, int from, int to, int nulls) {
    sink.accept(rowNames[row], elements, from, to);
    if (nulls > 0) {
      sink.nulls(rowNames[row], nulls, 0);
    }
  }

  private void startRow(boolean nullValues, ChunkSink sink) {
    row++;
    String name = rowNames[row];
    if (name == null || nullValues) {
      nullRows++;
      rowLive = false;
      if (name != null && rowSelected[row]) {
        sink.nulls(name, 0, 1); // the tensor's null row
      }
    } else {
      rowLive = rowSelected[row];
    }
  }

  /** A converter that converts nothing: the generic column reader needs one per column. */
  private static final class IgnoringConverter extends GroupConverter {
    private final PrimitiveConverter primitive = new PrimitiveConverter() {};

    @Override
    public Converter getConverter(int fieldIndex) {
      return primitive;
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }
}
