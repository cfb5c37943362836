package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What schedulers rely on: summary.json's status line, and a run killed during its commit (which
 * leaves a hidden pending directory beside the output) cleaned up by the next run of the same
 * output. Killed drivers and lost workers on a real cluster: ClusterIT.
 */
@ExtendWith(SharedSpark.class)
class OperatingTest {
  @TempDir Path tmp;

  private Path dump(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType));
    Path dir = tmp.resolve("dump");
    spark
        .createDataFrame(List.of(RowFactory.create("t", new float[] {1f, -2f, 3f})), schema)
        .coalesce(1)
        .write()
        .parquet(dir.toString());
    return dir;
  }

  private static Path stale(Path dir, String name) throws Exception {
    Path p = Files.createDirectories(dir.resolve(name));
    Files.writeString(p.resolve("calibration.json"), "{\"half\": ");
    Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
    return p;
  }

  @Test
  void aSucceededRunSaysSoAndCleansWhatKilledRunsOfTheSameOutputLeft(SparkSession spark)
      throws Exception {
    Path input = dump(spark);
    Path out = tmp.resolve("out");
    Path pending = stale(tmp, ".out.qcal-pending-0f0f");
    Path replaced = stale(tmp, ".out.qcal-replaced-0f0f");
    Path otherOutputs = stale(tmp, ".other.qcal-pending-0f0f");

    Qcal.Result r = Qcal.run("calibrate", "--input", input.toString(), "--output", out.toString());
    assertEquals(0, r.code(), r::toString);
    assertEquals(
        "succeeded",
        new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("status").asText());
    assertFalse(Files.exists(pending), "stale pending directory of this output left");
    assertFalse(Files.exists(replaced), "stale replaced directory of this output left");
    assertTrue(Files.exists(otherOutputs), "another output's directory must not be touched");
  }
}
