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
import dev.qcal.jobs.testing.ParquetFiles;
import dev.qcal.jobs.testing.ParquetFiles.Tensor;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's "Nothing lost under faults", with real driver JVMs ({@code Main calibrate} on {@code
 * local[2]}), real signals and a real heap running out, each held where the fault matters by a
 * debugger breakpoint ({@link Breakpoint}) when the timing would otherwise race:
 *
 * <ul>
 *   <li>two runs into one {@code --output}: the later commit fails (exit 2) and the earlier output
 *       keeps its bytes; two runs of one {@code --run-id} never interleave (the second fails at
 *       once, exit 2, naming the first; once that one is killed, its lock is taken over);
 *   <li>a dump file still being written, or replaced, after it was listed: exit 3 naming it;
 *   <li>SIGTERM and SIGINT: exit 143 and 130, saying so, nothing written;
 *   <li>a task out of heap: exit 52, saying which memory and which flag.
 * </ul>
 *
 * <p>A failsafe IT, as {@code KilledRunIT}: it starts driver JVMs.
 */
@ExtendWith(SharedSpark.class)
class NothingLostIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final String SCAN =
      "qcal: scan (range statistics and grid histograms) and calibration searches started";

  /**
   * A line of OutputDirectory.commit after the files are written, before the output moves into
   * place.
   */
  private static final String BEFORE_SUCCESS = "commit.write(SUCCESS, out -> {});";

  /**
   * A line of the run's stages (package-private, so named here by its name) after the files are
   * listed and the scan planned, before it runs.
   */
  private static final String SCAN_CLASS = "dev.qcal.jobs.calibrate.CalibrationStages";

  private static final String SCAN_STARTS = "sc.setJobDescription(\"qcal: \" + stage);";

  @TempDir Path tmp;
  @RegisterExtension final Drivers drivers = new Drivers("NothingLostIT");

  private void log(String what) {
    drivers.log(what);
  }

  private ChildProcess driver(String name, List<String> args, String... jvmOptions)
      throws IOException {
    return drivers.start(name, tmp, args, jvmOptions);
  }

  private static List<String> calibrate(Path input, Path output, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "calibrate",
                "--input",
                input.toString(),
                "--output",
                output.toString(),
                "--master",
                "local[2]"));
    args.addAll(Arrays.asList(extra));
    return args;
  }

  /** A small dump: a few tensors, scanned in a second. */
  private Path smallDump(String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Random r = new Random(7);
    List<Tensor> rows = new ArrayList<>();
    for (String t : List.of("conv1", "conv2", "fc")) {
      rows.add(new Tensor(t, gaussian(r, 5000, 2)));
    }
    ParquetFiles.longFloats(dir.resolve("part-0.parquet"), rows, false);
    return dir;
  }

  private static float[] gaussian(Random r, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * scale);
    }
    return v;
  }

  /** Every file under {@code dir} by relative path, with its bytes. */
  private static Map<String, byte[]> tree(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  private static void assertSameTree(
      Map<String, byte[]> expected, Map<String, byte[]> actual, String why) {
    assertEquals(expected.keySet(), actual.keySet(), why);
    expected.forEach(
        (name, bytes) ->
            assertArrayEquals(bytes, actual.get(name), why + ": " + name + " changed"));
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aRunWhoseOutputAppearedMeanwhileFailsAndTheOtherRunsOutputKeepsItsBytes() throws Exception {
    Path dump = smallDump("dump");
    Path out = tmp.resolve("out");
    // Run B is held in its commit, its files written, the target checked absent at the commit's
    // start.
    ChildProcess b = driver("later", calibrate(dump, out, "--methods", "max"), Breakpoint.AGENT);
    try (Breakpoint held =
        Breakpoint.await(b, OutputDirectory.class.getName(), BEFORE_SUCCESS, TIMEOUT)) {
      log("run B held at " + held.where());
      Qcal.Result a = Qcal.run(calibrate(dump, out).toArray(new String[0]));
      assertEquals(0, a.code(), a::toString);
      log("run A committed");
      Map<String, byte[]> written = tree(out);
      held.resume();
      int code = b.awaitExit(TIMEOUT);
      log("run B exited " + code);
      assertEquals(2, code, b::logText);
      assertTrue(
          b.logText()
              .contains(
                  "qcal: error: Output directory file:"
                      + out
                      + " appeared while this run was computing"),
          b::logText);
      assertSameTree(written, tree(out), "the later run changed the earlier run's output");
    }
    List<String> left = names(tmp);
    assertTrue(
        left.stream().noneMatch(n -> n.startsWith(".")),
        () -> "a pending directory was left: " + left);
  }

  @Test
  void twoRunsOfOneRunIdNeverInterleaveAndAKilledRunsLockIsTakenOver() throws Exception {
    Path dump = smallDump("dump");
    Path root = tmp.resolve("calib");
    ChildProcess b = driver("holder", calibrate(dump, root, "--run-id", "D"), Breakpoint.AGENT);
    try (Breakpoint held =
        Breakpoint.await(b, OutputDirectory.class.getName(), BEFORE_SUCCESS, TIMEOUT)) {
      log("run D (B) held at " + held.where());
      Qcal.Result a = Qcal.run(calibrate(dump, root, "--run-id", "D").toArray(new String[0]));
      assertEquals(2, a.code(), a::toString);
      assertTrue(
          a.err().contains("another qcal run of this run id is running (pid " + b.pid() + " on "),
          a::toString);
      assertFalse(
          Files.exists(root.resolve("run_id=D")), "the refused run wrote its run directory");
      assertFalse(Files.exists(root.resolve(LatestRun.FILE)), "the refused run moved _LATEST");
      b.kill();
      log("run D (B) killed");
    }
    assertTrue(Files.exists(root.resolve(".run_id=D.qcal-lock")), "the killed run's lock");
    Qcal.Result again = Qcal.run(calibrate(dump, root, "--run-id", "D").toArray(new String[0]));
    assertEquals(0, again.code(), again::toString);
    assertEquals("D\n", Files.readString(root.resolve(LatestRun.FILE)));
    assertEquals(
        List.of(LatestRun.FILE, "run_id=D"),
        names(root),
        "the lock and the killed run's pending directory are gone");
  }

  @Test
  void aDumpFileStillBeingWrittenOrReplacedAfterItWasListedFailsTheRunNamingIt() throws Exception {
    Random r = new Random(3);
    Path dump = Files.createDirectories(tmp.resolve("growing"));
    ParquetFiles.longFloats(
        dump.resolve("a.parquet"), List.of(new Tensor("a", gaussian(r, 2000, 1))), false);
    // b.parquet in row groups of ~64 KB: read up to its length when listed, its later row groups
    // are lost.
    List<Tensor> bRows = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      bRows.add(new Tensor("b" + i, gaussian(r, 20_000, 1 + i)));
    }
    Path complete = tmp.resolve("b-complete.parquet");
    ParquetFiles.longFloats(complete, bRows, false, 64 << 10);
    byte[] full = Files.readAllBytes(complete);
    Path b = dump.resolve("b.parquet");
    Files.write(b, Arrays.copyOf(full, full.length / 3)); // still being written when listed

    Path out = tmp.resolve("out-growing");
    ChildProcess writing = driver("growing", calibrate(dump, out), Breakpoint.AGENT);
    try (Breakpoint held = Breakpoint.await(writing, SCAN_CLASS, SCAN_STARTS, TIMEOUT)) {
      Files.write(b, full);
      log("b.parquet completed after it was listed");
      held.resume();
    }
    assertEquals(3, writing.awaitExit(TIMEOUT), writing::logText);
    assertTrue(
        writing
            .logText()
            .contains(
                "qcal: error: Input file file:"
                    + b
                    + " changed while this run read it ("
                    + full.length / 3
                    + " -> "
                    + full.length
                    + " bytes"),
        writing::logText);
    assertFalse(Files.exists(out));

    Path replaced = Files.createDirectories(tmp.resolve("replaced"));
    ParquetFiles.longFloats(
        replaced.resolve("a.parquet"), List.of(new Tensor("a", gaussian(r, 2000, 1))), false);
    Path c = replaced.resolve("c.parquet");
    Files.copy(complete, c);
    Path out2 = tmp.resolve("out-replaced");
    ChildProcess replacing = driver("replaced", calibrate(replaced, out2), Breakpoint.AGENT);
    try (Breakpoint held = Breakpoint.await(replacing, SCAN_CLASS, SCAN_STARTS, TIMEOUT)) {
      // As a writer that writes elsewhere and renames over the old file does.
      Path next = tmp.resolve("c-next.parquet");
      ParquetFiles.longFloats(
          next, List.of(new Tensor("another day", gaussian(r, 30_000, 5))), false);
      Files.move(next, c, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      log("c.parquet replaced after it was listed");
      held.resume();
    }
    assertEquals(3, replacing.awaitExit(TIMEOUT), replacing::logText);
    assertTrue(
        replacing
            .logText()
            .contains("qcal: error: Input file file:" + c + " changed while this run read it"),
        replacing::logText);
    assertFalse(Files.exists(out2));
  }

  @Test
  void sigtermAndSigintSayTheRunWasInterruptedExitWithTheSignalsCodeAndWriteNothing(
      SparkSession spark) throws Exception {
    Path dump = tmp.resolve("dump");
    new DumpGenerator(16, 1_000_000, Layout.LONG, 11, 16384, 8, false)
        .write(spark, dump.toString(), SaveMode.ErrorIfExists);
    for (String signal : List.of("TERM", "INT")) {
      Path out = tmp.resolve("out-" + signal);
      ChildProcess run = driver("sig" + signal, calibrate(dump, out));
      run.awaitLine(SCAN, TIMEOUT);
      if (signal.equals("INT")) {
        Assumptions.assumeFalse(
            ignores(run.pid(), 2),
            "SIGINT is ignored in this process tree (started in the background): cannot test it");
      }
      Process kill =
          new ProcessBuilder("kill", "-" + signal, Long.toString(run.pid())).inheritIO().start();
      assertEquals(0, kill.waitFor());
      int code = run.awaitExit(TIMEOUT);
      log("SIG" + signal + ": exit " + code);
      int expected = signal.equals("TERM") ? 143 : 130;
      assertEquals(expected, code, run::logText);
      assertTrue(
          run.logText()
              .contains(
                  "qcal: error: interrupted by SIG"
                      + signal
                      + " (exit "
                      + expected
                      + "): the run stopped"
                      + " before its commit, so nothing was written"),
          run::logText);
      assertFalse(run.logText().contains("unexpected failure"), run::logText);
      assertFalse(Files.exists(out));
    }
    List<String> left = names(tmp);
    assertTrue(
        left.stream().noneMatch(n -> n.startsWith(".")),
        () -> "a pending directory was left: " + left);
  }

  /** Whether process {@code pid} ignores signal {@code number} (its SigIgn mask in /proc). */
  private static boolean ignores(long pid, int number) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).trim(), 16) >>> (number - 1) & 1) == 1;
      }
    }
    return false;
  }

  @Test
  void aTaskOutOfHeapExits52SayingWhichMemoryAndWhichFlag(SparkSession spark) throws Exception {
    // 48 rows of 4M floats, constant (a few KB on disk): Spark's reader holds a whole batch of
    // rows,
    // 768 MB, which a 600 MB heap cannot.
    Path dump = tmp.resolve("huge-rows");
    spark
        .range(48)
        .select(
            functions
                .concat(functions.lit("t"), functions.col("id").mod(2).cast("string"))
                .as("tensor"),
            functions.array_repeat(functions.lit(1.5f), 4_000_000).as("values"))
        .coalesce(1)
        .write()
        .parquet(dump.toString());
    Path out = tmp.resolve("out");
    ChildProcess run = driver("oom", calibrate(dump, out, "--reader", "spark"), "-Xmx600m");
    int code = run.awaitExit(TIMEOUT);
    log("out of memory: exit " + code);
    assertEquals(52, code, run::logText);
    assertTrue(
        run.logText()
            .contains(
                "qcal: error: out of memory (exit 52): Java heap space, in the Java heap of a"
                    + " Spark task"),
        run::logText);
    assertTrue(
        run.logText().contains("QCAL_JAVA_OPTS=-Xmx")
            && run.logText().contains("spark.executor.memory"),
        run::logText);
    assertFalse(run.logText().contains("unexpected failure"), run::logText);
    assertFalse(Files.exists(out));
  }
}
