package dev.qcal.jobs.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page-at-a-time reader against parquet-java's own whole-row-group reader, on files
 * parquet-java wrote: the same pages with the same bytes, and a clear error for a chunk shorter
 * than its footer.
 */
class StreamedRowGroupTest {
  private static final Configuration CONF = new Configuration();

  @Test
  void givesParquetJavasPagesForV1AndV2PagesDictionariesAndCodecs(@TempDir Path dir)
      throws IOException {
    for (ParquetProperties.WriterVersion version : ParquetProperties.WriterVersion.values()) {
      for (CompressionCodecName codec :
          new CompressionCodecName[] {
            CompressionCodecName.SNAPPY,
            CompressionCodecName.GZIP,
            CompressionCodecName.UNCOMPRESSED
          }) {
        Path file = dir.resolve(version + "-" + codec + ".parquet");
        write(file, version, codec);
        InputFile input =
            HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toString()), CONF);
        try (ParquetFileReader reader =
            new ParquetFileReader(input, HadoopReadOptions.builder(CONF).build())) {
          assertTrue(reader.getRowGroups().size() > 1, "several row groups");
          for (BlockMetaData block : reader.getRowGroups()) {
            PageReadStore expected = reader.readNextRowGroup();
            try (StreamedRowGroup actual = new StreamedRowGroup(input, block, codecs())) {
              assertEquals(expected.getRowCount(), actual.getRowCount());
              assertEquals(expected.getRowIndexOffset(), actual.getRowIndexOffset());
              for (ColumnDescriptor c : reader.getFileMetaData().getSchema().getColumns()) {
                assertSamePages(
                    expected.getPageReader(c), actual.getPageReader(c), version + " " + codec);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void aChunkShorterThanItsFooterNamesTheFileAndColumn(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("short.parquet");
    write(file, ParquetProperties.WriterVersion.PARQUET_1_0, CompressionCodecName.SNAPPY);
    InputFile input =
        HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toString()), CONF);
    BlockMetaData block;
    try (ParquetFileReader reader =
        new ParquetFileReader(input, HadoopReadOptions.builder(CONF).build())) {
      block = reader.getRowGroups().get(0);
    }
    ColumnChunkMetaData x = block.getColumns().get(1);
    BlockMetaData lying = new BlockMetaData();
    lying.setRowCount(block.getRowCount());
    lying.addColumn(
        ColumnChunkMetaData.get(
            x.getPath(),
            x.getPrimitiveType(),
            x.getCodec(),
            x.getEncodingStats(),
            x.getEncodings(),
            x.getStatistics(),
            x.getFirstDataPageOffset(),
            x.getDictionaryPageOffset(),
            x.getValueCount() + 1, // one value more than its pages hold
            x.getTotalSize(),
            x.getTotalUncompressedSize()));
    ColumnDescriptor column =
        MessageTypeParser.parseMessageType(SCHEMA).getColumnDescription(new String[] {"x"});
    try (StreamedRowGroup group = new StreamedRowGroup(input, lying, codecs())) {
      PageReader pages = group.getPageReader(column);
      ParquetDecodingException e =
          assertThrows(
              ParquetDecodingException.class,
              () -> {
                while (pages.readPage() != null) {
                  // read to the end
                }
              });
      assertTrue(e.getMessage().contains("short.parquet"), e.getMessage());
      assertTrue(e.getMessage().contains("column 'x'"), e.getMessage());
      assertTrue(
          e.getMessage().contains("fewer values (" + x.getValueCount() + ") than its footer's"),
          e.getMessage());
    }
  }

  private static final String SCHEMA =
      "message m { required binary name (STRING); required float x; }";

  /** 30 000 rows in 4 KB pages and 64 KB row groups; names from a small set (a dictionary). */
  private static void write(
      Path file, ParquetProperties.WriterVersion version, CompressionCodecName codec)
      throws IOException {
    MessageType schema = MessageTypeParser.parseMessageType(SCHEMA);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    Random random = new Random(7);
    try (ParquetWriter<org.apache.parquet.example.data.Group> w =
        ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toString()))
            .withType(schema)
            .withWriterVersion(version)
            .withPageSize(4096)
            .withRowGroupSize(64 * 1024L)
            .withCompressionCodec(codec)
            .build()) {
      for (int i = 0; i < 30_000; i++) {
        w.write(
            groups
                .newGroup()
                .append("name", "t" + random.nextInt(5))
                .append("x", random.nextFloat()));
      }
    }
  }

  private static ReusingCodecs codecs() {
    return new ReusingCodecs(new CodecFactory(CONF, 0));
  }

  @SuppressWarnings("deprecation") // BytesInput.toByteArray(): a test compares bytes
  private static void assertSamePages(PageReader expected, PageReader actual, String what)
      throws IOException {
    assertEquals(expected.getTotalValueCount(), actual.getTotalValueCount(), what);
    var dictionary = expected.readDictionaryPage();
    var ours = actual.readDictionaryPage();
    if (dictionary == null) {
      assertNull(ours, what);
    } else {
      assertEquals(dictionary.getDictionarySize(), ours.getDictionarySize(), what);
      assertEquals(dictionary.getEncoding(), ours.getEncoding(), what);
      assertArrayEquals(dictionary.getBytes().toByteArray(), ours.getBytes().toByteArray(), what);
    }
    List<Integer> counts = new ArrayList<>();
    DataPage e;
    while ((e = expected.readPage()) != null) {
      DataPage a = actual.readPage();
      assertEquals(e.getClass(), a.getClass(), what);
      assertEquals(e.getValueCount(), a.getValueCount(), what);
      counts.add(a.getValueCount());
      if (e instanceof DataPageV1 e1) {
        DataPageV1 a1 = (DataPageV1) a;
        assertEquals(e1.getValueEncoding(), a1.getValueEncoding(), what);
        assertEquals(e1.getDlEncoding(), a1.getDlEncoding(), what);
        assertEquals(e1.getRlEncoding(), a1.getRlEncoding(), what);
        assertArrayEquals(e1.getBytes().toByteArray(), a1.getBytes().toByteArray(), what);
      } else {
        DataPageV2 e2 = (DataPageV2) e;
        DataPageV2 a2 = (DataPageV2) a;
        assertEquals(e2.getRowCount(), a2.getRowCount(), what);
        assertEquals(e2.getNullCount(), a2.getNullCount(), what);
        assertEquals(e2.getDataEncoding(), a2.getDataEncoding(), what);
        assertArrayEquals(
            e2.getRepetitionLevels().toByteArray(), a2.getRepetitionLevels().toByteArray(), what);
        assertArrayEquals(
            e2.getDefinitionLevels().toByteArray(), a2.getDefinitionLevels().toByteArray(), what);
        assertArrayEquals(e2.getData().toByteArray(), a2.getData().toByteArray(), what);
      }
    }
    assertNull(actual.readPage(), what);
    assertTrue(counts.size() > 1, what + ": several pages a chunk");
  }
}
