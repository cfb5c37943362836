package dev.qcal.jobs.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.io.CalibrationJson;
import dev.qcal.jobs.dump.Layout;
import dev.qcal.jobs.generate.DumpGenerator;
import dev.qcal.jobs.scan.Reader;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import dev.qcal.jobs.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every layout of the same values gives the same table: long float, long double (float32 values
 * widened, so narrowing restores them), scalar (float and double), wide (float columns and array
 * columns), each read with --layout auto, through the page decoder (the default) and Spark's reader
 * alike; and the command writes the same bytes through either reader in every layout.
 */
@ExtendWith(SharedSpark.class)
class LayoutTest {
  static final int TENSORS = 8;
  static final int VALUES = 3000;
  @TempDir Path tmp;

  /** The table through the page decoder, checked to be the same through Spark's reader. */
  private String table(SparkSession spark, Path dump, Layout layout) {
    String pages = table(spark, dump, layout, Reader.AUTO);
    assertEquals(table(spark, dump, layout, Reader.SPARK), pages, dump + " through Spark's reader");
    return pages;
  }

  private String table(SparkSession spark, Path dump, Layout layout, Reader reader) {
    return CalibrationJson.toJson(
        Calibration.builder()
            .input(dump.toString())
            .layout(
                layout) // default methods: this test is about reading, PartitioningTest runs all
            .chunkValues(700)
            .reader(reader)
            .build()
            .run(spark)
            .table());
  }

  private Path generate(SparkSession spark, Layout layout, boolean doubles, int files) {
    Path dir = tmp.resolve(layout.key() + (doubles ? "-double" : "-float") + "-" + files);
    new DumpGenerator(TENSORS, VALUES, layout, 3, 500, files, doubles)
        .write(spark, dir.toString(), SaveMode.ErrorIfExists);
    return dir;
  }

  @Test
  void everyLayoutGivesTheSameTable(SparkSession spark) {
    String expected = table(spark, generate(spark, Layout.LONG, false, 1), Layout.AUTO);
    assertEquals(
        expected, table(spark, generate(spark, Layout.LONG, true, 2), Layout.AUTO), "long double");
    assertEquals(
        expected,
        table(spark, generate(spark, Layout.SCALAR, false, 3), Layout.AUTO),
        "scalar float");
    assertEquals(
        expected,
        table(spark, generate(spark, Layout.SCALAR, true, 1), Layout.SCALAR),
        "scalar double");
    assertEquals(
        expected, table(spark, generate(spark, Layout.WIDE, false, 2), Layout.AUTO), "wide float");
    assertEquals(
        expected, table(spark, generate(spark, Layout.WIDE, true, 1), Layout.WIDE), "wide double");
  }

  @Test
  void everyLayoutWritesTheSameFilesThroughEitherReader(SparkSession spark) throws IOException {
    for (Layout layout : List.of(Layout.LONG, Layout.SCALAR, Layout.WIDE)) {
      Path dump = generate(spark, layout, layout == Layout.SCALAR, 3);
      Path pages = tmp.resolve(layout.key() + "-out-pages");
      Path rows = tmp.resolve(layout.key() + "-out-spark");
      for (Path out : List.of(pages, rows)) {
        Qcal.Result r =
            Qcal.run(
                "calibrate",
                "--input",
                dump.toString(),
                "--output",
                out.toString(),
                "--reader",
                out == pages ? "pages" : "spark");
        assertEquals(0, r.code(), r::toString);
      }
      List<Path> files = Trees.files(rows);
      assertEquals(files, Trees.files(pages), layout.key());
      assertTrue(files.contains(Path.of("report.html")), files.toString());
      for (Path f : files) {
        if (!f.toString().equals("summary.json")) { // its stage times differ from run to run
          assertArrayEquals(
              Files.readAllBytes(rows.resolve(f)),
              Files.readAllBytes(pages.resolve(f)),
              layout.key() + ": " + f);
        }
      }
    }
  }

  @Test
  void wideArrayColumnsAndRenamedLongColumnsGiveTheSameTable(SparkSession spark) {
    Path longDump = generate(spark, Layout.LONG, false, 1);
    String expected = table(spark, longDump, Layout.AUTO);

    // Wide with array<float> columns: one row per tensor chunk index, one column per tensor.
    Path wideArrays = tmp.resolve("wide-arrays");
    var rows = spark.read().parquet(longDump.toString());
    var pivot =
        rows.withColumn("chunk", functions.monotonically_increasing_id())
            .groupBy()
            .pivot("tensor")
            .agg(functions.flatten(functions.collect_list("values")));
    pivot.coalesce(1).write().parquet(wideArrays.toString());
    assertEquals(expected, table(spark, wideArrays, Layout.AUTO), "wide array<float>");

    Path renamed = tmp.resolve("renamed");
    rows.withColumnRenamed("tensor", "name")
        .withColumnRenamed("values", "x")
        .write()
        .parquet(renamed.toString());
    assertEquals(
        expected,
        CalibrationJson.toJson(
            Calibration.builder()
                .input(renamed.toString())
                .tensorColumn("name")
                .valuesColumn("x")
                .build()
                .run(spark)
                .table()),
        "long with --tensor-column/--values-column");
  }
}
