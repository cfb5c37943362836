package dev.qcal.jobs.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qcal.core.io.CalibrationJson;
import dev.qcal.jobs.dump.Layout;
import dev.qcal.jobs.generate.DumpGenerator;
import dev.qcal.jobs.testing.SharedSpark;
import java.nio.file.Path;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every layout of the same values gives the same table: long float, long double (float32 values
 * widened, so narrowing restores them), scalar (float and double), wide (float columns and array
 * columns), each read with --layout auto.
 */
@ExtendWith(SharedSpark.class)
class LayoutTest {
  static final int TENSORS = 8;
  static final int VALUES = 3000;
  @TempDir Path tmp;

  private String table(SparkSession spark, Path dump, Layout layout) {
    return CalibrationJson.toJson(
        Calibration.builder()
            .input(dump.toString())
            .layout(
                layout) // default methods: this test is about reading, PartitioningTest runs all
            .chunkValues(700)
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
