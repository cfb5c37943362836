package dev.qcal.jobs.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.jobs.channel.ChannelDumps.ShapeRow;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-channel state through the real commands (local Spark, real Parquet dumps and states): the
 * states of two dumps, merged by {@code recompute} or by {@code calibrate --merge-state}, give the
 * per-channel tables of calibrating both dumps at once, byte for byte, also when the second dump's
 * channels are much wider than the first's and for tensors only in one dump; a state with fewer
 * bins per channel than the run is refused.
 */
@ExtendWith(SharedSpark.class)
class PerChannelStateTest {
  private static final String METHODS = "percentile@99,mse,max,entropy";
  private static final List<String> TABLES =
      List.of("calibration.json", "calibration.cache", "calibration.csv");

  @TempDir Path tmp;

  /** Weights of shape (8, 3, 2, 2) and (5, 6) scaled by {@code scale}, and an activation. */
  private static List<ShapeRow> rows(long seed, double scale, String only) {
    Random r = new Random(seed);
    List<ShapeRow> rows = new ArrayList<>();
    for (int row = 0; row < 3; row++) {
      float[] conv = new float[8 * 3 * 2 * 2];
      for (int i = 0; i < conv.length; i++) {
        conv[i] = (float) (r.nextGaussian() * scale * (1 + i / 12));
      }
      rows.add(new ShapeRow("conv.weight", new long[] {8, 3, 2, 2}, conv));
      float[] act = new float[40];
      for (int i = 0; i < act.length; i++) {
        act[i] = (float) (r.nextGaussian() * scale);
      }
      rows.add(new ShapeRow("conv.out", new long[] {40}, act));
    }
    float[] m = new float[5 * 6];
    for (int i = 0; i < m.length; i++) {
      m[i] = (float) (r.nextGaussian() * (1 + i % 6));
    }
    rows.add(new ShapeRow(only, new long[] {5, 6}, m));
    return rows;
  }

  private Path calibrate(String name, String... extra) {
    return calibrateWith(METHODS, name, extra);
  }

  private Path calibrateWith(String methods, String name, String... extra) {
    Path out = tmp.resolve(name);
    List<String> args =
        new ArrayList<>(
            List.of(
                "calibrate",
                "--output",
                out.toString(),
                "--methods",
                methods,
                "--channel-axis",
                "0",
                "--per-channel-tensors",
                ".*weight",
                "--channel-bins",
                "64"));
    args.addAll(List.of(extra));
    Qcal.Result r = Qcal.run(args.toArray(new String[0]));
    assertEquals(0, r.code(), r::toString);
    return out;
  }

  private Path recompute(String name, String states) {
    return recomputeWith(METHODS, name, states);
  }

  private Path recomputeWith(String methods, String name, String states) {
    Path out = tmp.resolve(name);
    Qcal.Result r =
        Qcal.run("recompute", "--output", out.toString(), "--state", states, "--methods", methods);
    assertEquals(0, r.code(), r::toString);
    return out;
  }

  private static void assertSameTables(Path expected, Path actual) throws IOException {
    for (String f : TABLES) {
      assertArrayEquals(
          Files.readAllBytes(expected.resolve(f)),
          Files.readAllBytes(actual.resolve(f)),
          f + " of " + actual);
    }
  }

  @Test
  void mergedPerChannelStatesEqualCalibratingTheUnion(SparkSession spark) throws IOException {
    String dumpA = tmp.resolve("dump-a").toString();
    String dumpB = tmp.resolve("dump-b").toString();
    ChannelDumps.withShapes(spark, dumpA, rows(1, 1.0, "fc.weight"), 2);
    ChannelDumps.withShapes(spark, dumpB, rows(2, 40.0, "fc2.weight"), 1, 5); // wider, nulls
    Path full = calibrate("full", "--input", dumpA + "," + dumpB);
    String fullJson = Files.readString(full.resolve("calibration.json"));
    assertTrue(fullJson.contains("\"channels\""), fullJson);
    Path a = calibrate("a", "--input", dumpA);
    Path b = calibrate("b", "--input", dumpB);
    String meta = Files.readString(a.resolve("state/_STATE.json"));
    assertTrue(meta.contains("\"channel_bins\" : 64"), meta);

    assertSameTables(full, recompute("recomputed", a + "," + b));
    Path incremental = calibrate("incremental", "--input", dumpB, "--merge-state", a.toString());
    assertSameTables(full, incremental);
    // The incremental run's state holds the merged channels: recomputing it is the full table.
    assertSameTables(full, recompute("again", incremental + "/state"));

    // Fewer bins per channel in the state than the run asks: refused before any scan.
    Qcal.Result finer =
        Qcal.run(
            "calibrate",
            "--output",
            tmp.resolve("finer").toString(),
            "--input",
            dumpB,
            "--methods",
            METHODS,
            "--channel-axis",
            "0",
            "--channel-bins",
            "128",
            "--merge-state",
            a.toString());
    assertEquals(2, finer.code(), finer::toString);
    assertTrue(finer.err().contains("--channel-bins 64 or fewer"), finer.err());
    assertFalse(Files.exists(tmp.resolve("finer")));
  }

  /**
   * {@code max} alone needs no histogram, and its per-channel tensors still join the one scan with
   * a per-channel state: merged and recomputed, it gives the union's tables.
   */
  @Test
  void maxAloneKeepsPerChannelStatesInTheOneScan(SparkSession spark) throws IOException {
    String dumpA = tmp.resolve("max-a").toString();
    String dumpB = tmp.resolve("max-b").toString();
    ChannelDumps.withShapes(spark, dumpA, rows(3, 1.0, "fc.weight"), 2);
    ChannelDumps.withShapes(spark, dumpB, rows(4, 40.0, "fc2.weight"), 1, 5);
    Path full = calibrateWith("max", "max-full", "--input", dumpA + "," + dumpB);
    String summary = Files.readString(full.resolve("summary.json"));
    assertTrue(summary.contains("scan (range statistics) and calibration searches"), summary);
    assertFalse(summary.contains("\"per-channel passes\""), summary);
    Path a = calibrateWith("max", "max-a-out", "--input", dumpA);
    Path b = calibrateWith("max", "max-b-out", "--input", dumpB);
    assertSameTables(full, recomputeWith("max", "max-recomputed", a + "," + b));
    assertSameTables(
        full, calibrateWith("max", "max-incremental", "--input", dumpB, "--merge-state", a + ""));
  }
}
