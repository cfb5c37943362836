package dev.qcal.jobs.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes Parquet files Spark itself cannot write, with parquet-java's example writer (Spark ships
 * parquet-hadoop): FLOAT16 columns and BYTE_STREAM_SPLIT-encoded floats, as pyarrow writes them.
 */
public final class ParquetFiles {
  private ParquetFiles() {}

  /** One tensor's values. */
  public record Tensor(String name, float[] values) {}

  /** A long-layout dump: {@code tensor} string, {@code values} list of float32. */
  public static void longFloats(Path file, List<Tensor> rows, boolean byteStreamSplit)
      throws IOException {
    longFloats(file, rows, byteStreamSplit, ParquetWriter.DEFAULT_BLOCK_SIZE);
  }

  /** {@link #longFloats(Path, List, boolean)} in row groups of about {@code rowGroupBytes}. */
  public static void longFloats(
      Path file, List<Tensor> rows, boolean byteStreamSplit, long rowGroupBytes)
      throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message dump { optional binary tensor (STRING); optional group values (LIST) {"
                + " repeated group list { optional float element; } } }");
    try (ParquetWriter<Group> w =
        writer(file, schema)
            .withByteStreamSplitEncoding(byteStreamSplit)
            .withRowGroupSize(rowGroupBytes)
            .build()) {
      SimpleGroupFactory f = new SimpleGroupFactory(schema);
      for (Tensor t : rows) {
        Group g = f.newGroup().append("tensor", t.name());
        Group values = g.addGroup("values");
        for (float v : t.values()) {
          values.addGroup("list").append("element", v);
        }
        w.write(g);
      }
    }
  }

  /**
   * A long-layout dump of IEEE half floats: {@code values} list of {@code fixed_len_byte_array(2)}
   * with the FLOAT16 logical type (pyarrow's {@code pa.float16()}).
   */
  public static void longFloat16(Path file, List<Tensor> rows) throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message dump { optional binary tensor (STRING); optional group values (LIST) {"
                + " repeated group list { optional fixed_len_byte_array(2) element (FLOAT16); } }"
                + " }");
    try (ParquetWriter<Group> w = writer(file, schema).build()) {
      SimpleGroupFactory f = new SimpleGroupFactory(schema);
      for (Tensor t : rows) {
        Group g = f.newGroup().append("tensor", t.name());
        Group values = g.addGroup("values");
        for (float v : t.values()) {
          short h = half(v);
          values
              .addGroup("list")
              .append(
                  "element", Binary.fromConstantByteArray(new byte[] {(byte) h, (byte) (h >> 8)}));
        }
        w.write(g);
      }
    }
  }

  /** IEEE half of a float32 that is normal in half precision and exact in it (test values). */
  static short half(float v) {
    if (v == 0f) {
      return 0;
    }
    int bits = Float.floatToRawIntBits(v);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
    int mantissa = (bits >>> 13) & 0x3ff;
    if (exponent <= 0 || exponent >= 31 || (bits & 0x1fff) != 0) {
      throw new IllegalArgumentException("Cannot write " + v + " as an exact normal half");
    }
    return (short) (sign | exponent << 10 | mantissa);
  }

  private static ExampleParquetWriter.Builder writer(Path file, MessageType schema) {
    return ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
        .withConf(new Configuration())
        .withType(schema)
        .withDictionaryEncoding(false);
  }
}
