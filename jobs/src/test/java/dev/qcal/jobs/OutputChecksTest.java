package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import dev.qcal.jobs.testing.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs that cannot be written, found before any work (issue 14, "Nothing lost under faults"): a
 * parent that is a file, a read-only mount, and {@code --overwrite} of something that is not a qcal
 * output directory are refused before any Spark job runs; a disk that fills up while the report is
 * written ends with a clear message naming the output, exit 1, and nothing half-written. The mounts
 * are real tmpfs file systems ({@link Tmpfs}).
 */
@ExtendWith(SharedSpark.class)
class OutputChecksTest {
  @TempDir Path tmp;
  private Path dump;
  private final AtomicInteger jobs = new AtomicInteger();

  @BeforeEach
  void dumpAndJobCounter(SparkSession spark) {
    StructType schema =
        new StructType()
            .add("tensor", DataTypes.StringType)
            .add("values", DataTypes.createArrayType(DataTypes.FloatType));
    dump = tmp.resolve("dump");
    float[] values = new float[4000];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i * 37 % 1001 - 500) / 100f;
    }
    spark
        .createDataFrame(
            List.of(RowFactory.create("a", values), RowFactory.create("b", values)), schema)
        .coalesce(1)
        .write()
        .parquet(dump.toString());
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onJobStart(SparkListenerJobStart start) {
                jobs.incrementAndGet();
              }
            });
  }

  private Qcal.Result calibrate(Path out, String... extra) {
    String[] base = {"calibrate", "--input", dump.toString(), "--output", out.toString()};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return Qcal.run(args);
  }

  /**
   * Fails {@code r} unless it exited {@code code} with every part in its message and ran no Spark
   * job.
   */
  private void assertRefusedUpFront(Qcal.Result r, int code, String... parts)
      throws InterruptedException {
    assertEquals(code, r.code(), r::toString);
    for (String p : parts) {
      assertTrue(r.err().contains(p), () -> "stderr lacks '" + p + "':\n" + r);
    }
    assertFalse(r.err().contains("Exception"), r::toString);
    Thread.sleep(500); // the listener bus is asynchronous
    assertEquals(0, jobs.get(), "a Spark job ran before the output was found unwritable");
  }

  @Test
  void anOutputUnderAFileIsRefusedBeforeAnySparkJob() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
    jobs.set(0);
    assertRefusedUpFront(
        calibrate(file.resolve("out")), 2, file.toString(), "is a file, not a directory");
    assertRefusedUpFront(calibrate(file.resolve("deeper/out")), 2, "is a file, not a directory");
    assertEquals("not a directory", Files.readString(file));
  }

  @Test
  void anOutputOnAReadOnlyMountIsRefusedBeforeAnySparkJob() throws Exception {
    try (Tmpfs ro = Tmpfs.mount(tmp.resolve("ro"), "ro,size=1m")) {
      jobs.set(0);
      assertRefusedUpFront(
          calibrate(ro.dir().resolve("out")), 2, "cannot create files in", "Read-only file system");
      assertRefusedUpFront(calibrate(ro.dir().resolve("a/b/out")), 2, "cannot create files in");
    }
  }

  @Test
  void overwriteReplacesOnlyAQcalOutputOrAnEmptyDirectoryNeverAFileOrOtherFiles() throws Exception {
    Path file = Files.writeString(tmp.resolve("notes.txt"), "my notes");
    jobs.set(0);
    assertRefusedUpFront(
        calibrate(file, "--overwrite"),
        2,
        "Cannot overwrite",
        "it is a file, not a qcal output directory");
    assertEquals("my notes", Files.readString(file), "--overwrite replaced a regular file");

    Path foreign = Files.createDirectories(tmp.resolve("home"));
    Files.writeString(foreign.resolve("thesis.tex"), "\\documentclass{book}");
    Files.createDirectories(foreign.resolve("photos"));
    assertRefusedUpFront(
        calibrate(foreign, "--overwrite"),
        2,
        "is not a qcal output directory",
        "summary.json",
        "thesis.tex",
        "photos/");
    assertEquals("\\documentclass{book}", Files.readString(foreign.resolve("thesis.tex")));

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertEquals(0, calibrate(empty, "--overwrite", "--no-report").code());
    Path qcal = tmp.resolve("qcal");
    assertEquals(0, calibrate(qcal, "--no-report").code());
    byte[] table = Files.readAllBytes(qcal.resolve("calibration.json"));
    Qcal.Result again = calibrate(qcal, "--overwrite", "--methods", "max", "--no-report");
    assertEquals(0, again.code(), again::toString);
    assertFalse(
        java.util.Arrays.equals(table, Files.readAllBytes(qcal.resolve("calibration.json"))),
        "not replaced");
  }

  @Test
  void aDiskThatFillsWhileTheStateIsWrittenBesideTheReportLeavesNothing() throws Exception {
    // The sample's tables and report (31 pages of 4 KB) fit, its state (14 KB) no longer does:
    // the state's Spark job writes while the report is rendered and the tables are written on
    // threads of their own, so which file finds the disk full depends on timing (under load, a
    // table); whichever it is, the run fails as a whole and leaves nothing.
    calibrateOnAFullDisk(
        "size=128k",
        "state/",
        "report.html",
        "calibration.json",
        "calibration.csv",
        "calibration.cache");
  }

  @Test
  void aDiskThatFillsWhileTheReportIsWrittenNamesTheOutputExitsOneAndLeavesNothing()
      throws Exception {
    // The sample's tables (8 pages of 4 KB) fit, its report.html (80 KB) does not.
    calibrateOnAFullDisk("size=64k", "report.html");
  }

  /**
   * Calibrates the sample into a tmpfs of {@code size}: exit 1, the output and one of {@code files}
   * named as what was being written, no stack trace, and nothing left on the disk.
   */
  private void calibrateOnAFullDisk(String size, String... files) throws Exception {
    try (Tmpfs full = Tmpfs.mount(tmp.resolve("full"), size)) {
      Path out = full.dir().resolve("out");
      Qcal.Result r =
          Qcal.run("calibrate", "--input", Qcal.SAMPLE.toString(), "--output", out.toString());
      assertEquals(1, r.code(), r::toString);
      assertTrue(
          r.err().contains("qcal: error: Cannot write the output directory file:" + out),
          r::toString);
      assertTrue(
          java.util.Arrays.stream(files)
              .anyMatch(f -> r.err().contains("(writing " + f + "): No space left on device")),
          r::toString);
      assertTrue(r.err().contains("nothing of this run was written"), r::toString);
      assertFalse(
          r.err().contains("FSError") || r.err().contains("\tat "),
          "no stack trace for a full disk:\n" + r);
      try (Stream<Path> left = Files.list(full.dir())) {
        assertEquals(
            List.of(),
            left.toList(),
            "a full disk left a half-written output or a pending directory");
      }
    }
  }

  @Test
  void aQcalOutputIsReplacedWithTheSameBytes() throws Exception {
    Path out = tmp.resolve("twice");
    assertEquals(0, calibrate(out, "--no-report").code());
    byte[] first = Files.readAllBytes(out.resolve("calibration.cache"));
    assertEquals(0, calibrate(out, "--no-report", "--overwrite").code());
    assertArrayEquals(first, Files.readAllBytes(out.resolve("calibration.cache")));
  }
}
