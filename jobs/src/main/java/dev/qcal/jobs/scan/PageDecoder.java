package dev.qcal.jobs.scan;

import dev.qcal.jobs.dump.ChannelSource;
import dev.qcal.jobs.dump.DumpLayout;
import dev.qcal.jobs.dump.Layout;
import dev.qcal.jobs.dump.ValueKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Decodes the row groups of one file split, in any layout, straight from Parquet pages into reused
 * arrays, and hands the values to a {@link ChunkSink} page by page (a row spanning pages arrives as
 * several chunks, a run of one-value rows of one tensor as one: every accumulator is additive).
 * parquet-java reads the column chunks and decompresses the pages (any codec); this class checks
 * each file's columns against the first file's and walks its row groups: {@link TensorNameColumn}
 * names the rows (the tensor-name column of the long and scalar layouts, the column's own name in
 * the wide layout, one column chunk per tensor), {@link ValuesColumnDecoder} reads the levels and
 * values (PLAIN and dictionary floats or doubles in bulk, RLE levels run by run, and any other
 * encoding (BYTE_STREAM_SPLIT, bit-packed levels) value by value through parquet-java's own value
 * readers).
 *
 * <p>The values are those Spark's reader gives: doubles narrowed to float32, an empty list is a
 * chunk of no value. Nulls are no values, counted per tensor through {@link ChunkSink#nulls}: a
 * null element or scalar (definition level one below the maximum, when it is optional), and a row
 * whose values list is null (level 0, when the list is optional). A row of the long or scalar
 * layout whose tensor name is null, or of the long layout whose values list is null, is skipped and
 * counted in {@link #nullRows}; a wide dump skips no row (a null cell is its tensor's null). Each
 * file is decoded with its own footer's levels, whatever the first file declared. {@code
 * PageDecoderTest} checks this against Spark's reader.
 */
final class PageDecoder {
  private final DumpLayout layout;
  private final TensorNameColumn names;
  private final ValuesColumnDecoder values;
  private final ChannelColumn channels;
  private final ChannelRowBuffer channelRows;
  private ReusingCodecs codecs;
  private long rows;

  /** The values columns' leaves in the file being read. */
  private final List<ValueColumn> read = new ArrayList<>();

  /**
   * A values column of the file being read: its leaf, and whether the list and its element (or the
   * scalar) are optional.
   */
  private record ValueColumn(
      String name, ColumnDescriptor leaf, boolean listOptional, boolean elementOptional) {}

  /**
   * @param layout the dump's resolved layout: the columns read and their kinds
   * @param tensors the {@code --tensors} filter of the long and scalar layouts, or null
   * @param perChannel the per-channel tensors of the long layout, whose rows also go to the sink
   *     whole with their channels ({@link ChunkSink#channelRow}), or null when there is none
   */
  PageDecoder(DumpLayout layout, Pattern tensors, PerChannelRows perChannel) {
    this.layout = layout;
    this.names = new TensorNameColumn(tensors, perChannel);
    this.channels = perChannel == null ? null : new ChannelColumn(perChannel.source());
    this.channelRows = perChannel == null ? null : new ChannelRowBuffer(perChannel, channels);
    this.values = new ValuesColumnDecoder(channelRows);
  }

  /** Rows read so far (null rows included). */
  long rows() {
    return rows;
  }

  /** Rows skipped so far because their tensor name or values list was null. */
  long nullRows() {
    return wide() ? 0 : values.nullRows();
  }

  private boolean wide() {
    return layout.layout() == Layout.WIDE;
  }

  /** Decodes the row groups whose midpoint lies in {@code [start, end)} of {@code file}. */
  void scan(Path file, long start, long end, Configuration conf, ChunkSink sink)
      throws IOException {
    // Reused decompressors (ReusingCodecs); the pages are read one at a time (StreamedRowGroup).
    InputFile input = HadoopInputFile.fromPath(file, conf);
    ParquetReadOptions options =
        HadoopReadOptions.builder(conf, file).withRange(start, end).build();
    try (ParquetFileReader reader = new ParquetFileReader(input, options)) {
      if (reader.getRowGroups().isEmpty()) {
        return;
      }
      MessageType schema = reader.getFileMetaData().getSchema();
      MessageType requested = project(schema, file);
      ColumnDescriptor name =
          wide() ? null : requested.getColumnDescription(new String[] {layout.column(0)});
      String createdBy = reader.getFileMetaData().getCreatedBy();
      for (BlockMetaData block : reader.getRowGroups()) {
        try (StreamedRowGroup group = new StreamedRowGroup(input, block, codecs(conf))) {
          rowGroup(group, requested, name, createdBy, file, sink);
        }
      }
    }
  }

  private void rowGroup(
      StreamedRowGroup group,
      MessageType requested,
      ColumnDescriptor name,
      String createdBy,
      Path file,
      ChunkSink sink)
      throws IOException {
    int count = Math.toIntExact(group.getRowCount());
    if (channels != null) {
      channels.read(group, requested, createdBy, count);
      channelRows.rowGroup(file.toString(), group.getRowIndexOffset().orElse(-1L));
    }
    rows += count;
    for (ValueColumn c : read) {
      if (name == null) {
        names.constant(c.name(), count);
      } else {
        names.rowGroup(group, requested, name, createdBy, count);
      }
      values.column(c.leaf(), c.listOptional(), c.elementOptional());
      values.rowGroup(group.getPageReader(c.leaf()), names, count, sink, file, c.name());
    }
  }

  private ReusingCodecs codecs(Configuration conf) {
    if (codecs == null) {
      codecs = new ReusingCodecs(new CodecFactory(conf, 0));
    }
    return codecs;
  }

  /**
   * The columns read, checked against what the first file's schema promised; their leaves in {@link
   * #read}.
   */
  private MessageType project(MessageType schema, Path file) {
    List<Type> fields = new ArrayList<>();
    read.clear();
    int first = 0;
    if (!wide()) {
      String tensorColumn = layout.column(0);
      Type tensor = field(schema, file, tensorColumn);
      if (!tensor.isPrimitive()
          || tensor.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.BINARY
          || tensor.isRepetition(Type.Repetition.REPEATED)) {
        throw wrongType(file, tensorColumn, tensor, "a string");
      }
      fields.add(tensor);
      first = 1;
    }
    for (int i = first; i < layout.columnCount(); i++) {
      fields.add(valuesColumn(schema, file, layout.column(i), layout.kind(i)));
    }
    if (channels != null) {
      fields.add(channelType(schema, file));
    }
    return new MessageType(schema.getName(), fields);
  }

  /** Field {@code column} of {@code schema}, which the first file has. */
  private static Type field(MessageType schema, Path file, String column) {
    if (!schema.containsField(column)) {
      throw new ParquetDecodingException(
          String.format(
              "Cannot read '%s': no column '%s' (the first file has it); columns: %s",
              file, column, schema.getFields()));
    }
    return schema.getType(column);
  }

  /**
   * Values column {@code column}, checked to hold what {@code kind} says: one float or double leaf,
   * in a list (repetition level 1) when the kind is an array.
   */
  private Type valuesColumn(MessageType schema, Path file, String column, ValueKind kind) {
    Type type = field(schema, file, column);
    boolean doubles = kind == ValueKind.DOUBLE || kind == ValueKind.DOUBLE_ARRAY;
    String element = doubles ? "double" : "float";
    String expected = kind.isArray() ? "a list of " + element : element;
    ColumnDescriptor leaf = onlyLeaf(schema, file, type, expected);
    if (leaf.getMaxRepetitionLevel() != (kind.isArray() ? 1 : 0)
        || leaf.getPrimitiveType().getPrimitiveTypeName()
            != (doubles ? PrimitiveTypeName.DOUBLE : PrimitiveTypeName.FLOAT)) {
      throw wrongType(file, column, type, expected);
    }
    read.add(
        new ValueColumn(
            column,
            leaf,
            kind.isArray() && type.isRepetition(Type.Repetition.OPTIONAL),
            leaf.getPrimitiveType().isRepetition(Type.Repetition.OPTIONAL)));
    return type;
  }

  /**
   * The channel or shape column of this file, checked as the first file's was (an integer, or a
   * list of integers), its leaf handed to {@link ChannelColumn}.
   */
  private Type channelType(MessageType schema, Path file) {
    String column = channels.name();
    boolean shape = channels.source().kind() == ChannelSource.Kind.SHAPE;
    String expected = shape ? "a list of integers (a shape)" : "an integer channel index";
    Type type = field(schema, file, column);
    ColumnDescriptor leaf = onlyLeaf(schema, file, type, expected);
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

  /** The one leaf column of field {@code type} (a primitive, or a list of one). */
  private static ColumnDescriptor onlyLeaf(
      MessageType schema, Path file, Type type, String expected) {
    List<ColumnDescriptor> leaves = new MessageType(schema.getName(), type).getColumns();
    if (leaves.size() != 1) {
      throw wrongType(file, type.getName(), type, expected);
    }
    return leaves.get(0);
  }

  private static ParquetDecodingException wrongType(
      Path file, String column, Type type, String expected) {
    return new ParquetDecodingException(
        String.format(
            "Cannot read '%s': column '%s' is %s, expected %s (as in the first file)",
            file, column, type.toString().replace('\n', ' '), expected));
  }
}
