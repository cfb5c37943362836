package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.jobs.dump.Layout;
import dev.qcal.jobs.generate.DumpGenerator;
import dev.qcal.jobs.output.LatestRun;
import dev.qcal.jobs.output.OutputDirectory;
import dev.qcal.jobs.testing.Breakpoint;
import dev.qcal.jobs.testing.ChildProcess;
import dev.qcal.jobs.testing.Drivers;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduled run's driver killed with SIGKILL (issue #6: "a run killed mid-way leaves {@code
 * _LATEST} untouched"), for real: a driver JVM ({@code Main calibrate} on {@code local[2]}, this
 * test's class path) running the nightly command for run {@code D2} into a root whose {@code
 * _LATEST} names the successful run {@code D1}, killed by process id (descendants included)
 *
 * <ol>
 *   <li>during the scan, right after it logs the scan's INFO line: the root is exactly as before,
 *       byte for byte, but for the run id's hidden lock (nothing else is written before the
 *       commit), which the next run takes over since its holder is gone;
 *   <li>during the commit, held by a debugger breakpoint ({@link Breakpoint}) just before the
 *       complete pending directory is renamed to {@code run_id=D2}: {@code _LATEST}, {@code
 *       run_id=D1} unchanged, no {@code run_id=D2}, only a hidden {@code
 *       .run_id=D2.qcal-pending-…};
 *   <li>between that rename and {@code _LATEST}'s: {@code run_id=D2} is complete but {@code
 *       _LATEST} still names D1 (with a hidden {@code ._LATEST.qcal-pending-…});
 * </ol>
 *
 * then the same command, run to completion (in this JVM: it only has to finish), moves {@code
 * _LATEST} to D2 with tables byte-identical to D1's (the same dump, never killed), leaves D1 alone
 * and deletes every hidden leftover (docs/nightly.md, "Scheduling / Nightly runs").
 *
 * <p>Why it can fail: a run that wrote {@code _LATEST} (or anything but its lock) before its commit
 * fails step 1; a run that does not take over the lock of a killed one fails step 2; one that
 * renamed {@code _LATEST} before its run directory fails step 2; a rerun that does not clean what a
 * killed run left, or is not deterministic, fails step 4.
 *
 * <p>A failsafe IT, not a surefire test: it starts three driver JVMs (each starting Spark) and
 * scans a dump long enough to be killed in, about 30 s on an idle two-core machine and over a
 * minute under load, which the unit-test phase should not pay on every build; like {@code
 * ClusterIT} it manages processes.
 */
@ExtendWith(SharedSpark.class)
class KilledRunIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final String SCAN =
      "qcal: scan (range statistics and grid histograms) and calibration searches started";
  private static final String SCAN_DONE =
      "qcal: scan (range statistics and grid histograms) and calibration searches done";
  private static final List<String> TABLES =
      List.of("calibration.json", "calibration.csv", "calibration.cache");

  /** The lock of run D2, which a driver killed with SIGKILL leaves. */
  private static final String LOCK = ".run_id=D2.qcal-lock";

  @TempDir Path tmp;
  @RegisterExtension final Drivers drivers = new Drivers("KilledRunIT");

  private void log(String what) {
    drivers.log(what);
  }

  private Path root() {
    return tmp.resolve("calib");
  }

  private Path run(String id) {
    return root().resolve("run_id=" + id);
  }

  /** The nightly command of docs/nightly.md's Scheduling section, for run {@code id}. */
  private List<String> command(Path dump, String id) {
    return List.of(
        "calibrate",
        "--input",
        dump.toString(),
        "--output",
        root().toString(),
        "--run-id",
        id,
        "--baseline",
        "latest",
        "--max-drift",
        "0.10",
        "--master",
        "local[2]");
  }

  private ChildProcess driver(String name, List<String> args, String... jvmOptions)
      throws Exception {
    return drivers.start(name, tmp, args, jvmOptions);
  }

  /** Every file under the root, by relative path (directories end in '/'), with its bytes. */
  private Map<String, byte[]> tree() throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root())) {
      for (Path p : (Iterable<Path>) walk.filter(p -> !p.equals(root()))::iterator) {
        String name = root().relativize(p).toString();
        files.put(
            Files.isDirectory(p) ? name + "/" : name,
            Files.isDirectory(p) ? new byte[0] : Files.readAllBytes(p));
      }
    }
    return files;
  }

  /** The entries of the root's top level. */
  private List<String> top() throws IOException {
    try (Stream<Path> s = Files.list(root())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void assertSameTree(
      Map<String, byte[]> expected, Map<String, byte[]> actual, String why) {
    assertEquals(expected.keySet(), actual.keySet(), why);
    expected.forEach(
        (name, bytes) ->
            assertArrayEquals(bytes, actual.get(name), why + ": " + name + " changed"));
  }

  /** D1's files and _LATEST exactly as before: what consumers following _LATEST read. */
  private void assertLatestStillD1(Map<String, byte[]> before, String why) throws IOException {
    Map<String, byte[]> now = tree();
    now.keySet().removeIf(k -> !k.equals(LatestRun.FILE) && !k.startsWith("run_id=D1/"));
    assertSameTree(before, now, why);
    assertEquals("D1\n", Files.readString(root().resolve(LatestRun.FILE)), why);
  }

  @Test
  void aDriverKilledDuringTheScanOrTheCommitLeavesLatestAndTheRerunPublishesTheSameTable(
      SparkSession spark) throws Exception {
    // Scanned in a few seconds on local[2]: the kill after the scan's start line lands mid-scan.
    Path dump = tmp.resolve("dump");
    new DumpGenerator(16, 1_000_000, Layout.LONG, 11, 16384, 8, false)
        .write(spark, dump.toString(), SaveMode.ErrorIfExists);
    log("dump written");
    Qcal.Result d1 = Qcal.run(command(dump, "D1").toArray(new String[0]));
    assertEquals(0, d1.code(), d1::toString);
    log("D1 done");
    Map<String, byte[]> before = tree();
    assertEquals("D1\n", new String(before.get(LatestRun.FILE), StandardCharsets.UTF_8));

    // 1. Killed during the scan: nothing at all is written, not even a hidden file.
    ChildProcess scan = driver("killed-in-scan", command(dump, "D2"));
    scan.awaitLine(SCAN, TIMEOUT);
    scan.kill();
    log("killed in scan");
    assertFalse(
        scan.logText().contains(SCAN_DONE),
        "the scan ended before the kill: the dump is too small");
    assertEquals(137, scan.process().exitValue(), "128 + SIGKILL");
    Map<String, byte[]> afterScan = tree();
    assertTrue(afterScan.remove(LOCK) != null, "no lock of run D2 while it ran");
    assertSameTree(before, afterScan, "a driver killed during the scan changed the output root");

    // 2. Killed during the commit, the pending run directory complete (its _SUCCESS written) but
    // not yet renamed to run_id=D2.
    ChildProcess commit = driver("killed-before-rename", command(dump, "D2"), Breakpoint.AGENT);
    try (Breakpoint stop =
        Breakpoint.await(
            commit, OutputDirectory.class.getName(), "moveIntoPlace(temp);", TIMEOUT)) {
      commit.kill();
      log("killed at " + stop.where());
    }
    assertLatestStillD1(before, "killed before the run directory's rename");
    assertFalse(Files.exists(run("D2")), "no run_id=D2 before its rename");
    List<String> left = top();
    String pending = left.get(1);
    assertTrue(pending.startsWith(".run_id=D2.qcal-pending-"), left::toString);
    assertEquals(
        List.of(LOCK, pending, LatestRun.FILE, "run_id=D1"),
        left,
        "only the hidden pending directory and the lock are new");
    assertTrue(
        Files.exists(root().resolve(pending).resolve(OutputDirectory.SUCCESS)),
        "held after _SUCCESS");

    // 3. Killed between the run directory's rename and _LATEST's: the run is complete
    // (docs/nightly.md says so) but _LATEST, renamed only after it, still names D1.
    ChildProcess latest = driver("killed-before-latest", command(dump, "D2"), Breakpoint.AGENT);
    try (Breakpoint stop =
        Breakpoint.await(
            latest, LatestRun.class.getName(), "if (!fs.rename(temp, latest)) {", TIMEOUT)) {
      latest.kill();
      log("killed at " + stop.where());
    }
    assertLatestStillD1(before, "killed before _LATEST's rename");
    assertTrue(Files.exists(run("D2").resolve(OutputDirectory.SUCCESS)));
    List<String> held = top();
    assertTrue(
        held.stream().anyMatch(n -> n.startsWith("._LATEST.qcal-pending-")),
        () -> "no pending _LATEST: " + held);
    assertTrue(
        held.stream()
            .allMatch(
                n ->
                    List.of(LatestRun.FILE, "run_id=D1", "run_id=D2", LOCK).contains(n)
                        || n.startsWith("._LATEST.qcal-pending-")
                        || n.startsWith(".run_id=D2.qcal-pending-")),
        () -> "only the documented hidden leftovers: " + held);

    // 4. The same command to completion: _LATEST moves to D2, the table is D1's byte for byte (the
    // same dump never killed), D1 untouched, every hidden leftover deleted.
    Qcal.Result rerun = Qcal.run(command(dump, "D2").toArray(new String[0]));
    assertEquals(0, rerun.code(), rerun::toString);
    log("rerun done");
    assertEquals("D2\n", Files.readString(root().resolve(LatestRun.FILE)));
    for (String table : TABLES) {
      assertArrayEquals(
          before.get("run_id=D1/" + table),
          Files.readAllBytes(run("D2").resolve(table)),
          table + " of the killed-then-rerun D2 differs from the never-killed D1");
    }
    Map<String, byte[]> after = tree();
    after.keySet().removeIf(k -> !k.startsWith("run_id=D1/"));
    before.remove(LatestRun.FILE);
    assertSameTree(before, after, "run_id=D1 changed");
    assertEquals(
        List.of(LatestRun.FILE, "run_id=D1", "run_id=D2"), top(), "hidden leftovers remain");
  }
}
