package dev.qcal.jobs.scan;

import dev.qcal.jobs.dump.ChannelSource;
import java.io.IOException;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Decodes the long layout (tensor string, values list&lt;float|double&gt;) of the row groups of one
 * file split, straight from Parquet pages into reused arrays, and hands each row's values to a
 * {@link ChunkSink} page by page (a row spanning pages arrives as several chunks: every accumulator
 * is additive). parquet-java reads the column chunks and decompresses the pages (any codec); this
 * class checks each file's two columns and walks its row groups: {@link TensorNameColumn} reads the
 * names, {@link ValuesColumnDecoder} the levels and values (PLAIN and dictionary floats or doubles
 * in bulk, RLE levels run by run, and any other encoding (BYTE_STREAM_SPLIT, bit-packed levels)
 * value by value through parquet-java's own value readers).
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
  private final TensorNameColumn names;
  private final ValuesColumnDecoder values;
  private final ChannelColumn channels;
  private final ChannelRowBuffer channelRows;
  private final BufferPool buffers = BufferPool.SHARED;
  private ReusingCodecs codecs;
  private long rows;

  /** The values column's leaf in the file being read. */
  private ColumnDescriptor leaf;

  /**
   * @param perChannel the per-channel tensors, whose rows also go to the sink whole with their
   *     channels ({@link ChunkSink#channelRow}), or null when there is none
   */
  PageDecoder(
      String tensorColumn,
      String valuesColumn,
      boolean doubles,
      Pattern tensors,
      PerChannelRows perChannel) {
    this.tensorColumn = tensorColumn;
    this.valuesColumn = valuesColumn;
    this.doubles = doubles;
    this.names = new TensorNameColumn(tensors, perChannel);
    this.channels = perChannel == null ? null : new ChannelColumn(perChannel.source());
    this.channelRows = perChannel == null ? null : new ChannelRowBuffer(perChannel, channels);
    this.values = new ValuesColumnDecoder(doubles, channelRows);
  }

  /** Rows read so far (null rows included). */
  long rows() {
    return rows;
  }

  /** Rows skipped so far because their tensor name or values list was null. */
  long nullRows() {
    return values.nullRows();
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
        names.read(group, requested, name, createdBy, count);
        if (channels != null) {
          channels.read(group, requested, createdBy, count);
          channelRows.rowGroup(file.toString(), group.getRowIndexOffset().orElse(-1L));
        }
        rows += count;
        values.rowGroup(group.getPageReader(leaf), names, count, sink, file, valuesColumn);
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
    Type list = schema.getType(valuesColumn);
    MessageType requested =
        channels == null
            ? new MessageType(schema.getName(), tensor, list)
            : new MessageType(schema.getName(), tensor, list, channelType(schema, file));
    ColumnDescriptor found = null;
    for (ColumnDescriptor c : requested.getColumns()) {
      if (c.getPath()[0].equals(valuesColumn)) {
        if (found != null) {
          throw wrongType(file, valuesColumn, list, "a list of " + (doubles ? "double" : "float"));
        }
        found = c;
      }
    }
    PrimitiveTypeName expected = doubles ? PrimitiveTypeName.DOUBLE : PrimitiveTypeName.FLOAT;
    if (found == null
        || found.getMaxRepetitionLevel() != 1
        || found.getPrimitiveType().getPrimitiveTypeName() != expected) {
      throw wrongType(file, valuesColumn, list, "a list of " + (doubles ? "double" : "float"));
    }
    leaf = found;
    values.file(
        found,
        list.isRepetition(Type.Repetition.OPTIONAL),
        found.getPrimitiveType().isRepetition(Type.Repetition.OPTIONAL));
    return requested;
  }

  /**
   * The channel or shape column of this file, checked as the first file's was (an integer, or a
   * list of integers), its leaf handed to {@link ChannelColumn}.
   */
  private Type channelType(MessageType schema, Path file) {
    String column = channels.name();
    boolean shape = channels.source().kind() == ChannelSource.Kind.SHAPE;
    String expected = shape ? "a list of integers (a shape)" : "an integer channel index";
    if (!schema.containsField(column)) {
      throw new ParquetDecodingException(
          String.format(
              "Cannot read '%s': no column '%s' (the first file has it); columns: %s",
              file, column, schema.getFields()));
    }
    Type type = schema.getType(column);
    MessageType alone = new MessageType(schema.getName(), type);
    if (alone.getColumns().size() != 1) {
      throw wrongType(file, column, type, expected);
    }
    ColumnDescriptor leaf = alone.getColumns().get(0);
    PrimitiveTypeName t = leaf.getPrimitiveType().getPrimitiveTypeName();
    if ((t != PrimitiveTypeName.INT32 && t != PrimitiveTypeName.INT64)
        || leaf.getMaxRepetitionLevel() != (shape ? 1 : 0)) {
      throw wrongType(file, column, type, expected);
    }
    channels.file(
        leaf,
        type.isRepetition(Type.Repetition.OPTIONAL),
        leaf.getPrimitiveType().isRepetition(Type.Repetition.OPTIONAL));
    return type;
  }

  private static ParquetDecodingException wrongType(
      Path file, String column, Type type, String expected) {
    return new ParquetDecodingException(
        String.format(
            "Cannot read '%s': column '%s' is %s, expected %s (as in the first file)",
            file, column, type.toString().replace('\n', ' '), expected));
  }
}
