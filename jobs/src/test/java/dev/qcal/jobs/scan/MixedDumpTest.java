package dev.qcal.jobs.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.jobs.calibrate.Calibration;
import dev.qcal.jobs.testing.SharedSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dumps whose files differ in list encoding or element nullability, written by real writers (Spark,
 * parquet-java through parquet-avro, DuckDB): the page decoder and Spark's reader give the same
 * table, with every null of every file counted and none read as 0.0. The first file (in sorted
 * order) gives the schema, so each dump puts the file that declares no null first.
 */
@ExtendWith(SharedSpark.class)
class MixedDumpTest {
  /** The values of every dump: tensor t and u in two files (null: a null element). */
  private static final Float[] T1 = {2.5f, 3f, 4f};

  private static final Float[] U1 = {-2f};
  private static final Float[] T2 = {1.5f, null, 5f};
  private static final Float[] U2 = {null, 0.5f};

  /** t = {2.5, 3, 4, 1.5, 5} and one null; u = {-2, 0.5} and one null. */
  private static final RangeStats T = RangeStats.of(2.5f, 3f, 4f, 1.5f, 5f).withNulls(1, 0);

  private static final RangeStats U = RangeStats.of(-2f, 0.5f).withNulls(1, 0);

  @TempDir Path tmp;

  @AfterEach
  void restore(SparkSession spark) {
    spark.conf().unset("spark.sql.parquet.writeLegacyFormat");
  }

  @Test
  void sparkRequiredElementsThenDuckDbNulls(SparkSession spark) throws Exception {
    Path dump = tmp.resolve("spark-duckdb");
    sparkFile(spark, dump.resolve("part-1.parquet"), false);
    duckDbFile(dump.resolve("part-2.parquet"));
    assertEquals(List.of("3-level, required element", "3-level, optional element"), lists(dump));
    assertEveryReaderCounts(spark, dump);
  }

  @Test
  void avroTwoLevelListThenSparkNulls(SparkSession spark) throws Exception {
    Path dump = tmp.resolve("avro-spark");
    avroFile(dump.resolve("part-1.parquet"), true);
    sparkFile(spark, dump.resolve("part-2.parquet"), true);
    assertEquals(List.of("2-level", "3-level, optional element"), lists(dump));
    assertEveryReaderCounts(spark, dump);
  }

  @Test
  void sparkLegacyTwoLevelListThenAvroAndDuckDbNulls(SparkSession spark) throws Exception {
    Path dump = tmp.resolve("legacy-avro-duckdb");
    spark.conf().set("spark.sql.parquet.writeLegacyFormat", "true");
    sparkFile(spark, dump.resolve("part-1.parquet"), false);
    spark.conf().unset("spark.sql.parquet.writeLegacyFormat");
    avroFile(dump.resolve("part-2.parquet"), false);
    assertEquals(List.of("2-level", "3-level, optional element"), lists(dump));
    assertEveryReaderCounts(spark, dump);
    Path three = tmp.resolve("legacy-duckdb");
    spark.conf().set("spark.sql.parquet.writeLegacyFormat", "true");
    sparkFile(spark, three.resolve("part-1.parquet"), false);
    duckDbFile(three.resolve("part-2.parquet"));
    assertEquals(List.of("2-level", "3-level, optional element"), lists(three));
    assertEveryReaderCounts(spark, three);
  }

  @Test
  void wideRequiredColumnsThenNullableOnes(SparkSession spark) {
    Path dump = tmp.resolve("wide");
    StructType required =
        new StructType()
            .add("act", DataTypes.FloatType, false)
            .add("vec", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    StructType nullable =
        new StructType()
            .add("act", DataTypes.FloatType, true)
            .add("vec", DataTypes.createArrayType(DataTypes.FloatType, true), true);
    writeOne(
        spark,
        dump.resolve("part-1.parquet"),
        required,
        List.of(RowFactory.create(3f, new Float[] {2.5f, 3f})));
    writeOne(
        spark,
        dump.resolve("part-2.parquet"),
        nullable,
        List.of(RowFactory.create(null, new Float[] {1.5f, null}), RowFactory.create(2f, null)));
    CalibrationTable table = table(spark, dump, Reader.SPARK);
    assertEquals(RangeStats.of(3f, 2f).withNulls(1, 0), row(table, "act").stats());
    assertEquals(RangeStats.of(2.5f, 3f, 1.5f).withNulls(1, 1), row(table, "vec").stats());
  }

  /** Both readers: the same table, and t and u as written. */
  private static void assertEveryReaderCounts(SparkSession spark, Path dump) {
    CalibrationTable pages = table(spark, dump, Reader.PAGES);
    CalibrationTable rows = table(spark, dump, Reader.SPARK);
    assertEquals(T, row(pages, "t").stats(), "page decoder");
    assertEquals(U, row(pages, "u").stats(), "page decoder");
    assertEquals(T, row(rows, "t").stats(), "Spark's reader");
    assertEquals(U, row(rows, "u").stats(), "Spark's reader");
    assertEquals(CalibrationJson.toJson(pages), CalibrationJson.toJson(rows));
  }

  private static CalibrationTable table(SparkSession spark, Path dump, Reader reader) {
    return Calibration.builder()
        .input(dump.toString())
        .methods(Arrays.asList("entropy", "percentile", "max"))
        .withoutPlots()
        .reader(reader)
        .build()
        .run(spark)
        .table();
  }

  private static TensorCalibration row(CalibrationTable table, String name) {
    return table.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  /** t and u with Spark: file 1's values, or file 2's (with nulls) when {@code nulls}. */
  private static void sparkFile(SparkSession spark, Path file, boolean nulls) {
    StructType schema =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType, nulls));
    writeOne(
        spark,
        file,
        schema,
        List.of(RowFactory.create("t", nulls ? T2 : T1), RowFactory.create("u", nulls ? U2 : U1)));
  }

  /** Writes {@code rows} with Spark as the one Parquet file {@code file}. */
  private static void writeOne(SparkSession spark, Path file, StructType schema, List<Row> rows) {
    Path dir = file.resolveSibling("." + file.getFileName() + ".spark");
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
    try (Stream<Path> s = Files.list(dir)) {
      Path part =
          s.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
      Files.createDirectories(file.getParent());
      Files.move(part, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Stream<Path> rest = Files.walk(dir)) { // Spark's _SUCCESS and checksums
      for (Path p : rest.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** File 2's values (with nulls) with DuckDB: a 3-level list of optional floats. */
  private static void duckDbFile(Path file) throws SQLException, IOException {
    Files.createDirectories(file.getParent());
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute(
          "COPY (SELECT * FROM (VALUES ('t', [1.5, NULL, 5]::FLOAT[]), ('u', [NULL, 0.5]::FLOAT[]))"
              + " v(tensor, values)) TO '"
              + file
              + "' (FORMAT parquet)");
    }
  }

  /**
   * t and u with parquet-avro: file 1's values in its default 2-level list ({@code twoLevel}), or
   * file 2's with nulls in a 3-level list of optional floats.
   */
  private static void avroFile(Path file, boolean twoLevel) throws IOException {
    Schema element =
        twoLevel ? Schema.create(Schema.Type.FLOAT) : SchemaBuilder.nullable().floatType();
    Schema schema =
        SchemaBuilder.record("dump")
            .fields()
            .requiredString("tensor")
            .name("values")
            .type(Schema.createArray(element))
            .noDefault()
            .endRecord();
    Configuration conf = new Configuration();
    conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, twoLevel);
    Files.createDirectories(file.getParent());
    try (ParquetWriter<GenericRecord> w =
        AvroParquetWriter.<GenericRecord>builder(
                HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toString()), conf))
            .withSchema(schema)
            .withConf(conf)
            .build()) {
      for (Map.Entry<String, Float[]> e :
          Map.of("t", twoLevel ? T1 : T2, "u", twoLevel ? U1 : U2).entrySet()) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("tensor", e.getKey());
        r.put("values", Arrays.asList(e.getValue()));
        w.write(r);
      }
    }
  }

  /** How each file (sorted) stores the values list, from its footer. */
  private static List<String> lists(Path dump) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dump)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList()) {
        try (ParquetFileReader r =
            ParquetFileReader.open(
                HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(f.toString()), new Configuration()))) {
          GroupType values = r.getFileMetaData().getSchema().getType("values").asGroupType();
          Type repeated = values.getType(0);
          if (repeated.isPrimitive()) {
            out.add("2-level");
          } else {
            Type element = repeated.asGroupType().getType(0);
            out.add(
                "3-level, "
                    + (element.isRepetition(Type.Repetition.OPTIONAL) ? "optional" : "required")
                    + " element");
          }
        }
      }
    }
    return out;
  }
}
