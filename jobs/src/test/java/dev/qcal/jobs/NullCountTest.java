package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.ChannelCalibration;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.core.table.TensorFlag;
import dev.qcal.jobs.calibrate.Calibration;
import dev.qcal.jobs.dump.ChannelSource;
import dev.qcal.jobs.scan.Reader;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nulls are counted apart from NaN on every path that reads values: a state written before they
 * were (state version 1, without identity) is refused saying what to do; the per-channel passes
 * count a null for its channel; the scalar and wide layouts count null scalars and null array
 * cells. (The long layout's readers: {@code BadInputTest}, {@code PageDecoderTest}, {@code
 * MixedDumpTest}.)
 */
@ExtendWith(SharedSpark.class)
class NullCountTest {
  /** A dump and the state main wrote of it at 0f3635d (see its README.md). */
  private static final Path MAIN_STATE = Qcal.ROOT.resolve("jobs/src/test/resources/main-state-v1");

  @TempDir Path tmp;

  @Test
  void aStateWrittenBeforeStateIdentityIsRefusedSayingWhatToDo() {
    // Its nulls were counted as NaN and it carries no identity or digest: merging it could count a
    // dump twice or carry an edited bin unnoticed, so it is refused before Spark starts.
    Qcal.Result r =
        Qcal.run(
            "recompute",
            "--state",
            MAIN_STATE.resolve("state").toString(),
            "--output",
            tmp.resolve("r").toString());
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("state version 1, this qcal reads version 2"), r::toString);
    assertTrue(r.err().contains("rerun calibrate on its dump"), r::toString);
    assertFalse(r.err().contains("\tat "), r::toString);
    r =
        Qcal.run(
            "calibrate",
            "--input",
            MAIN_STATE.resolve("dump").toString(),
            "--merge-state",
            MAIN_STATE.resolve("state").toString(),
            "--bins",
            "128",
            "--output",
            tmp.resolve("m").toString());
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("state version 1"), r::toString);
  }

  @Test
  void perChannelNullsAreCountedForTheirChannel(SparkSession spark) throws IOException {
    // Shape (2, 3) split along axis 1: flat positions 0..5 go to channels 0, 1, 2, 0, 1, 2.
    StructType shapes =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType, true))
            .add("shape", DataTypes.createArrayType(DataTypes.LongType));
    Path byShape = tmp.resolve("by-shape");
    spark
        .createDataFrame(
            List.of(
                RowFactory.create(
                    "w", new Float[] {1f, null, 3f, null, 5f, 6f}, new Long[] {2L, 3L}),
                RowFactory.create(
                    "w", new Float[] {-1f, 2f, null, 4f, null, null}, new Long[] {2L, 3L})),
            shapes)
        .coalesce(1)
        .write()
        .parquet(byShape.toString());
    for (Reader reader : List.of(Reader.PAGES, Reader.SPARK)) {
      CalibrationTable table = perChannel(spark, byShape, ChannelSource.shape("shape", 1), reader);
      JsonNode channelStats =
          new ObjectMapper()
              .readTree(CalibrationJson.toJson(table))
              .at("/tensors/0/channels/stats");
      assertEquals("[1,2,2]", channelStats.get("null").toString());
      assertEquals("[0,0,0]", channelStats.get("nan").toString());
      TensorCalibration w = row(table, "w");
      assertEquals(
          RangeStats.of(1f, 3f, 5f, 6f, -1f, 2f, 4f).withNulls(5, 0), w.stats(), reader.key());
      ChannelCalibration cc = w.channels().orElseThrow();
      assertEquals(3, cc.count());
      assertEquals(RangeStats.of(1f, -1f, 4f).withNulls(1, 0), cc.stats().get(0));
      assertEquals(RangeStats.of(5f, 2f).withNulls(2, 0), cc.stats().get(1));
      assertEquals(RangeStats.of(3f, 6f).withNulls(2, 0), cc.stats().get(2));
      assertTrue(cc.flags().get(TensorFlag.HAS_NAN) == null);
      assertEquals(3, cc.flags().get(TensorFlag.HAS_NULL).length);
    }

    StructType channels =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType, true))
            .add("channel", DataTypes.IntegerType);
    Path byColumn = tmp.resolve("by-column");
    spark
        .createDataFrame(
            List.of(
                RowFactory.create("w", new Float[] {1f, null}, 0),
                RowFactory.create("w", new Float[] {null, null, 2f}, 1),
                RowFactory.create("w", new Float[] {Float.NaN, 7f}, 2)),
            channels)
        .coalesce(1)
        .write()
        .parquet(byColumn.toString());
    ChannelCalibration cc =
        row(perChannel(spark, byColumn, ChannelSource.column("channel", 0), Reader.AUTO), "w")
            .channels()
            .orElseThrow();
    assertEquals(RangeStats.of(1f).withNulls(1, 0), cc.stats().get(0));
    assertEquals(RangeStats.of(2f).withNulls(2, 0), cc.stats().get(1));
    assertEquals(RangeStats.of(Float.NaN, 7f), cc.stats().get(2));
    assertEquals(List.of(0, 1), ints(cc.flags().get(TensorFlag.HAS_NULL)));
    assertEquals(List.of(2), ints(cc.flags().get(TensorFlag.HAS_NAN)));
  }

  @Test
  void scalarAndWideLayoutsCountNullScalarsAndNullCells(SparkSession spark) {
    StructType scalar =
        new StructType().add("tensor", DataTypes.StringType).add("value", DataTypes.FloatType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(
          RowFactory.create(i % 2 == 0 ? "even" : "odd", i % 10 == 3 ? null : (Float) (i - 20f)));
    }
    rows.add(RowFactory.create("only null", null));
    Path scalarDump = tmp.resolve("scalar");
    spark.createDataFrame(rows, scalar).repartition(3).write().parquet(scalarDump.toString());
    CalibrationTable t = table(spark, scalarDump);
    assertEquals(25, row(t, "even").stats().count());
    assertEquals(20, row(t, "odd").stats().count());
    assertEquals(5, row(t, "odd").stats().nullCount());
    assertEquals(0, row(t, "odd").stats().nanCount());
    assertEquals(RangeStats.EMPTY.withNulls(1, 0), row(t, "only null").stats());

    StructType wide =
        new StructType()
            .add("act", DataTypes.FloatType, true)
            .add("vec", DataTypes.createArrayType(DataTypes.FloatType, true), true);
    Path wideDump = tmp.resolve("wide");
    spark
        .createDataFrame(
            List.of(
                RowFactory.create(1f, new Float[] {1f, null}),
                RowFactory.create(null, null),
                RowFactory.create(-2f, new Float[] {Float.NaN, 3f})),
            wide)
        .coalesce(1)
        .write()
        .parquet(wideDump.toString());
    t = table(spark, wideDump);
    assertEquals(RangeStats.of(1f, -2f).withNulls(1, 0), row(t, "act").stats());
    assertEquals(RangeStats.of(1f, Float.NaN, 3f).withNulls(1, 1), row(t, "vec").stats());
  }

  private static CalibrationTable perChannel(
      SparkSession spark, Path dump, ChannelSource source, Reader reader) {
    return Calibration.builder()
        .input(dump.toString())
        .methods(List.of("max", "percentile"))
        .channels(source)
        .reader(reader)
        .withoutPlots()
        .build()
        .run(spark)
        .table();
  }

  private static CalibrationTable table(SparkSession spark, Path dump) {
    return Calibration.builder()
        .input(dump.toString())
        .methods(List.of("max"))
        .withoutPlots()
        .build()
        .run(spark)
        .table();
  }

  private static TensorCalibration row(CalibrationTable table, String name) {
    return table.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  private static List<Integer> ints(int[] values) {
    List<Integer> out = new ArrayList<>();
    for (int v : values) {
      out.add(v);
    }
    return out;
  }
}
