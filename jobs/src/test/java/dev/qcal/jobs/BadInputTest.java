package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.core.io.CalibrationJson;
import dev.qcal.jobs.calibrate.Calibration;
import dev.qcal.jobs.testing.ParquetFiles;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad or odd input of docs/input.md's "Bad input" table, one test each: what the user gets (a
 * message naming the file, column or tensor; the documented exit code, or a flag in the table) and
 * never a partial or silently wrong table. Cases ExitCodeTest already covers (missing path, empty
 * directory, a lone text file, missing values column, string and int columns, files disagreeing
 * with the first) are not repeated here.
 */
@ExtendWith(SharedSpark.class)
class BadInputTest {
  static final StructType LONG_FLOAT =
      new StructType()
          .add("tensor", DataTypes.StringType)
          .add("values", DataTypes.createArrayType(DataTypes.FloatType, true));

  @TempDir Path tmp;
  private final ObjectMapper json = new ObjectMapper();

  private Path out() {
    return tmp.resolve("out");
  }

  private Qcal.Result calibrate(Path input, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("calibrate", "--input", input.toString(), "--output", out().toString()));
    args.addAll(Arrays.asList(extra));
    return Qcal.run(args.toArray(new String[0]));
  }

  private void assertFails(int code, Qcal.Result r, String... messageParts) throws IOException {
    assertEquals(code, r.code(), r::toString);
    for (String part : messageParts) {
      assertTrue(r.err().contains(part), "stderr lacks '" + part + "':\n" + r.err());
    }
    assertFalse(Files.exists(out()), "a failed run left an output directory");
    try (Stream<Path> listing = Files.list(tmp)) {
      assertTrue(
          listing.noneMatch(p -> p.getFileName().toString().startsWith(".out")),
          "pending dir left");
    }
  }

  private JsonNode succeeds(Qcal.Result r) throws IOException {
    assertEquals(0, r.code(), r::toString);
    assertTrue(Files.exists(out().resolve("_SUCCESS")));
    return json.readTree(out().resolve("calibration.json").toFile());
  }

  private JsonNode summary() throws IOException {
    return json.readTree(out().resolve("summary.json").toFile());
  }

  private static JsonNode tensor(JsonNode table, String name) {
    for (JsonNode t : table.get("tensors")) {
      if (t.get("name").asText().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("no tensor '" + name + "' in " + table);
  }

  private static List<String> flags(JsonNode tensor) {
    List<String> out = new ArrayList<>();
    tensor.get("flags").forEach(f -> out.add(f.asText()));
    return out;
  }

  private Path write(SparkSession spark, String name, StructType schema, List<Row> rows) {
    Path dir = tmp.resolve(name);
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
    return dir;
  }

  private Path longDump(SparkSession spark, String name, List<Row> rows) {
    return write(spark, name, LONG_FLOAT, rows);
  }

  private static Path partFile(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("part-"))
          .findFirst()
          .orElseThrow();
    }
  }

  private static float[] ramp(int n, float scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = scale * ((i % 1001) - 500) / 500f;
    }
    return v;
  }

  // ---- files

  @Test
  void aDirectoryOfOnlyMarkersAndHiddenFilesHoldsNoData() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("markers"));
    Files.writeString(dir.resolve("_SUCCESS"), "");
    Files.writeString(dir.resolve(".part-0.parquet.crc"), "x");
    assertFails(3, calibrate(dir), "markers", "holds no data file");
  }

  @Test
  void aTextFileAmongParquetFilesIsNamedWhereverItSorts(SparkSession spark) throws IOException {
    Path dump = longDump(spark, "mixed", List.of(RowFactory.create("t", new float[] {1f, 2f})));
    // Sorted after the Parquet file: found while pass 1 reads it, on an executor.
    Files.writeString(dump.resolve("zz-notes.txt"), "not parquet\n");
    assertFails(3, calibrate(dump), "zz-notes.txt");
    // Sorted first: found on the driver, reading the schema.
    Files.move(dump.resolve("zz-notes.txt"), dump.resolve("README.txt"));
    assertFails(3, calibrate(dump), "README.txt", "Parquet");
  }

  @Test
  void aTruncatedParquetFileIsNamed(SparkSession spark) throws IOException {
    Path dump = longDump(spark, "truncated", List.of(RowFactory.create("t", ramp(5000, 1f))));
    Path part = partFile(dump);
    try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    assertFails(3, calibrate(dump), part.getFileName().toString());
  }

  @Test
  void aTruncatedFileAfterAGoodOneIsNamed(SparkSession spark) throws IOException {
    Path dump = tmp.resolve("two");
    Path a = longDump(spark, "two/a", List.of(RowFactory.create("t", ramp(5000, 1f))));
    Path b = longDump(spark, "two/b", List.of(RowFactory.create("t", ramp(5000, 2f))));
    Path bad = partFile(b);
    try (RandomAccessFile f = new RandomAccessFile(bad.toFile(), "rw")) {
      f.setLength(f.length() - 20); // the footer is gone
    }
    assertTrue(Files.exists(partFile(a)));
    assertFails(3, calibrate(dump), "b/part-");
  }

  @Test
  void corruptPagesWithAnIntactFooterAreNamed(SparkSession spark) throws IOException {
    Path dump = longDump(spark, "corrupt", List.of(RowFactory.create("t", ramp(20000, 1f))));
    Path part = partFile(dump);
    byte[] bytes = Files.readAllBytes(part);
    for (int i = 8; i < bytes.length / 2; i++) {
      bytes[i] = (byte) (bytes[i] * 31 + 7); // scramble the first pages, keep the footer
    }
    Files.write(part, bytes);
    assertFails(3, calibrate(dump), part.getFileName().toString());
  }

  // ---- columns

  @Test
  void aMissingTensorColumnIsNamed(SparkSession spark) throws IOException {
    StructType noTensor =
        new StructType()
            .add("name", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType));
    Path dump =
        write(spark, "no-tensor", noTensor, List.of(RowFactory.create("t", new float[] {1f})));
    assertFails(
        3,
        calibrate(dump, "--layout", "long"),
        "no tensor column 'tensor'",
        "name string",
        "part-");
    assertFails(
        3, calibrate(dump, "--tensor-column", "layer"), "no tensor column 'layer'", "part-");
  }

  @Test
  void intAndNestedStructValuesAreRefusedNamingTheColumnAndType(SparkSession spark)
      throws IOException {
    StructType ints =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.IntegerType));
    Path a = write(spark, "int-values", ints, List.of(RowFactory.create("t", new int[] {1})));
    assertFails(3, calibrate(a), "column 'values' is array<int>", "part-");

    StructType struct =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add(
                "values",
                new StructType().add("data", DataTypes.createArrayType(DataTypes.FloatType)));
    Path b =
        write(
            spark,
            "struct-values",
            struct,
            List.of(RowFactory.create("t", RowFactory.create((Object) new float[] {1f}))));
    assertFails(3, calibrate(b), "column 'values' is struct<data:array<float>>", "part-");
  }

  @Test
  void float16ColumnsAreRefusedSayingHowToConvert() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("half"));
    ParquetFiles.longFloat16(
        dir.resolve("part-0.parquet"),
        List.of(new ParquetFiles.Tensor("t", new float[] {1f, -2f, 0.5f})));
    assertFails(3, calibrate(dir), "part-0.parquet", "values", "float16", "float32");
  }

  @Test
  void byteStreamSplitFloatsAreReadOrRefusedSayingHowToConvert(SparkSession spark)
      throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("bss"));
    List<ParquetFiles.Tensor> rows =
        List.of(
            new ParquetFiles.Tensor("a", ramp(3000, 1f)),
            new ParquetFiles.Tensor("b", ramp(3000, 4f)));
    ParquetFiles.longFloats(dir.resolve("part-0.parquet"), rows, true);
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    ParquetFiles.longFloats(plain.resolve("part-0.parquet"), rows, false);
    // qcal's page decoder (the default for this layout) reads it exactly as the plain-encoded file.
    String expected =
        CalibrationJson.toJson(
            Calibration.builder().input(plain.toString()).build().run(spark).table());
    assertEquals(
        expected,
        CalibrationJson.toJson(
            Calibration.builder().input(dir.toString()).build().run(spark).table()));
    // Spark's reader refuses it, saying how to convert (Spark 4.0's vectorized reader has no
    // decoder) ...
    assertFails(
        3,
        calibrate(dir, "--reader", "spark"),
        "part-0.parquet",
        "BYTE_STREAM_SPLIT",
        "use_byte_stream_split=False",
        "spark.sql.parquet.enableVectorizedReader=false");
    // ... and the way out the message gives reads it exactly as the plain-encoded file.
    spark.conf().set("spark.sql.parquet.enableVectorizedReader", "false");
    try {
      assertEquals(
          expected,
          CalibrationJson.toJson(
              Calibration.builder()
                  .input(dir.toString())
                  .reader(dev.qcal.jobs.scan.Reader.SPARK)
                  .build()
                  .run(spark)
                  .table()));
    } finally {
      spark.conf().unset("spark.sql.parquet.enableVectorizedReader");
    }
  }

  @Test
  void halfPrecisionBitsInIntegerColumnsAreRefusedSayingHowToConvert(SparkSession spark)
      throws IOException {
    // bfloat16 has no Parquet type: dumps store its bits as 16-bit integers.
    StructType shorts =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.ShortType));
    Path dump = write(spark, "bf16", shorts, List.of(RowFactory.create("t", new short[] {0x3f80})));
    assertFails(
        3, calibrate(dump), "column 'values' is array<smallint>", "bfloat16", "float32", "part-");
  }

  // ---- rows and values

  @Test
  void nullsAreCountedApartFromNanPerTensorAndNamedOnTheConsole(SparkSession spark)
      throws IOException {
    Path dump =
        longDump(
            spark,
            "nulls",
            List.of(
                RowFactory.create("t", new Float[] {1f, null, -3f, Float.NaN}),
                RowFactory.create("t", null),
                RowFactory.create(null, new Float[] {100f}),
                RowFactory.create("u", new Float[] {2f}),
                RowFactory.create("only nulls", new Float[] {null, null})));
    for (String reader : List.of("pages", "spark")) {
      Qcal.Result r = calibrate(dump, "--reader", reader, "--overwrite");
      JsonNode table = succeeds(r);
      JsonNode t = tensor(table, "t");
      assertEquals(3, t.get("stats").get("count").asLong(), reader);
      assertEquals(1, t.get("stats").get("nan").asLong(), "a null is not NaN: " + reader);
      assertEquals(1, t.get("stats").get("null").asLong(), reader);
      assertEquals(1, t.get("stats").get("null_rows").asLong(), reader);
      assertEquals(List.of("has_nan", "has_null"), flags(t), reader);
      assertEquals(-3.0, t.get("stats").get("min").asDouble());
      assertEquals(1.0, t.get("stats").get("max").asDouble());
      JsonNode onlyNulls = tensor(table, "only nulls");
      assertEquals(0, onlyNulls.get("stats").get("count").asLong());
      assertEquals(2, onlyNulls.get("stats").get("null").asLong());
      assertEquals(List.of("empty", "has_null"), flags(onlyNulls), reader);
      assertFalse(tensor(table, "u").get("stats").has("null"), "no null count where there is none");
      assertEquals(3, table.get("tensors").size(), "the null-named row is skipped, not a tensor");
      JsonNode summary = summary();
      assertEquals(2, summary.get("rows_skipped_null").asLong());
      assertEquals(3, summary.get("null").asLong());
      assertEquals(1, summary.get("null_rows").asLong());
      assertEquals(1, summary.get("nan").asLong());
      List<String> nullLines =
          r.err()
              .lines()
              .filter(l -> l.startsWith("qcal: warning: ") && l.contains("hold nulls"))
              .toList();
      assertEquals(1, nullLines.size(), r.err());
      assertTrue(
          nullLines.get(0).contains("2 tensor(s) hold nulls (3 null elements, 1 null values lists)")
              && nullLines.get(0).endsWith(": 'only nulls', 't'"),
          nullLines.get(0));
    }
  }

  @Test
  void scalarNullsAndNullNamesAreCountedAlikeByBothReaders(SparkSession spark) throws IOException {
    StructType scalar =
        new StructType().add("tensor", DataTypes.StringType).add("value", DataTypes.FloatType);
    Path dump =
        write(
            spark,
            "scalar-nulls",
            scalar,
            List.of(
                RowFactory.create("t", 1f),
                RowFactory.create("t", null),
                RowFactory.create("t", Float.NaN),
                RowFactory.create(null, 100f),
                RowFactory.create(null, null),
                RowFactory.create("only nulls", null)));
    for (String reader : List.of("pages", "spark")) {
      JsonNode table = succeeds(calibrate(dump, "--reader", reader, "--overwrite"));
      JsonNode t = tensor(table, "t");
      assertEquals(2, t.get("stats").get("count").asLong(), reader);
      assertEquals(1, t.get("stats").get("nan").asLong(), reader);
      assertEquals(1, t.get("stats").get("null").asLong(), "a null scalar is a null: " + reader);
      assertEquals(0, t.get("stats").get("null_rows").asLong(), "no null row: " + reader);
      assertEquals(List.of("empty", "has_null"), flags(tensor(table, "only nulls")), reader);
      assertEquals(2, table.get("tensors").size(), "null-named rows are skipped: " + reader);
      assertEquals(2, summary().get("rows_skipped_null").asLong(), reader);
      assertEquals(6, summary().get("rows").asLong(), reader);
    }
  }

  /** A dump of the files {@code parts} (each written by Spark), named part-1.parquet, .... */
  private Path files(String name, List<Dataset<Row>> parts) throws IOException {
    Path dump = tmp.resolve(name);
    Files.createDirectories(dump);
    for (int i = 0; i < parts.size(); i++) {
      Path one = tmp.resolve(name + "-" + i);
      parts.get(i).coalesce(1).write().parquet(one.toString());
      Files.move(partFile(one), dump.resolve("part-" + (i + 1) + ".parquet"));
    }
    return dump;
  }

  @Test
  void aLaterScalarOrWideFileWhoseColumnDiffersIsNamedWithTheColumn(SparkSession spark)
      throws IOException {
    StructType scalar =
        new StructType().add("tensor", DataTypes.StringType).add("value", DataTypes.FloatType);
    var good = spark.createDataFrame(List.of(RowFactory.create("t", 1f)), scalar);
    Path stringValues =
        files(
            "scalar-string-values",
            List.of(
                good,
                spark.createDataFrame(
                    List.of(RowFactory.create("t", "x")),
                    new StructType()
                        .add("tensor", DataTypes.StringType)
                        .add("value", DataTypes.StringType))));
    assertFails(
        3,
        calibrate(stringValues),
        "part-2.parquet",
        "column 'value' is optional binary value (STRING), expected float (as in the first file)");
    Path intNames =
        files(
            "scalar-int-names",
            List.of(
                good,
                spark.createDataFrame(
                    List.of(RowFactory.create(7, 2f)),
                    new StructType()
                        .add("tensor", DataTypes.IntegerType)
                        .add("value", DataTypes.FloatType))));
    assertFails(
        3, calibrate(intNames), "part-2.parquet", "column 'tensor' is", "expected a string");

    StructType wide = new StructType().add("a", DataTypes.FloatType).add("b", DataTypes.DoubleType);
    var goodWide = spark.createDataFrame(List.of(RowFactory.create(1f, 2.0)), wide);
    Path arrays =
        files(
            "wide-array",
            List.of(
                goodWide,
                spark.createDataFrame(
                    List.of(RowFactory.create(1f, new double[] {2.0})),
                    new StructType()
                        .add("a", DataTypes.FloatType)
                        .add("b", DataTypes.createArrayType(DataTypes.DoubleType)))));
    assertFails(3, calibrate(arrays), "part-2.parquet", "column 'b' is", "expected double");
    Path missing =
        files(
            "wide-missing",
            List.of(
                goodWide,
                spark.createDataFrame(
                    List.of(RowFactory.create(1f)),
                    new StructType().add("a", DataTypes.FloatType))));
    assertFails(3, calibrate(missing), "part-2.parquet", "no column 'b' (the first file has it)");
  }

  @Test
  void anEmptyDumpExitsThree(SparkSession spark) throws IOException {
    Path dump = longDump(spark, "empty-dump", List.of());
    assertTrue(Files.exists(partFile(dump)));
    assertFails(3, calibrate(dump), "No tensor was read", "the dump has no rows");
  }

  @Test
  void degenerateTensorsAreFlaggedNeverFatal(SparkSession spark) throws IOException {
    float nan = Float.NaN;
    float inf = Float.POSITIVE_INFINITY;
    Path dump =
        longDump(
            spark,
            "degenerate",
            List.of(
                RowFactory.create("only nan", new float[] {nan, nan, nan}),
                RowFactory.create("only inf", new float[] {inf, -inf, inf}),
                RowFactory.create("all zero", new float[] {0f, -0f, 0f, 0f}),
                RowFactory.create("constant", new float[] {-2.5f, -2.5f, -2.5f}),
                RowFactory.create("single", new float[] {0.75f}),
                RowFactory.create("normal", ramp(4000, 3f))));
    Qcal.Result r = calibrate(dump);
    JsonNode table = succeeds(r);
    assertTrue(
        flags(tensor(table, "only nan")).containsAll(List.of("no_finite_values", "has_nan")));
    assertTrue(
        flags(tensor(table, "only inf")).containsAll(List.of("no_finite_values", "has_inf")));
    assertTrue(flags(tensor(table, "all zero")).contains("all_zero"));
    assertTrue(flags(tensor(table, "constant")).contains("constant"));
    assertTrue(flags(tensor(table, "single")).contains("single_value"));
    assertTrue(flags(tensor(table, "normal")).isEmpty());
    for (String name : List.of("only nan", "only inf", "all zero")) {
      JsonNode m = tensor(table, name).get("methods").get("entropy");
      assertEquals(0.0, m.get("amax").asDouble(), name);
      assertEquals(1.0, m.get("scale").asDouble(), name);
    }
    assertEquals(
        2.5, tensor(table, "constant").get("methods").get("entropy").get("amax").asDouble());
    assertEquals(0.75, tensor(table, "single").get("methods").get("max").get("amax").asDouble());
    // The TensorRT cache leaves the zero ranges out, and says so.
    String cache = Files.readString(out().resolve("calibration.cache"));
    assertFalse(cache.contains("only nan:") || cache.contains("all zero:"), cache);
    assertTrue(cache.contains("constant:") && cache.contains("normal:"), cache);
    assertTrue(r.err().contains("only nan"), r.err());
    assertEquals(5, summary().get("flagged").size());
  }

  @Test
  void tenThousandTensors(SparkSession spark) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (int t = 0; t < 10_000; t++) {
      rows.add(
          RowFactory.create(String.format("layer%05d", t), new float[] {t, -t - 1f, 0.5f * t, 1f}));
    }
    JsonNode table =
        succeeds(
            calibrate(longDump(spark, "many", rows), "--methods", "entropy,max", "--bins", "256"));
    assertEquals(10_000, table.get("tensors").size());
    assertEquals("layer00000", table.get("tensors").get(0).get("name").asText());
    assertEquals(
        10_000.0, tensor(table, "layer09999").get("methods").get("max").get("amax").asDouble());
  }

  @Test
  void oneTensorWithNinetyPercentOfTheValuesAndRowsOfAMillionValues(SparkSession spark)
      throws IOException {
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create("huge", ramp(1_000_000, 8f)));
    rows.add(RowFactory.create("huge", ramp(1_000_000, 2f)));
    rows.add(RowFactory.create("huge", ramp(700_000, 1f)));
    for (int t = 0; t < 3; t++) {
      rows.add(RowFactory.create("small" + t, ramp(100_000, t + 1f)));
    }
    JsonNode table = succeeds(calibrate(longDump(spark, "skewed", rows)));
    assertEquals(2_700_000, tensor(table, "huge").get("stats").get("count").asLong());
    assertEquals(8.0, tensor(table, "huge").get("methods").get("max").get("amax").asDouble());
    assertEquals(3_000_000, summary().get("values").asLong());
  }

  // ---- names

  @Test
  void oddNamesAreKeptVerbatimAndALineBreakOnlyCostsTheTensorRtCache(SparkSession spark)
      throws IOException {
    List<String> names =
        List.of(
            "with space",
            "a:b:c",
            "tab\there",
            "Größe.ß",
            "注意力.输出",
            "<script>alert('x')</script>",
            "&amp; \"quoted\"",
            "two\nlines");
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      rows.add(RowFactory.create(names.get(i), ramp(1000, i + 1f)));
    }
    Qcal.Result r = calibrate(longDump(spark, "names", rows));
    JsonNode table = succeeds(r);
    List<String> got = new ArrayList<>();
    table.get("tensors").forEach(t -> got.add(t.get("name").asText()));
    assertEquals(names.stream().sorted().toList(), got);
    assertFalse(Files.exists(out().resolve("calibration.cache")));
    assertTrue(r.err().contains("two\\nlines") || r.err().contains("two\nlines"), r.err());
    assertTrue(r.err().contains("line break"), r.err());
    String csv = Files.readString(out().resolve("calibration.csv"));
    assertTrue(csv.contains("<script>alert('x')</script>"), csv);
    assertTrue(summary().get("warnings").toString().contains("line break"));
    // The report carries the names escaped: an HTML-looking name is text, never markup.
    String report = Files.readString(out().resolve("report.html"));
    assertFalse(
        report.contains("<script>alert('x')</script>"), "unescaped HTML name in report.html");
  }

  @Test
  void withoutALineBreakTabsAndHtmlNamesReachTheCache(SparkSession spark) throws IOException {
    Path dump =
        longDump(
            spark,
            "names-cache",
            List.of(
                RowFactory.create("tab\there", ramp(100, 1f)),
                RowFactory.create("<b>bold</b>", ramp(100, 2f))));
    succeeds(calibrate(dump));
    String cache = Files.readString(out().resolve("calibration.cache"));
    assertTrue(cache.contains("tab\there: ") && cache.contains("<b>bold</b>: "), cache);
  }

  // ---- methods and parameters

  @Test
  void unknownMethodsAndBadParametersListTheValidOnes() throws IOException {
    assertFails(
        2,
        calibrate(Qcal.SAMPLE, "--methods", "entropy,klx"),
        "Unknown calibration method 'klx'",
        "valid:",
        "percentile",
        "mse:torch");
    assertFails(
        2,
        calibrate(Qcal.SAMPLE, "--methods", "percentile@101"),
        "percentile must be in (0, 100] (101.0)");
    assertFails(
        2,
        calibrate(Qcal.SAMPLE, "--methods", "percentile@lots"),
        "percentile@lots",
        "not a number");
    assertFails(
        2, calibrate(Qcal.SAMPLE, "--methods", "coverage@2"), "coverage must be in (0, 1] (2.0)");
    assertFails(
        2,
        calibrate(Qcal.SAMPLE, "--methods", "max@3"),
        "'max' takes no parameter",
        "percentile, percentile:nv");
    assertFails(
        2,
        calibrate(Qcal.SAMPLE, "--scheme", "int4"),
        "Unknown scheme 'int4'",
        "symmetric",
        "affine");
    assertFails(2, calibrate(Qcal.SAMPLE, "--formats", "onnx"), "onnx", "trt-cache");
    assertFails(2, calibrate(Qcal.SAMPLE, "--bins", "3"), "--bins", "[8, 1048576]");
    assertFails(2, calibrate(Qcal.SAMPLE, "--chunk-values", "0"), "chunks of 0");
    assertFails(2, calibrate(Qcal.SAMPLE, "--tensors", "(unclosed"), "--tensors");
  }
}
