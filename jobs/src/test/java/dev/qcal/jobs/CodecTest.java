package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.jobs.testing.ChildProcess;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compression codecs of real writers: what qcal reads gives the uncompressed dump's table through
 * both readers; BROTLI (DuckDB), which no codec on Spark's class path decompresses, is refused
 * naming the file, the codec and the codecs qcal reads, before Spark starts when it is the first
 * file; LZ4 in Hadoop framing with blocks above Hadoop's 256 KB buffer (parquet-java with a larger
 * writer buffer; Arrow C++ writes one block per page) is read by the page decoder, and Spark's
 * reader (Hadoop's codec) says how to read it.
 */
@ExtendWith(SharedSpark.class)
class CodecTest {
  private static final String HINT = "first file's columns";

  @TempDir Path tmp;

  @Test
  void duckDbCodecsReadAsUncompressedOrAreNamed() throws Exception {
    Path plain = duckDb("uncompressed");
    String expected = table(plain, "pages");
    assertEquals(expected, table(plain, "spark"));
    for (String codec : List.of("snappy", "gzip", "zstd", "lz4")) {
      Path dump = duckDb(codec);
      assertEquals(
          codec.equals("lz4") ? "LZ4_RAW" : codec.toUpperCase(java.util.Locale.ROOT),
          codecOf(dump));
      assertEquals(expected, table(dump, "pages"), codec);
      assertEquals(expected, table(dump, "spark"), codec);
    }

    Path brotli = duckDb("brotli");
    assertEquals("BROTLI", codecOf(brotli));
    for (String reader : List.of("pages", "spark")) {
      Qcal.Result r = calibrate(brotli, reader);
      assertEquals(3, r.code(), r::toString);
      assertTrue(
          r.err().contains("Cannot read '" + brotli.resolve("part-0.parquet").toUri().getPath())
              || r.err().contains(brotli.resolve("part-0.parquet").toString()),
          r.err());
      assertTrue(
          r.err()
              .contains("column 'tensor' is compressed with BROTLI, which qcal cannot decompress"),
          r.err());
      assertTrue(
          r.err().contains("qcal reads UNCOMPRESSED, SNAPPY, GZIP, LZ4, ZSTD, LZ4_RAW"), r.err());
      assertFalse(r.err().contains("FAILED_READ_FILE"), "refused before the scan: " + r.err());
    }

    // A BROTLI file after a readable one: found by the scan, named, no column hint.
    Path mixed = tmp.resolve("mixed");
    Files.createDirectories(mixed);
    Files.copy(plain.resolve("part-0.parquet"), mixed.resolve("a.parquet"));
    Files.copy(brotli.resolve("part-0.parquet"), mixed.resolve("b.parquet"));
    for (String reader : List.of("pages", "spark")) {
      Qcal.Result r = calibrate(mixed, reader);
      assertEquals(3, r.code(), r::toString);
      assertTrue(r.err().contains("b.parquet"), r.err());
      assertTrue(
          r.err().contains("is compressed with BROTLI, which qcal cannot decompress"), r.err());
      assertTrue(r.err().contains("rewrite the dump with one of them"), r.err());
      assertFalse(r.err().contains(HINT), "the columns match: " + r.err());
    }
  }

  @Test
  void hadoopFramedLz4IsReadWhateverItsBlockSize() throws Exception {
    Path plain = parquetJava("plain", CompressionCodecName.UNCOMPRESSED, 0);
    Path small = parquetJava("lz4", CompressionCodecName.LZ4, 0);
    // parquet-java keeps one Hadoop codec per JVM (CodecFactory.CODEC_BY_NAME), with the buffer of
    // the first configuration that asked: this JVM's has the default 256 KB (from the writer above,
    // as a reader's would), so the large blocks are written by a JVM of their own.
    Path large = tmp.resolve("parquet-java-lz4-large-blocks");
    ChildProcess writer =
        ChildProcess.start(
            "LZ4 writer",
            new ProcessBuilder(
                ChildProcess.javaCommand(
                    List.of("-Xmx512m"),
                    Lz4Writer.class.getName(),
                    List.of(large.toString(), String.valueOf(8 << 20)))),
            tmp.resolve("lz4-writer.log"));
    assertEquals(0, writer.awaitExit(java.time.Duration.ofMinutes(2)), writer::logText);
    assertEquals("LZ4", codecOf(small));
    assertEquals("LZ4", codecOf(large));
    assertTrue(largestPage(large) > 256 << 10, "pages of " + largestPage(large) + " bytes");
    String expected = table(plain, "pages");
    assertEquals(expected, table(small, "pages"));
    assertEquals(expected, table(small, "spark"));
    assertEquals(expected, table(large, "pages"), "the page decoder reads any block size");

    Qcal.Result r = calibrate(large, "spark");
    assertEquals(3, r.code(), r::toString);
    assertTrue(r.err().contains("part-0.parquet"), r.err());
    assertTrue(
        r.err().contains("an LZ4 page (Hadoop framing) holds a block larger than the LZ4 buffer"),
        r.err());
    assertTrue(r.err().contains("--reader pages"), r.err());
    assertFalse(r.err().contains(HINT), r.err());
  }

  private Qcal.Result calibrate(Path dump, String reader) {
    Path out = tmp.resolve("out");
    return Qcal.run(
        "calibrate",
        "--input",
        dump.toString(),
        "--output",
        out.toString(),
        "--overwrite",
        "--reader",
        reader,
        "--methods",
        "entropy,max",
        "--no-report");
  }

  /** The calibration.json of {@code dump} through {@code reader}. */
  private String table(Path dump, String reader) throws IOException {
    Qcal.Result r = calibrate(dump, reader);
    assertEquals(0, r.code(), r::toString);
    return Files.readString(tmp.resolve("out/calibration.json"));
  }

  /** Three tensors of 40 rows of 2000 floats each, written by DuckDB with {@code codec}. */
  private Path duckDb(String codec) throws SQLException, IOException {
    Path dir = tmp.resolve("duckdb-" + codec);
    Files.createDirectories(dir);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute(
          "COPY (SELECT 't' || (i % 3) AS tensor, list_transform(range(2000), lambda x: (sin(x *"
              + " 0.37 + i) * (1 + i % 5))::FLOAT) AS values FROM range(120) r(i)) TO '"
              + dir.resolve("part-0.parquet")
              + "' (FORMAT parquet, COMPRESSION "
              + codec
              + ")");
    }
    return dir;
  }

  /**
   * Three tensors of 30 rows of 40000 floats written by parquet-java with {@code codec}, 2 MB
   * pages; {@code lz4Buffer} > 0 sets the writer's Hadoop LZ4 buffer, the most a block holds.
   */
  private Path parquetJava(String name, CompressionCodecName codec, int lz4Buffer)
      throws IOException {
    return parquetJava(tmp.resolve("parquet-java-" + name), codec, lz4Buffer);
  }

  private static Path parquetJava(Path dir, CompressionCodecName codec, int lz4Buffer)
      throws IOException {
    Files.createDirectories(dir);
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message dump { optional binary tensor (STRING); optional group values (LIST) {"
                + " repeated group list { optional float element; } } }");
    Configuration conf = new Configuration();
    if (lz4Buffer > 0) {
      conf.setInt("io.compression.codec.lz4.buffersize", lz4Buffer);
    }
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(
                new org.apache.hadoop.fs.Path(dir.resolve("part-0.parquet").toString()))
            .withType(schema)
            .withConf(conf)
            .withCompressionCodec(codec)
            .withDictionaryEncoding(false)
            .withPageSize(2 << 20)
            .build()) {
      SimpleGroupFactory f = new SimpleGroupFactory(schema);
      for (int i = 0; i < 30; i++) {
        Group g = f.newGroup().append("tensor", "t" + (i % 3));
        Group values = g.addGroup("values");
        for (int x = 0; x < 40000; x++) {
          values.addGroup("list").append("element", (float) (x * 0.01 + i));
        }
        w.write(g);
      }
    }
    Files.deleteIfExists(dir.resolve(".part-0.parquet.crc"));
    return dir;
  }

  /**
   * Writes {@code args[0]} with LZ4 and a Hadoop LZ4 buffer of {@code args[1]} bytes, in its own
   * JVM.
   */
  public static final class Lz4Writer {
    private Lz4Writer() {}

    public static void main(String[] args) throws IOException {
      parquetJava(Path.of(args[0]), CompressionCodecName.LZ4, Integer.parseInt(args[1]));
    }
  }

  /** The largest uncompressed data page of the values column of the dump's one file. */
  private static long largestPage(Path dir) throws IOException {
    long largest = 0;
    try (ParquetFileReader r =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(dir.resolve("part-0.parquet").toString()),
                new Configuration()))) {
      ColumnDescriptor values = r.getFileMetaData().getSchema().getColumns().get(1);
      PageReadStore group;
      while ((group = r.readNextRowGroup()) != null) {
        PageReader pages = group.getPageReader(values);
        DataPage p;
        while ((p = pages.readPage()) != null) {
          largest = Math.max(largest, p.getUncompressedSize());
        }
      }
    }
    return largest;
  }

  /** The codec of the values column of the dump's one file. */
  private static String codecOf(Path dir) throws IOException {
    try (ParquetFileReader r =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(dir.resolve("part-0.parquet").toString()),
                new Configuration()))) {
      return r.getRowGroups().get(0).getColumns().get(1).getCodec().name();
    }
  }
}
