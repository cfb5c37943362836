package dev.qcal.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.jobs.Main;
import dev.qcal.jobs.dump.Layout;
import dev.qcal.jobs.generate.DumpGenerator;
import dev.qcal.jobs.testing.ChildProcess;
import dev.qcal.jobs.testing.Datasets;
import dev.qcal.jobs.testing.Datasets.Sample;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.onnx.testing.SyntheticModels;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * qcal on a real Spark standalone cluster (a Master and two one-core Workers in their own JVMs on
 * 127.0.0.1, executors launched by the Workers from a synthesized SPARK_HOME), the shaded jar
 * submitted with SparkSubmit in client mode, as users run it:
 *
 * <ul>
 *   <li>the sample dump gives the committed local run's {@code calibration.json} byte for byte,
 *       with speculative execution on;
 *   <li>a driver killed mid-run leaves no table and no {@code _SUCCESS}, and the same command run
 *       again succeeds;
 *   <li>a Worker killed with its executor while the scan runs: the job still succeeds on the other
 *       Worker, and the table is byte-identical to the table of the same dump without a fault;
 *   <li>{@code capture} runs ONNX Runtime (its native library loaded from the shaded jar) on
 *       executors the Workers launched, each reading the model file itself, and its dump calibrates
 *       to the local capture's table byte for byte.
 * </ul>
 *
 * Every process is killed by process id (descendants included) after the class, or by a shutdown
 * hook; on a failure every log (Master, Workers, drivers, executors) is printed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

  /**
   * The driver's INFO line as the default (grid layout) run's one scan starts: range statistics,
   * grid histograms and the searches in one Spark job. (The range layout logs "qcal: pass 1 range
   * statistics started" and later "qcal: pass 2 ... started" instead.)
   */
  static final String SCAN =
      "qcal: scan (range statistics and grid histograms) and calibration searches started";

  /** The same scan's end. */
  static final String SCAN_DONE =
      "qcal: scan (range statistics and grid histograms) and calibration searches done";

  static Path dir;
  static Path jar;
  static StandaloneCluster cluster;
  static Path bigDump;
  static Path bigReference;
  static Path captureModel;
  static Path captureInputs;
  static Path captureReference;
  static final long START = System.nanoTime();

  /** Prints every cluster log when a test fails. */
  @RegisterExtension
  static final TestWatcher LOGS_ON_FAILURE =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          printLogs(context.getDisplayName() + " failed: " + cause);
        }
      };

  @BeforeAll
  static void startClusterAndWriteTheBigDump() throws Exception {
    dir = Paths.get(System.getProperty("qcal.it.dir", "target/cluster-it")).toAbsolutePath();
    jar = Paths.get(System.getProperty("qcal.it.jar"));
    assertTrue(
        Files.isRegularFile(jar), "the shaded jar is built before integration tests: " + jar);
    Path runs = dir.resolve("runs");
    StandaloneCluster.deleteRecursively(runs);
    Files.createDirectories(runs);
    List<String> javaOptions =
        Arrays.asList(System.getProperty("qcal.it.java.options", "").trim().split("\\s+"));
    try {
      cluster =
          StandaloneCluster.start(
              dir,
              StandaloneCluster.readClasspath(Paths.get(System.getProperty("qcal.it.classpath"))),
              resource("/cluster-it/log4j2.properties"),
              javaOptions,
              2);
      // While the cluster boots: a dump whose scan takes a few seconds on two one-core
      // executors, and its table computed locally (the no-fault reference).
      bigDump = runs.resolve("big-dump");
      bigReference = runs.resolve("big-local");
      // getOrCreate returns the shared test session when an earlier IT of this JVM made it: only a
      // session made here is stopped here.
      boolean ownSession = SparkSession.getDefaultSession().isEmpty();
      SparkSession spark =
          SparkSession.builder()
              .master("local[2]")
              .appName("qcal cluster IT data")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .getOrCreate();
      try {
        new DumpGenerator(16, 1_500_000, Layout.LONG, 5, 16384, 8, false)
            .write(spark, bigDump.toString(), SaveMode.ErrorIfExists);
        Qcal.Result local =
            Qcal.run(
                "calibrate", "--input", bigDump.toString(), "--output", bigReference.toString());
        assertEquals(0, local.code(), local::toString);
        writeCaptureInputsAndLocalReference(spark, runs);
      } finally {
        if (ownSession) {
          spark.stop();
        }
      }
      log("dump and local reference written");
      cluster.awaitWorkers(2, Duration.ofMinutes(2));
      log("2 workers registered");
    } catch (Throwable t) {
      printLogs("cluster set-up failed: " + t);
      throw t;
    }
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    log("cluster stopped; every started process killed");
  }

  @Test
  @Order(1)
  void killedDriverLeavesNoTableAndTheSameCommandThenSucceedsWithTheLocalRunsBytes()
      throws Exception {
    Path out = dir.resolve("runs/sample");
    List<String> args =
        List.of("calibrate", "--input", Qcal.SAMPLE.toString(), "--output", out.toString());
    // Speculative execution on (aggressively), for both runs: it must not change a byte.
    List<String> conf =
        List.of(
            "spark.speculation=true",
            "spark.speculation.interval=100ms",
            "spark.speculation.multiplier=1.0",
            "spark.speculation.quantile=0.1",
            "spark.speculation.minTaskRuntime=10ms");

    ChildProcess killed = cluster.submit("driver-killed", conf, jar, Main.class.getName(), args);
    awaitLine(killed, SCAN);
    killed.kill();
    log("driver killed during the scan");
    assertNotEquals(0, killed.process().exitValue());
    assertFalse(Files.exists(out.resolve("_SUCCESS")), "no _SUCCESS after a killed run");
    assertFalse(Files.exists(out), "a killed run leaves no output directory");
    assertTrue(
        hiddenSiblings(out).isEmpty(), "no pending directory: the kill came before the commit");

    ChildProcess rerun = cluster.submit("driver-rerun", conf, jar, Main.class.getName(), args);
    assertEquals(0, await(rerun), rerun::logText);
    log("same command rerun on the cluster");
    assertArrayEquals(
        Files.readAllBytes(Qcal.EXPECTED.resolve("calibration.json")),
        Files.readAllBytes(out.resolve("calibration.json")),
        "the cluster's calibration.json differs from the local run's (data/expected)");
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(cluster.masterUrl(), summary.get("master").asText());
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
  }

  @Test
  @Order(2)
  void workerKilledDuringTheScanTheJobSucceedsWithTheSameBytes() throws Exception {
    Path out = dir.resolve("runs/big-fault");
    List<String> args =
        List.of("calibrate", "--input", bigDump.toString(), "--output", out.toString());
    List<String> conf =
        List.of(
            "spark.task.maxFailures=8",
            // A lost executor's shuffle files are gone: fail the fetch fast and recompute.
            "spark.shuffle.io.maxRetries=1",
            "spark.shuffle.io.retryWait=1s");
    ChildProcess driver =
        cluster.submit("driver-worker-fault", conf, jar, Main.class.getName(), args);
    awaitLine(driver, SCAN);
    // The scan is the run's first job: the executors may still be registering with the driver when
    // its line is logged. Kill once its tasks run on both, so the victim's executor has a task.
    awaitTasksOnExecutors(driver, 2);
    assertFalse(
        driver.logText().contains(SCAN_DONE),
        "the scan ended before the fault: the dump is too small");
    ChildProcess victim = cluster.workers().get(0);
    victim.kill();
    log("worker-1 (pid " + victim.pid() + ") and its executor killed during the scan");
    assertEquals(0, await(driver), driver::logText);
    log("job finished on the remaining worker");
    String driverLog = driver.logText();
    assertTrue(
        driverLog.contains("Lost executor")
            || driverLog.contains("ExecutorLostFailure")
            || driverLog.contains("Executor lost"),
        "the driver never saw the executor go: " + driverLog);
    assertArrayEquals(
        Files.readAllBytes(bigReference.resolve("calibration.json")),
        Files.readAllBytes(out.resolve("calibration.json")),
        "the table after a lost worker differs from the table without a fault");
  }

  @Test
  @Order(3)
  void aTaskFailingOnAnExecutorFailsTheRunWithTheDocumentedExitCode() throws Exception {
    // Pages scrambled, footer intact: the driver reads the schema, an executor fails decoding.
    Path corrupt = Files.createDirectories(dir.resolve("runs/corrupt-dump"));
    Path file = null;
    try (Stream<Path> s = Files.list(Qcal.SAMPLE)) {
      for (Path p :
          (Iterable<Path>)
              s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted()::iterator) {
        byte[] bytes = Files.readAllBytes(p);
        for (int i = 8; i < bytes.length / 2; i++) {
          bytes[i] = (byte) (bytes[i] * 31 + 7);
        }
        file = Files.write(corrupt.resolve(p.getFileName()), bytes);
      }
    }
    Path out = dir.resolve("runs/corrupt");
    ChildProcess driver =
        cluster.submit(
            "driver-corrupt",
            List.of(),
            jar,
            Main.class.getName(),
            List.of("calibrate", "--input", corrupt.toString(), "--output", out.toString()));
    assertEquals(3, await(driver), driver::logText);
    assertTrue(driver.logText().contains("qcal: error: Cannot read the input"), driver::logText);
    assertTrue(driver.logText().contains(file.getFileName().toString()), driver::logText);
    assertFalse(Files.exists(out));
    log("executor-side read failure: exit 3");
  }

  @Test
  @Order(4)
  void captureRunsOnnxRuntimeOnExecutorsTheWorkersLaunched() throws Exception {
    Path dump = dir.resolve("runs/capture-dump");
    ChildProcess driver =
        cluster.submit(
            "driver-capture",
            List.of(),
            jar,
            Main.class.getName(),
            List.of(
                "capture",
                "--model",
                captureModel.toString(),
                "--inputs",
                captureInputs.toString(),
                "--output",
                dump.toString(),
                "--tensors",
                CAPTURED));
    assertEquals(0, await(driver), driver::logText);
    assertTrue(driver.logText().contains("qcal: captured 6 tensors"), driver::logText);
    assertTrue(Files.exists(dump.resolve("_SUCCESS")));
    Set<String> executors = executorsWithTasks(driver.logText());
    assertFalse(
        executors.isEmpty() || executors.contains("driver"),
        "tasks ran on the Workers' executors: " + executors);
    log("capture ran on executors " + executors);
    Path table = dir.resolve("runs/capture-cluster-table");
    Qcal.Result calibrated =
        Qcal.run(
            "calibrate", "--input", dump.toString(), "--output", table.toString(), "--no-report");
    assertEquals(0, calibrated.code(), calibrated::toString);
    assertArrayEquals(
        Files.readAllBytes(captureReference.resolve("calibration.json")),
        Files.readAllBytes(table.resolve("calibration.json")),
        "the cluster's capture calibrates to another table than the local capture's");
  }

  /** The captured tensors of the synthetic model, picked by name. */
  static final String CAPTURED = "x|z|r1|a1|f|m";

  /**
   * The synthetic model, a dataset of 8 rows of its inputs in 4 files, and the table of its local
   * capture (the reference for the cluster's).
   */
  private static void writeCaptureInputsAndLocalReference(SparkSession spark, Path runs)
      throws IOException {
    captureModel =
        Files.write(runs.resolve("convnet.onnx"), SyntheticModels.convNet().toByteArray());
    Random random = new Random(3);
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      int batch = 1 + i % 3;
      float[] x = new float[batch * 192];
      float[] z = new float[batch * 8];
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) random.nextGaussian();
      }
      for (int j = 0; j < z.length; j++) {
        z[j] = (float) random.nextGaussian();
      }
      samples.add(Sample.of("x", x, "z", z, "z_shape", new int[] {batch, 8}));
    }
    captureInputs = Datasets.write(spark, runs.resolve("capture-inputs"), 4, samples);
    Path localDump = runs.resolve("capture-local-dump");
    Qcal.Result local =
        Qcal.run(
            "capture",
            "--model",
            captureModel.toString(),
            "--inputs",
            captureInputs.toString(),
            "--output",
            localDump.toString(),
            "--tensors",
            CAPTURED);
    assertEquals(0, local.code(), local::toString);
    captureReference = runs.resolve("capture-local-table");
    Qcal.Result table =
        Qcal.run(
            "calibrate",
            "--input",
            localDump.toString(),
            "--output",
            captureReference.toString(),
            "--no-report");
    assertEquals(0, table.code(), table::toString);
  }

  private static int await(ChildProcess l) throws InterruptedException {
    return l.awaitExit(RUN_TIMEOUT);
  }

  private static void awaitLine(ChildProcess l, String line) throws InterruptedException {
    l.awaitLine(line, RUN_TIMEOUT);
  }

  /**
   * Waits until tasks have started on {@code count} distinct executors (TaskSetManager's INFO
   * lines).
   */
  private static void awaitTasksOnExecutors(ChildProcess l, int count) throws InterruptedException {
    long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (executorsWithTasks(l.logText()).size() >= count) {
        return;
      }
      if (!l.process().isAlive()) {
        throw new AssertionError(
            l.name()
                + " exited ("
                + l.process().exitValue()
                + ") before its tasks ran on "
                + count
                + " executors\n"
                + l.logText());
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        l.name() + " never ran tasks on " + count + " executors\n" + l.logText());
  }

  /** The executors a driver's log shows tasks starting on (TaskSetManager's INFO lines). */
  private static Set<String> executorsWithTasks(String log) {
    Set<String> executors = new HashSet<>();
    Matcher m = Pattern.compile("Starting task .*executor (\\w+),").matcher(log);
    while (m.find()) {
      executors.add(m.group(1));
    }
    return executors;
  }

  private static List<Path> hiddenSiblings(Path out) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> s = Files.list(out.getParent())) {
      s.filter(p -> p.getFileName().toString().startsWith("." + out.getFileName()))
          .forEach(found::add);
    }
    return found;
  }

  private static Path resource(String name) throws URISyntaxException {
    return Paths.get(ClusterIT.class.getResource(name).toURI());
  }

  private static void log(String what) {
    System.out.printf(
        Locale.ROOT, "[ClusterIT %5.1f s] %s%n", (System.nanoTime() - START) / 1e9, what);
  }

  private static void printLogs(String why) {
    System.out.println(
        "[ClusterIT] " + why + "\n" + (cluster == null ? "(no cluster)" : cluster.logs()));
  }
}
