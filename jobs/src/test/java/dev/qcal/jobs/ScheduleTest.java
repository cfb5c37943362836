package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled runs (docs/nightly.md, "Scheduling / Nightly runs"): {@code --run-id} layout and {@code
 * _LATEST}, idempotent reruns, the drift gate's exit 4, failed and killed runs leaving {@code
 * _LATEST} alone, and bad scheduling options failing before any scan.
 */
@ExtendWith(SharedSpark.class)
class ScheduleTest {
  private static final StructType LONG_FLOAT =
      new StructType()
          .add("tensor", DataTypes.StringType)
          .add("values", DataTypes.createArrayType(DataTypes.FloatType));
  private static final List<String> TABLES =
      List.of("calibration.json", "calibration.csv", "calibration.cache");

  @TempDir Path tmp;
  private final ObjectMapper json = new ObjectMapper();

  private Path out() {
    return tmp.resolve("calib");
  }

  private Path run(String id) {
    return out().resolve("run_id=" + id);
  }

  /** Tensors a and b, a's values scaled by {@code scaleA}. */
  private Path dump(SparkSession spark, String name, float scaleA) {
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      float[] a = new float[500];
      float[] b = new float[500];
      for (int i = 0; i < a.length; i++) {
        a[i] = scaleA * ((i * 7 + r * 13) % 1001 - 500) / 250f;
        b[i] = ((i * 11 + r * 3) % 1001 - 500) / 100f;
      }
      rows.add(RowFactory.create("a", a));
      rows.add(RowFactory.create("b", b));
    }
    Path dir = tmp.resolve(name);
    spark.createDataFrame(rows, LONG_FLOAT).coalesce(1).write().parquet(dir.toString());
    return dir;
  }

  private Qcal.Result calibrate(Path input, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "calibrate",
                "--input",
                input.toString(),
                "--output",
                out().toString(),
                "--no-report"));
    args.addAll(Arrays.asList(extra));
    return Qcal.run(args.toArray(new String[0]));
  }

  private String latest() throws IOException {
    return Files.readString(out().resolve("_LATEST"));
  }

  private JsonNode read(Path file) throws IOException {
    return json.readTree(file.toFile());
  }

  private List<String> hidden() throws IOException {
    try (Stream<Path> s = Files.list(out())) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
    }
  }

  private static byte[][] tables(Path dir) throws IOException {
    byte[][] b = new byte[TABLES.size()][];
    for (int i = 0; i < b.length; i++) {
      b[i] = Files.readAllBytes(dir.resolve(TABLES.get(i)));
    }
    return b;
  }

  @Test
  void aRunIdWritesUnderItsOwnDirectoryMovesLatestAndARerunReplacesOnlyThatRunWithTheSameBytes(
      SparkSession spark) throws Exception {
    Path input = dump(spark, "dump", 1f);
    Qcal.Result first =
        calibrate(input, "--run-id", "2026-11-21", "--baseline", "latest", "--max-drift", "0.1");
    assertEquals(0, first.code(), first::toString);
    assertTrue(Files.exists(run("2026-11-21").resolve("_SUCCESS")));
    assertEquals("2026-11-21\n", latest());
    JsonNode summary = read(run("2026-11-21").resolve("summary.json"));
    assertEquals("succeeded", summary.get("status").asText());
    assertEquals("2026-11-21", summary.get("run_id").asText());
    assertTrue(
        summary.get("drift").get("note").asText().startsWith("no previous run"), summary::toString);
    assertFalse(
        Files.exists(run("2026-11-21").resolve("drift.json")),
        "nothing to compare on the first run");

    // The same keys as spark.qcal.* settings.
    Qcal.Result second =
        calibrate(
            input,
            "--conf",
            "spark.qcal.run-id=2026-11-22",
            "--conf",
            "spark.qcal.baseline=latest");
    assertEquals(0, second.code(), second::toString);
    assertEquals("2026-11-22\n", latest());
    JsonNode drift = read(run("2026-11-22").resolve("drift.json"));
    assertEquals(
        run("2026-11-21")
            .resolve("calibration.json")
            .toUri()
            .toString()
            .replace("file:///", "file:/"),
        drift.get("baseline").asText());
    assertEquals(2, drift.get("tensors_compared").asInt());
    assertTrue(drift.get("limit").isNull());
    assertEquals(0.0, drift.get("worst").get("change").asDouble());
    assertEquals(
        0, read(run("2026-11-22").resolve("summary.json")).get("drift").get("exceeded").asInt());

    byte[][] before = tables(run("2026-11-21"));
    byte[][] other = tables(run("2026-11-22"));
    FileTime otherTime = Files.getLastModifiedTime(run("2026-11-22").resolve("calibration.json"));
    // A rerun of the first id: no --overwrite needed, the same table bytes, the other run
    // untouched.
    Qcal.Result rerun = calibrate(input, "--run-id", "2026-11-21");
    assertEquals(0, rerun.code(), rerun::toString);
    byte[][] after = tables(run("2026-11-21"));
    for (int i = 0; i < TABLES.size(); i++) {
      assertArrayEquals(
          before[i], after[i], TABLES.get(i) + " differs after a rerun of the same run id");
      assertArrayEquals(other[i], Files.readAllBytes(run("2026-11-22").resolve(TABLES.get(i))));
    }
    assertEquals(
        otherTime, Files.getLastModifiedTime(run("2026-11-22").resolve("calibration.json")));
    assertEquals("2026-11-21\n", latest(), "_LATEST names the last accepted run");
    assertEquals(List.of(), hidden(), "no pending or replaced directory left");
  }

  @Test
  void driftOverTheLimitWritesEverythingExitsFourAndLeavesLatestUntilAccepted(SparkSession spark)
      throws Exception {
    Qcal.Result base = calibrate(dump(spark, "day1", 1f), "--run-id", "1", "--methods", "max");
    assertEquals(0, base.code(), base::toString);
    // Tensor a doubles: the max method's scale float32(2x)/127 is exactly twice float32(x)/127, so
    // its change is exactly 1.0; b is unchanged.
    Path day2 = dump(spark, "day2", 2f);
    Qcal.Result drifted =
        calibrate(
            day2,
            "--run-id",
            "2",
            "--methods",
            "max",
            "--baseline",
            "latest",
            "--max-drift",
            "0.10");
    assertEquals(4, drifted.code(), drifted::toString);
    assertTrue(drifted.err().contains("drift over the limit (exit 4)"), drifted::toString);
    assertTrue(
        drifted.err().contains("see file:" + run("2").resolve("drift.json")), drifted::toString);
    assertTrue(
        drifted.err().contains("rerun with --run-id 2 and a higher --max-drift"),
        drifted::toString);
    assertTrue(
        drifted.out().contains("qcal: drift: 2 tensors compared, 1 over the limit 0.1"),
        drifted::toString);
    assertTrue(
        Files.exists(run("2").resolve("_SUCCESS")), "a drifted run still writes its whole output");
    assertTrue(Files.exists(run("2").resolve("calibration.cache")));
    assertEquals("1\n", latest(), "_LATEST does not move to a drifted run");

    JsonNode drift = read(run("2").resolve("drift.json"));
    assertEquals("qcal.drift", drift.get("format").asText());
    assertEquals(0.1, drift.get("limit").asDouble());
    assertEquals("[\"a\"]", drift.get("exceeded").toString());
    assertEquals("a", drift.get("worst").get("tensor").asText());
    assertEquals(1.0, drift.get("worst").get("change").asDouble());
    JsonNode a = drift.get("tensors").get(0);
    assertEquals("a", a.get("name").asText());
    assertTrue(a.get("exceeds").asBoolean());
    JsonNode max = a.get("methods").get("max");
    assertEquals(
        2 * max.get("baseline").get("amax").asDouble(), max.get("current").get("amax").asDouble());
    assertEquals(1.0, max.get("change").asDouble());
    assertFalse(drift.get("tensors").get(1).get("exceeds").asBoolean());

    JsonNode summary = read(run("2").resolve("summary.json"));
    assertEquals("drift_exceeded", summary.get("status").asText());
    JsonNode section = summary.get("drift");
    assertEquals(0.1, section.get("limit").asDouble());
    assertEquals(2, section.get("tensors_compared").asInt());
    assertEquals(1, section.get("exceeded").asInt());
    assertEquals("a", section.get("worst").get("tensor").asText());
    assertEquals(1.0, section.get("worst").get("change").asDouble());
    assertTrue(summary.get("outputs").toString().contains("drift.json"));

    // A human accepts it: the same run id with a higher limit, the baseline given as a run
    // directory.
    Qcal.Result accepted =
        calibrate(
            day2,
            "--run-id",
            "2",
            "--methods",
            "max",
            "--baseline",
            run("1").toString(),
            "--max-drift",
            "1.5");
    assertEquals(0, accepted.code(), accepted::toString);
    assertEquals("2\n", latest());
    assertEquals("succeeded", read(run("2").resolve("summary.json")).get("status").asText());
    assertEquals("[]", read(run("2").resolve("drift.json")).get("exceeded").toString());
  }

  @Test
  void withoutRunIdTheGateStillExitsFourAfterWritingTheOutput(SparkSession spark) throws Exception {
    Path base = tmp.resolve("base");
    assertEquals(
        0,
        Qcal.run(
                "calibrate",
                "--input",
                dump(spark, "d1", 1f).toString(),
                "--output",
                base.toString(),
                "--no-report")
            .code());
    Path d2 = dump(spark, "d2", 1.5f);
    String baseline = base.resolve("calibration.json").toString();
    // With the report: it shows the drift section.
    Qcal.Result r =
        Qcal.run(
            "calibrate",
            "--input",
            d2.toString(),
            "--output",
            out().toString(),
            "--baseline",
            baseline,
            "--max-drift",
            "0.2");
    assertEquals(4, r.code(), r::toString);
    assertTrue(Files.exists(out().resolve("_SUCCESS")));
    assertEquals("drift_exceeded", read(out().resolve("summary.json")).get("status").asText());
    assertFalse(Files.exists(out().resolve("_LATEST")));
    String report = Files.readString(out().resolve("report.html"));
    assertTrue(
        report.contains("<h2 id=\"drift\">Drift</h2>")
            && report.contains("the gate tripped, exit 4"),
        "no drift section");
    // The advice names drift.json and works as printed: on a plain output the rerun needs
    // --overwrite.
    assertTrue(r.err().contains("see file:" + out().resolve("drift.json")), r::toString);
    assertTrue(r.err().contains("rerun with a higher --max-drift and --overwrite"), r::toString);
    Qcal.Result accepted =
        calibrate(d2, "--baseline", baseline, "--max-drift", "1.0", "--overwrite");
    assertEquals(0, accepted.code(), accepted::toString);
    assertEquals("succeeded", read(out().resolve("summary.json")).get("status").asText());
  }

  @Test
  void aFailedRunLeavesLatestAndNoRunDirectoryAndWhatAKilledRunLeftIsCleanedByTheNextRun(
      SparkSession spark) throws Exception {
    Path input = dump(spark, "good", 1f);
    assertEquals(0, calibrate(input, "--run-id", "1").code());

    // A task failing on an executor (pages scrambled, footer intact): exit 3 mid-run.
    Path corrupt = dump(spark, "corrupt", 1f);
    Path part;
    try (Stream<Path> s = Files.list(corrupt)) {
      part =
          s.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(part);
    for (int i = 8; i < bytes.length / 2; i++) {
      bytes[i] = (byte) (bytes[i] * 31 + 7);
    }
    Files.write(part, bytes);
    Qcal.Result failed =
        calibrate(corrupt, "--run-id", "2", "--baseline", "latest", "--max-drift", "0.1");
    assertEquals(3, failed.code(), failed::toString);
    assertEquals("1\n", latest(), "a failed run must not move _LATEST");
    assertFalse(Files.exists(run("2")), "a failed run leaves no run directory");
    assertEquals(List.of(), hidden());

    // What a driver killed during the commit leaves (a pending run directory, a pending _LATEST),
    // as OperatingTest simulates it: _LATEST still names run 1; the next run of id 2 cleans both.
    Path pendingRun = Files.createDirectories(out().resolve(".run_id=2.qcal-pending-0f0f"));
    Files.writeString(pendingRun.resolve("calibration.json"), "{\"half\": ");
    Path pendingLatest = Files.writeString(out().resolve("._LATEST.qcal-pending-0f0f"), "2\n");
    FileTime hourAgo = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
    Files.setLastModifiedTime(pendingRun, hourAgo);
    Files.setLastModifiedTime(pendingLatest, hourAgo);
    assertEquals("1\n", latest());
    assertFalse(Files.exists(run("2")));

    Qcal.Result next = calibrate(input, "--run-id", "2");
    assertEquals(0, next.code(), next::toString);
    assertEquals("2\n", latest());
    assertEquals(List.of(), hidden(), "the killed run's leftovers are deleted");
  }

  @Test
  void badSchedulingOptionsFailBeforeAnyScanWithTheDocumentedCodes(SparkSession spark)
      throws Exception {
    Path input = dump(spark, "dump", 1f);
    Qcal.Result badId = calibrate(input, "--run-id", "scheduled__2026-11-22T00:00:00+00:00");
    assertEquals(2, badId.code(), badId::toString);
    assertTrue(
        badId.err().contains("Cannot use run id 'scheduled__2026-11-22T00:00:00+00:00'"),
        badId::toString);
    Qcal.Result noBaseline = calibrate(input, "--max-drift", "0.1");
    assertEquals(2, noBaseline.code());
    assertTrue(
        noBaseline.err().contains("--max-drift 0.1 needs a --baseline"), noBaseline::toString);
    Qcal.Result notANumber = calibrate(input, "--baseline", "x", "--max-drift", "10%");
    assertEquals(2, notANumber.code());
    assertTrue(notANumber.err().contains("not '10%'"), notANumber::toString);
    Qcal.Result latestWithoutId = calibrate(input, "--baseline", "latest");
    assertEquals(2, latestWithoutId.code());
    assertTrue(
        latestWithoutId.err().contains("--baseline latest without --run-id"),
        latestWithoutId::toString);
    assertFalse(Files.exists(out()), "nothing written");

    Qcal.Result missing =
        calibrate(
            input, "--run-id", "1", "--baseline", tmp.resolve("nope/calibration.json").toString());
    assertEquals(3, missing.code(), missing::toString);
    assertTrue(missing.err().contains("nope/calibration.json does not exist"), missing::toString);
    assertFalse(Files.exists(out()), "a bad baseline fails before anything is written");

    assertEquals(0, calibrate(input, "--run-id", "1").code());
    Qcal.Result notATable =
        calibrate(
            input, "--run-id", "2", "--baseline", run("1").resolve("summary.json").toString());
    assertEquals(3, notATable.code(), notATable::toString);
    assertTrue(
        notATable.err().contains("summary.json: not a qcal calibration table"),
        notATable::toString);
    Qcal.Result otherBits =
        calibrate(input, "--run-id", "2", "--baseline", "latest", "--bits", "4");
    assertEquals(2, otherBits.code(), otherBits::toString);
    assertTrue(
        otherBits.err().contains("symmetric, 8 bits, this run for symmetric, 4 bits"),
        otherBits::toString);
    Files.writeString(out().resolve("_LATEST"), "../../etc\n");
    Qcal.Result badLatest = calibrate(input, "--run-id", "2", "--baseline", "latest");
    assertEquals(3, badLatest.code(), badLatest::toString);
    assertTrue(badLatest.err().contains("not a run id"), badLatest::toString);
    assertFalse(Files.exists(run("2")));

    Qcal.Result replaceRuns = calibrate(input, "--overwrite");
    assertEquals(2, replaceRuns.code(), replaceRuns::toString);
    assertTrue(replaceRuns.err().contains("it holds scheduled runs"), replaceRuns::toString);
    Path plain = tmp.resolve("plain");
    assertEquals(
        0,
        Qcal.run(
                "calibrate",
                "--input",
                input.toString(),
                "--output",
                plain.toString(),
                "--no-report")
            .code());
    Qcal.Result mixed =
        Qcal.run(
            "calibrate",
            "--input",
            input.toString(),
            "--output",
            plain.toString(),
            "--run-id",
            "1");
    assertEquals(2, mixed.code(), mixed::toString);
    assertTrue(mixed.err().contains("holds the output of a run without --run-id"), mixed::toString);
  }
}
