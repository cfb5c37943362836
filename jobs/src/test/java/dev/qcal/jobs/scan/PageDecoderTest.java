package dev.qcal.jobs.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.io.CalibrationJson;
import dev.qcal.jobs.calibrate.Calibration;
import dev.qcal.jobs.calibrate.CalibrationRun;
import dev.qcal.jobs.calibrate.ScannedHistograms;
import dev.qcal.jobs.dump.DumpFiles;
import dev.qcal.jobs.dump.DumpLayout;
import dev.qcal.jobs.dump.DumpSchema;
import dev.qcal.jobs.dump.Layout;
import dev.qcal.jobs.generate.DumpGenerator;
import dev.qcal.jobs.generate.SizedDump;
import dev.qcal.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page decoder against Spark's reader: the same dump gives identical histograms in every
 * domain, byte-identical tables, and the same row counts, for every layout (long, scalar, wide) and
 * the page shapes writers produce (dictionary then PLAIN pages, v1 and v2 pages, BYTE_STREAM_SPLIT,
 * Snappy/gzip/none, rows spanning pages, several row groups and splits per file, doubles, required
 * and optional columns, null elements and scalars, null and empty lists, null tensor names,
 * dictionary and plain tensor names, a --tensors filter).
 */
@ExtendWith(SharedSpark.class)
class PageDecoderTest {
  @TempDir Path tmp;

  @AfterEach
  void restore(SparkSession spark) {
    maxPartitionBytes(spark, null);
    spark.conf().unset("spark.sql.parquet.enableVectorizedReader");
  }

  @Test
  void sizedDumpWithDictionaryThenPlainPagesAndManySplits(SparkSession spark) {
    Path dump = tmp.resolve("sized");
    // 1 KB pages and 64 KB row groups: rows of 3000 values span pages, files hold several row
    // groups.
    new SizedDump(17, 200_000, 3, 3000, 2)
        .write(
            spark,
            dump.toString(),
            SaveMode.ErrorIfExists,
            Map.of(
                "parquet.page.size",
                "1024",
                "parquet.block.size",
                String.valueOf(64 << 10),
                // check sizes after every row (the writer checks every 100 rows by default)
                "parquet.page.size.row.check.min",
                "1",
                "parquet.page.size.row.check.max",
                "1"));
    Set<String> kinds = PageKinds.of(dump);
    assertTrue(
        kinds.containsAll(Set.of("PLAIN", "V1", "SNAPPY", "several row groups", "dictionary page")),
        kinds.toString());
    maxPartitionBytes(spark, String.valueOf(100 << 10));
    int splits = ((PageScan) scan(spark, dump, Reader.PAGES)).splitCount();
    assertTrue(splits > 2, "the setting cuts the 2 files into more splits: " + splits);
    assertSameAsSpark(spark, dump, null);
    assertSameAsSpark(spark, dump, "model\\.layers\\.[0-2]\\..*");
  }

  @Test
  void autoPicksThePageDecoderForEveryLayoutAndSparkOnlyWhenAsked(SparkSession spark) {
    for (Layout layout : List.of(Layout.LONG, Layout.SCALAR, Layout.WIDE)) {
      Path dump = tmp.resolve(layout.key());
      new DumpGenerator(3, 100, layout, 1, 50, 1, false)
          .write(spark, dump.toString(), SaveMode.ErrorIfExists);
      assertEquals("pages", scan(spark, dump, Reader.AUTO).reader(), layout.key());
      assertEquals("pages", scan(spark, dump, Reader.PAGES).reader(), layout.key());
      assertEquals("spark", scan(spark, dump, Reader.SPARK).reader(), layout.key());
    }
  }

  @Test
  void scalarAndWideDumpsWithManyRowGroupsSplitsAndDoubles(SparkSession spark) {
    // Small pages and row groups: runs of a tensor span pages, files hold several row groups, and
    // the files are cut into several splits.
    Map<String, String> small =
        Map.of(
            "parquet.page.size", "4096",
            "parquet.block.size", String.valueOf(64 << 10),
            "parquet.page.size.row.check.min", "1",
            "parquet.page.size.row.check.max", "1");
    for (Layout layout : List.of(Layout.SCALAR, Layout.WIDE)) {
      for (boolean doubles : new boolean[] {false, true}) {
        Path generated = tmp.resolve(layout.key() + doubles + "-generated");
        new DumpGenerator(11, 6000, layout, 7, 500, 2, doubles)
            .write(spark, generated.toString(), SaveMode.ErrorIfExists);
        Path dump = tmp.resolve(layout.key() + doubles);
        spark
            .read()
            .parquet(generated.toString())
            .repartition(2)
            .write()
            .options(small)
            .parquet(dump.toString());
        String column = layout == Layout.SCALAR ? "value" : "uniform";
        Set<String> kinds = PageKinds.of(dump, column);
        assertTrue(kinds.containsAll(Set.of("V1", "several row groups")), kinds.toString());
        maxPartitionBytes(spark, String.valueOf(64 << 10));
        int splits = ((PageScan) scan(spark, dump, Reader.PAGES)).splitCount();
        assertTrue(splits > 2, "the setting cuts the 2 files into more splits: " + splits);
        assertSameAsSpark(spark, dump, null);
        assertSameAsSpark(spark, dump, "conv1/output|zeros|nan:inf tensor");
        maxPartitionBytes(spark, null);
      }
    }
  }

  @Test
  void scalarNullsNullNamesInterleavedNamesAndPlainOrDictionaryNamesInV1AndV2Pages(
      SparkSession spark) {
    StructType schema =
        new StructType()
            .add("tensor", DataTypes.StringType, true)
            .add("value", DataTypes.FloatType, true);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      // Long runs of a tensor, then rows whose tensors alternate (runs of one row).
      String name = i < 12_000 ? "t" + (i / 1500) : "u" + (i % 3);
      if (i % 997 == 5) {
        name = null;
      }
      Float v = i % 101 == 7 ? null : (float) Math.sin(i * 0.37) * (1 + i % 13);
      rows.add(RowFactory.create(name, v));
    }
    rows.add(RowFactory.create("only null", null));
    rows.add(RowFactory.create("nan and inf", Float.NaN));
    rows.add(RowFactory.create("nan and inf", Float.NEGATIVE_INFINITY));
    rows.add(RowFactory.create("nan and inf", 1f));
    var frame = spark.createDataFrame(rows, schema).coalesce(1);
    Map<String, Map<String, String>> writers =
        Map.of(
            "dictionary-v1", Map.of(),
            "plain-v1", Map.of("parquet.enable.dictionary", "false"),
            "dictionary-v2", Map.of("parquet.writer.version", "PARQUET_2_0"),
            "plain-v2",
                Map.of(
                    "parquet.enable.dictionary", "false", "parquet.writer.version", "PARQUET_2_0"));
    for (var w : writers.entrySet()) {
      Path dump = tmp.resolve("scalar-" + w.getKey());
      Map<String, String> options = new java.util.HashMap<>(w.getValue());
      options.put("parquet.page.size", "2048");
      options.put("parquet.page.size.row.check.min", "1");
      options.put("parquet.page.size.row.check.max", "1");
      frame.write().options(options).parquet(dump.toString());
      Set<String> kinds = PageKinds.of(dump, "tensor");
      assertTrue(
          kinds.contains(w.getKey().endsWith("v2") ? "V2" : "V1")
              && kinds.contains("dictionary page") == w.getKey().startsWith("dictionary"),
          w.getKey() + ": " + kinds);
      assertSameAsSpark(spark, dump, null);
      assertSameAsSpark(spark, dump, "t[1-3]|u1|only null");
    }
  }

  @Test
  void requiredScalarAndWideColumnsWrittenByParquetJava(SparkSession spark) throws IOException {
    MessageType scalar =
        MessageTypeParser.parseMessageType(
            "message m { required binary tensor (STRING); required float value; }");
    MessageType wide =
        MessageTypeParser.parseMessageType(
            "message m { required float a; optional double b; optional group c (LIST) {"
                + " repeated group list { optional float element; } } required group d (LIST) {"
                + " repeated group list { required double element; } } }");
    for (ParquetProperties.WriterVersion version : ParquetProperties.WriterVersion.values()) {
      for (boolean bss : new boolean[] {false, true}) {
        String suffix = version + (bss ? "-bss" : "");
        Path s = tmp.resolve("scalar-" + suffix);
        Path w = tmp.resolve("wide-" + suffix);
        try (ParquetWriter<Group> out = groupWriter(s, scalar, version, bss)) {
          SimpleGroupFactory f = new SimpleGroupFactory(scalar);
          for (int i = 0; i < 30_000; i++) {
            out.write(
                f.newGroup()
                    .append("tensor", "t" + (i / 7000) + (i % 5000 == 3 ? "x" : ""))
                    .append("value", (float) Math.cos(i * 0.11) * (i % 9)));
          }
        }
        try (ParquetWriter<Group> out = groupWriter(w, wide, version, bss)) {
          SimpleGroupFactory f = new SimpleGroupFactory(wide);
          for (int i = 0; i < 5_000; i++) {
            Group g = f.newGroup().append("a", (float) Math.sin(i * 0.3));
            if (i % 17 != 4) {
              g.append("b", Math.cos(i * 0.7) * 3);
            }
            if (i % 23 != 9) {
              Group c = g.addGroup("c");
              for (int j = 0; j < i % 6; j++) {
                Group e = c.addGroup("list");
                if ((i + j) % 5 != 2) {
                  e.append("element", (float) (i - j) / 77f);
                }
              }
            }
            Group d = g.addGroup("d");
            for (int j = 0; j < 3; j++) {
              d.addGroup("list").append("element", (double) (i * j) / 1000);
            }
            out.write(g);
          }
        }
        // Spark's vectorized reader cannot read BYTE_STREAM_SPLIT: compare with its row reader.
        spark.conf().set("spark.sql.parquet.enableVectorizedReader", String.valueOf(!bss));
        assertSameAsSpark(spark, s, null);
        assertSameAsSpark(spark, w, null);
        spark.conf().unset("spark.sql.parquet.enableVectorizedReader");
      }
    }
  }

  private static ParquetWriter<Group> groupWriter(
      Path dir, MessageType schema, ParquetProperties.WriterVersion version, boolean bss)
      throws IOException {
    java.nio.file.Files.createDirectories(dir);
    return ExampleParquetWriter.builder(
            new org.apache.hadoop.fs.Path(dir.resolve("part-0.parquet").toString()))
        .withType(schema)
        .withWriterVersion(version)
        .withByteStreamSplitEncoding(bss)
        .withPageSize(2048)
        .withMinRowCountForPageSizeCheck(1)
        .withMaxRowCountForPageSizeCheck(1)
        .withRowGroupSize(32L << 10)
        .build();
  }

  /**
   * Sets (or with null unsets) the split size of both readers: Spark's reader takes it from the
   * session's SQL configuration, the page decoder from the application's (SparkEnv's live
   * SparkConf, what {@code --conf} sets).
   */
  private static void maxPartitionBytes(SparkSession spark, String bytes) {
    String key = "spark.sql.files.maxPartitionBytes";
    if (bytes == null) {
      spark.conf().unset(key);
      SparkEnv.get().conf().remove(key);
    } else {
      spark.conf().set(key, bytes);
      SparkEnv.get().conf().set(key, bytes);
    }
  }

  private static ChunkScan scan(SparkSession spark, Path dump, Reader reader) {
    var conf = spark.sparkContext().hadoopConfiguration();
    DumpFiles files = DumpFiles.list(List.of(dump.toString()), conf);
    DumpLayout layout =
        DumpLayout.resolve(
            Layout.AUTO, DumpSchema.read(files.first(), conf), "x", null, null, null);
    return ChunkScans.open(
        spark, reader, files, layout, null, 100, null, ReadCounters.register(spark.sparkContext()));
  }

  @Test
  void rowsSpanningPagesWithNullsAndEmptyLists(SparkSession spark) throws IOException {
    Path dump = tmp.resolve("spanning");
    java.nio.file.Files.createDirectories(dump);
    SpanningPages.write(dump.resolve("part-0.parquet"), 400, 37);
    assertTrue(PageKinds.of(dump).contains("more pages than rows"), PageKinds.of(dump).toString());
    assertSameAsSpark(spark, dump, null);
    assertSameAsSpark(spark, dump, "t[13]");
  }

  @Test
  void syntheticFloatAndDoubleDumpsWithNanAndInf(SparkSession spark) {
    Path floats = tmp.resolve("floats");
    Path doubles = tmp.resolve("doubles");
    new DumpGenerator(12, 5000, Layout.LONG, 5, 700, 3, false)
        .write(spark, floats.toString(), SaveMode.ErrorIfExists);
    new DumpGenerator(12, 5000, Layout.LONG, 5, 700, 3, true)
        .write(spark, doubles.toString(), SaveMode.ErrorIfExists);
    assertSameAsSpark(spark, floats, null);
    assertSameAsSpark(spark, doubles, null);
    // A double dump of float32 data gives the float dump's table.
    assertEquals(table(spark, floats, Reader.PAGES), table(spark, doubles, Reader.PAGES));
  }

  @Test
  void nullElementsNullAndEmptyListsAndNullNames(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("tensor", DataTypes.StringType, true)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType, true), true);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String name = i % 37 == 5 ? null : "t" + (i % 7);
      List<Float> values;
      if (i % 11 == 3) {
        values = null;
      } else if (i % 13 == 4) {
        values = List.of();
      } else {
        values = new ArrayList<>();
        for (int j = 0; j < 50 + (i * 7) % 90; j++) {
          values.add(j % 17 == 2 ? null : (float) Math.sin(i * 131 + j) * (1 + i % 5));
        }
      }
      rows.add(RowFactory.create(name, values));
    }
    rows.add(RowFactory.create("only empty", List.of()));
    rows.add(RowFactory.create("only null", null));
    Path dump = tmp.resolve("nulls");
    spark.createDataFrame(rows, schema).repartition(3).write().parquet(dump.toString());
    assertSameAsSpark(spark, dump, null);
    CalibrationRun pages =
        Calibration.builder().input(dump.toString()).reader(Reader.PAGES).build().run(spark);
    assertTrue(pages.summary().nullRows() > 0);
    assertTrue(pages.table().tensors().stream().anyMatch(t -> t.name().equals("only empty")));
  }

  @Test
  void dictionaryThenPlainV1AndV2PagesByteStreamSplitAndCodecs(SparkSession spark)
      throws IOException {
    Path v1 = tmp.resolve("v1");
    Path v2 = tmp.resolve("v2");
    Path bss = tmp.resolve("bss");
    Path gzip = tmp.resolve("gzip");
    Path plain = tmp.resolve("plain");
    SizedDump d = new SizedDump(9, 60_000, 11, 2000, 1);
    writeDirect(v1, d, ParquetProperties.WriterVersion.PARQUET_1_0, false);
    writeDirect(v2, d, ParquetProperties.WriterVersion.PARQUET_2_0, false);
    writeDirect(bss, d, ParquetProperties.WriterVersion.PARQUET_2_0, true);
    writeDirect(
        plain,
        d,
        ParquetProperties.WriterVersion.PARQUET_1_0,
        false,
        CompressionCodecName.UNCOMPRESSED);
    writeDirect(
        gzip, d, ParquetProperties.WriterVersion.PARQUET_1_0, false, CompressionCodecName.GZIP);
    assertTrue(
        PageKinds.of(v1)
            .containsAll(Set.of("V1", "dictionary page", "PLAIN_DICTIONARY", "PLAIN", "SNAPPY")),
        PageKinds.of(v1).toString());
    assertTrue(
        PageKinds.of(v2).containsAll(Set.of("V2", "dictionary page", "RLE_DICTIONARY", "PLAIN")),
        PageKinds.of(v2).toString());
    assertTrue(
        PageKinds.of(bss).containsAll(Set.of("V2", "BYTE_STREAM_SPLIT")),
        PageKinds.of(bss).toString());
    assertSameAsSpark(spark, v1, null);
    assertTrue(PageKinds.of(gzip).contains("GZIP"), PageKinds.of(gzip).toString());
    assertTrue(PageKinds.of(plain).contains("UNCOMPRESSED"), PageKinds.of(plain).toString());
    assertSameAsSpark(spark, v2, null);
    assertSameAsSpark(spark, gzip, null);
    assertSameAsSpark(spark, plain, null);
    // Spark's vectorized reader cannot read BYTE_STREAM_SPLIT: compare with its row reader.
    spark.conf().set("spark.sql.parquet.enableVectorizedReader", "false");
    assertSameAsSpark(spark, bss, null);
    String expected = table(spark, plain, Reader.SPARK);
    assertEquals(expected, table(spark, v2, Reader.PAGES));
    assertEquals(expected, table(spark, bss, Reader.PAGES));
    assertEquals(expected, table(spark, gzip, Reader.PAGES));
  }

  private static void writeDirect(
      Path dir, SizedDump d, ParquetProperties.WriterVersion version, boolean bss)
      throws IOException {
    writeDirect(dir, d, version, bss, CompressionCodecName.SNAPPY);
  }

  /**
   * The dump {@code d} written with parquet-java directly (Spark's writer has no switch for these
   * page shapes), a required element in a 3-level list, 4 KB pages, 1 KB dictionaries: the first
   * half of each tensor's rows holds quarter-integers (few distinct values, so the writer keeps its
   * dictionary), the rest random floats (the dictionary overflows and the writer falls back to
   * PLAIN, or BYTE_STREAM_SPLIT when {@code bss}).
   */
  private static void writeDirect(
      Path dir,
      SizedDump d,
      ParquetProperties.WriterVersion version,
      boolean bss,
      CompressionCodecName codec)
      throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message spark_schema { optional binary tensor (STRING); optional group values (LIST) {"
                + " repeated group list { required float element; } } }");
    java.nio.file.Files.createDirectories(dir);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> w =
        ExampleParquetWriter.builder(
                new org.apache.hadoop.fs.Path(dir.resolve("part-0.parquet").toString()))
            .withType(schema)
            .withWriterVersion(version)
            .withDictionaryEncoding(!bss)
            .withByteStreamSplitEncoding(bss)
            .withPageSize(4096)
            .withMinRowCountForPageSizeCheck(1)
            .withMaxRowCountForPageSizeCheck(1)
            .withDictionaryPageSize(1024)
            .withCompressionCodec(codec)
            .build()) {
      long[] sizes = d.sizes();
      for (int t = 0; t < d.tensors(); t++) {
        int rows = (int) ((sizes[t] + d.valuesPerRow() - 1) / d.valuesPerRow());
        for (int r = 0; r < rows; r++) {
          int n = (int) Math.min(d.valuesPerRow(), sizes[t] - (long) r * d.valuesPerRow());
          Group g = groups.newGroup().append("tensor", SizedDump.name(t));
          Group list = g.addGroup("values");
          for (float v : SizedDump.row(d.seed(), t, r, n)) {
            list.addGroup("list")
                .append("element", r < rows / 2 ? (float) (Math.rint(v * 4) / 4) : v);
          }
          w.write(g);
        }
      }
    }
  }

  private static void assertSameAsSpark(SparkSession spark, Path dump, String tensors) {
    EnumSet<Domain> all = EnumSet.allOf(Domain.class);
    Map<String, Map<Domain, Histogram>> viaSpark =
        ScannedHistograms.oneScan(spark, dump.toString(), Reader.SPARK, tensors, all);
    Map<String, Map<Domain, Histogram>> viaPages =
        ScannedHistograms.oneScan(spark, dump.toString(), Reader.PAGES, tensors, all);
    assertTrue(!viaSpark.isEmpty());
    assertEquals(viaSpark.keySet(), viaPages.keySet());
    viaSpark.forEach((name, h) -> assertEquals(h, viaPages.get(name), dump + " " + name));
    CalibrationRun a = builder(dump, Reader.SPARK, tensors).run(spark);
    CalibrationRun b = builder(dump, Reader.PAGES, tensors).run(spark);
    assertEquals(CalibrationJson.toJson(a.table()), CalibrationJson.toJson(b.table()));
    assertEquals(a.summary().rows(), b.summary().rows());
    assertEquals(a.summary().nullRows(), b.summary().nullRows());
    assertEquals(a.summary().values(), b.summary().values());
  }

  private static String table(SparkSession spark, Path dump, Reader reader) {
    return CalibrationJson.toJson(builder(dump, reader, null).run(spark).table());
  }

  private static Calibration builder(Path dump, Reader reader, String tensors) {
    return Calibration.builder()
        .input(dump.toString())
        .methods(Arrays.asList("entropy", "percentile", "mse", "max", "entropy:ort", "wq:log"))
        .withoutPlots()
        .reader(reader)
        .tensors(tensors)
        .build();
  }
}
