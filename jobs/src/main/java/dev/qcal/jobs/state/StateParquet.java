package dev.qcal.jobs.state;

import dev.qcal.core.histogram.Domain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Writes a state's rows into its one Parquet file with parquet-java, on the driver: the bytes
 * Spark's Parquet writer wrote before (its schema conversion, {@code spark_schema} and its two
 * footer keys, Snappy, data page v2, no dictionary), without a Spark SQL job, whose planning, code
 * generation and commit protocol cost seconds for a file of kilobytes. The rows are sorted as Spark
 * sorted them: by the tensor name's UTF-8 bytes, unsigned.
 */
final class StateParquet {
  /** Spark's footer key of the writing Spark version. */
  private static final String SPARK_VERSION_KEY = "org.apache.spark.version";

  /** Spark's footer key of the Spark schema, as JSON (its readers restore nullability from it). */
  private static final String SPARK_SCHEMA_KEY = "org.apache.spark.sql.parquet.row.metadata";

  private StateParquet() {}

  /**
   * The Parquet schema Spark derives from {@link StateFiles#schema(boolean)}: with the {@code
   * channels} column only when some tensor was calibrated per channel.
   */
  static MessageType schema(boolean channels) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    b.required(PrimitiveTypeName.BINARY)
        .as(LogicalTypeAnnotation.stringType())
        .named(StateFiles.TENSOR);
    b.required(PrimitiveTypeName.BINARY).named(StateFiles.STATS);
    for (Domain d : Domain.values()) {
      b.optional(PrimitiveTypeName.BINARY).named(d.key());
    }
    if (channels) {
      b.optional(PrimitiveTypeName.BINARY).named(StateFiles.CHANNELS);
    }
    return b.named("spark_schema");
  }

  /** The order of the rows: by the tensor name's UTF-8 bytes, unsigned (Spark's string order). */
  static final class NameOrder implements Comparator<byte[]>, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(byte[] a, byte[] b) {
      return Arrays.compareUnsigned(a, b);
    }
  }

  /**
   * Writes {@code rows}, which come in {@link NameOrder}, into {@code file}, which must not exist,
   * with the {@code channels} column when {@code channels}.
   *
   * @return the hex SHA-256 of the file's bytes, computed as they were written
   * @throws IllegalStateException if a row comes out of order (then the file is incomplete)
   */
  static String write(
      Iterator<StateRow> rows, Path file, Configuration conf, String sparkVersion, boolean channels)
      throws IOException {
    DigestingOutputFile out = new DigestingOutputFile(file, conf);
    NameOrder order = new NameOrder();
    Map<String, String> footer = new HashMap<>();
    footer.put(SPARK_VERSION_KEY, sparkVersion);
    footer.put(SPARK_SCHEMA_KEY, StateFiles.schema(channels).json());
    try (ParquetWriter<StateRow> writer =
        new Builder(out, footer, channels)
            .withConf(conf)
            .withWriteMode(ParquetFileWriter.Mode.CREATE)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_2_0)
            .withDictionaryEncoding(false)
            .build()) {
      byte[] previous = null;
      while (rows.hasNext()) {
        StateRow r = rows.next();
        if (previous != null && order.compare(previous, r.tensor()) >= 0) {
          throw new IllegalStateException(
              "State rows out of order: "
                  + new String(r.tensor(), StandardCharsets.UTF_8)
                  + " after "
                  + new String(previous, StandardCharsets.UTF_8));
        }
        writer.write(r);
        previous = r.tensor();
      }
    }
    return out.sha256();
  }

  private static final class Builder extends ParquetWriter.Builder<StateRow, Builder> {
    private final Map<String, String> footer;
    private final boolean channels;

    Builder(OutputFile file, Map<String, String> footer, boolean channels) {
      super(file);
      this.footer = footer;
      this.channels = channels;
    }

    @Override
    protected Builder self() {
      return this;
    }

    // The Hadoop Configuration variant is the one the builder calls for a Hadoop output file.
    @SuppressWarnings("deprecation")
    @Override
    protected WriteSupport<StateRow> getWriteSupport(Configuration conf) {
      return new RowWriteSupport(footer, schema(channels));
    }
  }

  private static final class RowWriteSupport extends WriteSupport<StateRow> {
    private final Map<String, String> footer;
    private final MessageType schema;
    private RecordConsumer consumer;

    RowWriteSupport(Map<String, String> footer, MessageType schema) {
      this.footer = footer;
      this.schema = schema;
    }

    @SuppressWarnings("deprecation") // called with the builder's Hadoop Configuration, as above
    @Override
    public WriteContext init(Configuration conf) {
      return new WriteContext(schema, footer);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(StateRow row) {
      consumer.startMessage();
      field(0, row.tensor());
      field(1, row.stats());
      for (int i = 0; i < row.histograms().length; i++) {
        field(2 + i, row.histograms()[i]);
      }
      if (schema.getFieldCount() > 2 + row.histograms().length) {
        field(2 + row.histograms().length, row.channels());
      }
      consumer.endMessage();
    }

    private void field(int index, byte[] value) {
      if (value == null) {
        return;
      }
      String name = schema.getFieldName(index);
      consumer.startField(name, index);
      consumer.addBinary(Binary.fromConstantByteArray(value));
      consumer.endField(name, index);
    }
  }
}
