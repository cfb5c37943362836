package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tensor name with a line break, or an empty one: the TensorRT cache (and the other line formats)
 * cannot carry it, so the cache is skipped with a warning (stderr and summary.json) and every other
 * output is written with the name.
 */
@ExtendWith(SharedSpark.class)
class LineBreakNameTest {
  @TempDir Path tmp;

  /** A dump of {@code first} (values 1, -2) and "plain" (3). */
  private Path dump(SparkSession spark, String name, String first) {
    StructType schema =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType));
    Path dump = tmp.resolve(name);
    spark
        .createDataFrame(
            List.of(
                RowFactory.create(first, new float[] {1f, -2f}),
                RowFactory.create("plain", new float[] {3f})),
            schema)
        .coalesce(1)
        .write()
        .parquet(dump.toString());
    return dump;
  }

  @Test
  void skipsOnlyTheCacheAndSaysWhy(SparkSession spark) throws Exception {
    Path dump = dump(spark, "dump", "two\nlines");
    Path out = tmp.resolve("out");
    Qcal.Result r = Qcal.run("calibrate", "--input", dump.toString(), "--output", out.toString());
    assertEquals(0, r.code(), r::toString);
    assertFalse(Files.exists(out.resolve("calibration.cache")));
    assertTrue(r.err().contains("Cannot write trt-cache (calibration.cache)"), r.err());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertTrue(summary.get("warnings").get(0).asText().contains("line break"));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertEquals(
        "two\nlines",
        EndToEndTest.readJson(out.resolve("calibration.json")).tensors().get(1).name());
  }

  /**
   * Issue 14: an empty name went into calibration.cache as ": 3e756ad6"; it is refused the same
   * way.
   */
  @Test
  void anEmptyNameSkipsTheLineFormatsAndSaysWhy(SparkSession spark) throws Exception {
    Path dump = dump(spark, "empty-name", "");
    Path out = tmp.resolve("out-empty");
    Qcal.Result r =
        Qcal.run(
            "calibrate",
            "--input",
            dump.toString(),
            "--output",
            out.toString(),
            "--formats",
            "trt-cache,ort-cache,csv");
    assertEquals(0, r.code(), r::toString);
    assertFalse(Files.exists(out.resolve("calibration.cache")));
    assertFalse(Files.exists(out.resolve("ort_calibration.cache")));
    assertTrue(
        r.err().contains("Cannot write trt-cache (calibration.cache)")
            && r.err().contains("an empty name"),
        r.err());
    assertTrue(r.err().contains("Cannot write ort-cache"), r.err());
    assertEquals(
        "", EndToEndTest.readJson(out.resolve("calibration.json")).tensors().get(0).name());
    assertTrue(
        Files.readString(out.resolve("calibration.csv")).contains("\n,max,"),
        "the CSV carries the empty name");
  }
}
