package dev.qcal.jobs.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.jobs.testing.ParquetFiles;
import dev.qcal.jobs.testing.ParquetFiles.Tensor;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import dev.qcal.jobs.testing.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persisted state, end to end through the command line on real Parquet: calibrating A ∪ B gives
 * the same table bytes as merging the states of A and of B (recompute) and as calibrating B with
 * A's state (--merge-state), with B's range wider than A's for some tensors and tensors in only one
 * dump; recompute of a run's state reproduces the run; inexact and corrupt states are refused with
 * exit 2 (3 for a missing path).
 */
@ExtendWith(SharedSpark.class)
class PersistedStateTest {
  /** Every domain: absolute (NVIDIA), signed (ORT, coverage), log2 (wq:log). */
  private static final String METHODS = "entropy,percentile,mse,max,entropy:ort,coverage,wq:log";

  private static final List<String> TABLES =
      List.of("calibration.json", "calibration.cache", "calibration.csv");

  @TempDir static Path tmp;
  static Path dumpA;
  static Path dumpB;

  @BeforeAll
  static void dumps() throws IOException {
    Random r = new Random(42);
    dumpA = Files.createDirectories(tmp.resolve("dump-a"));
    dumpB = Files.createDirectories(tmp.resolve("dump-b"));
    List<Tensor> a = new ArrayList<>();
    List<Tensor> b = new ArrayList<>();
    a.add(new Tensor("grows", gaussian(r, 3000, 1.0)));
    b.add(new Tensor("grows", gaussian(r, 3000, 50.0))); // B's range much wider
    a.add(new Tensor("shrinks", gaussian(r, 2000, 10.0)));
    b.add(new Tensor("shrinks", gaussian(r, 2500, 0.5)));
    float[] relu = gaussian(r, 4000, 3.0);
    for (int i = 0; i < relu.length; i++) {
      relu[i] = Math.max(0f, relu[i]);
    }
    a.add(new Tensor("relu", relu));
    b.add(new Tensor("relu", gaussian(r, 1000, 2.9f)));
    a.add(new Tensor("zeros then values", new float[500]));
    b.add(new Tensor("zeros then values", gaussian(r, 800, 0.01)));
    float[] nan = new float[300];
    java.util.Arrays.fill(nan, Float.NaN);
    a.add(new Tensor("nan then values", nan));
    b.add(new Tensor("nan then values", gaussian(r, 700, 4.0)));
    a.add(new Tensor("only in a", gaussian(r, 1500, 7.0)));
    b.add(new Tensor("only in b: tiny", gaussian(r, 1500, 1e-3)));
    ParquetFiles.longFloats(dumpA.resolve("part-0.parquet"), a, false);
    ParquetFiles.longFloats(dumpB.resolve("part-0.parquet"), b, false);
  }

  private static float[] gaussian(Random r, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * scale);
    }
    return v;
  }

  private static Path calibrate(String name, String... extra) {
    Path out = tmp.resolve(name);
    List<String> args =
        new ArrayList<>(List.of("calibrate", "--output", out.toString(), "--methods", METHODS));
    args.addAll(List.of(extra));
    Qcal.Result r = Qcal.run(args.toArray(new String[0]));
    assertEquals(0, r.code(), r::toString);
    return out;
  }

  private static Qcal.Result recompute(Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("recompute", "--output", out.toString()));
    args.addAll(List.of(extra));
    return Qcal.run(args.toArray(new String[0]));
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
  void mergingStatesEqualsCalibratingTheUnion() throws IOException {
    Path full = calibrate("full", "--input", dumpA + "," + dumpB);
    Path a = calibrate("a", "--input", dumpA.toString());
    calibrate("b", "--input", dumpB.toString());
    Path b = tmp.resolve("b");
    // Some tensor's range really grew from A to B, so the merge had to coarsen A's histograms.
    String aJson = Files.readString(a.resolve("calibration.json"));
    assertTrue(aJson.contains("\"only in a\""));

    Qcal.Result r =
        recompute(tmp.resolve("recomputed"), "--state", a + "," + b, "--methods", METHODS);
    assertEquals(0, r.code(), r::toString);
    assertSameTables(full, tmp.resolve("recomputed"));
    assertTrue(Files.exists(tmp.resolve("recomputed/report.html")));
    assertTrue(Files.exists(tmp.resolve("recomputed/state/_STATE.json")));

    Path incremental =
        calibrate("incremental", "--input", dumpB.toString(), "--merge-state", a.toString());
    assertSameTables(full, incremental);
    // The incremental run's state covers both dumps: recomputing it is the full table again.
    String meta = Files.readString(incremental.resolve("state/_STATE.json"));
    assertTrue(meta.contains(dumpA.toString()) && meta.contains(dumpB.toString()), meta);
    Qcal.Result again =
        recompute(tmp.resolve("again"), "--state", incremental + "/state", "--methods", METHODS);
    assertEquals(0, again.code(), again::toString);
    assertSameTables(full, tmp.resolve("again"));
  }

  @Test
  void recomputeReproducesTheRunAndItsReport() throws IOException {
    Path run = calibrate("run", "--input", dumpA + "," + dumpB);
    Qcal.Result r =
        recompute(tmp.resolve("run-again"), "--state", run.toString(), "--methods", METHODS);
    assertEquals(0, r.code(), r::toString);
    assertSameTables(run, tmp.resolve("run-again"));
    assertArrayEquals(
        Files.readAllBytes(run.resolve("report.html")),
        Files.readAllBytes(tmp.resolve("run-again/report.html")));
    Qcal.Result noReport =
        recompute(
            tmp.resolve("no-report"), "--state", run.toString(), "--methods", "max", "--no-report");
    assertEquals(0, noReport.code(), noReport::toString);
    assertTrue(!Files.exists(tmp.resolve("no-report/report.html")));
    // The default methods need only |x| histograms, which the state holds.
    assertEquals(0, recompute(tmp.resolve("defaults"), "--state", run.toString()).code());
  }

  @Test
  void rangeLayoutStatesOfDifferentRangesRefuseToMerge() throws IOException {
    Path ra = calibrate("range-a", "--input", dumpA.toString(), "--histogram-layout", "range");
    Path rb = calibrate("range-b", "--input", dumpB.toString(), "--histogram-layout", "range");
    Qcal.Result r =
        recompute(tmp.resolve("range-merged"), "--state", ra + "," + rb, "--methods", METHODS);
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("Cannot merge the state"), r::toString);
    assertTrue(
        r.err()
            .matches("(?s).*\\[0\\.0, [0-9.E-]+\\]x2048 and absolute\\[0\\.0, [0-9.E-]+\\]x2048.*"),
        r::toString);
    assertTrue(!Files.exists(tmp.resolve("range-merged")));
    // A range state recomputed alone is the range run itself.
    Qcal.Result alone =
        recompute(tmp.resolve("range-alone"), "--state", ra.toString(), "--methods", METHODS);
    assertEquals(0, alone.code(), alone::toString);
    assertSameTables(ra, tmp.resolve("range-alone"));
    // Grid and range never mix.
    Path ga = calibrate("grid-a", "--input", dumpA.toString());
    Qcal.Result mixed =
        recompute(tmp.resolve("mixed"), "--state", ga + "," + rb, "--methods", METHODS);
    assertEquals(2, mixed.code(), mixed::toString);
    assertTrue(
        mixed.err().contains("histogram layout range") && mixed.err().contains("grid"),
        mixed::toString);
  }

  @Test
  void missingDomainsAreNamedWithTheWayToKeepThem() throws IOException {
    Path maxOnly = tmp.resolve("max-only");
    Qcal.Result c =
        Qcal.run(
            "calibrate",
            "--input",
            dumpA.toString(),
            "--output",
            maxOnly.toString(),
            "--methods",
            "entropy");
    assertEquals(0, c.code(), c::toString);
    Qcal.Result r =
        recompute(
            tmp.resolve("needs-signed"), "--state", maxOnly.toString(), "--methods", "entropy:ort");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("--state-domains") && r.err().contains("signed"), r::toString);
    Path kept = tmp.resolve("kept-signed");
    Qcal.Result k =
        Qcal.run(
            "calibrate",
            "--input",
            dumpA.toString(),
            "--output",
            kept.toString(),
            "--methods",
            "entropy",
            "--state-domains",
            "signed");
    assertEquals(0, k.code(), k::toString);
    assertEquals(
        0,
        recompute(tmp.resolve("has-signed"), "--state", kept.toString(), "--methods", "entropy:ort")
            .code());
  }

  @Test
  void corruptOrForeignStatesAreRefused() throws IOException {
    Path good = calibrate("good", "--input", dumpA.toString());
    // Missing path: exit 3.
    Qcal.Result missing = recompute(tmp.resolve("x1"), "--state", tmp.resolve("nope").toString());
    assertEquals(3, missing.code(), missing::toString);
    assertTrue(missing.err().contains("does not exist"), missing::toString);
    // Not a qcal state: exit 2.
    Qcal.Result foreign = recompute(tmp.resolve("x2"), "--state", dumpA.toString());
    assertEquals(2, foreign.code(), foreign::toString);
    assertTrue(foreign.err().contains("is not a qcal state"), foreign::toString);
    // Another state version.
    Path v99 = copy(good, "v99");
    Path meta = v99.resolve("state/_STATE.json");
    Files.writeString(
        meta, Files.readString(meta).replace("\"state_version\" : 2", "\"state_version\" : 99"));
    Qcal.Result version = recompute(tmp.resolve("x3"), "--state", v99.toString());
    assertEquals(2, version.code(), version::toString);
    assertTrue(
        version.err().contains("state version 99") && version.err().contains("_STATE.json"),
        version::toString);
    // A Parquet file that is not Parquet.
    Path garbage = copy(good, "garbage");
    Path part = parquetFile(garbage);
    Files.write(part, "not parquet at all".getBytes(StandardCharsets.UTF_8));
    Qcal.Result notParquet = recompute(tmp.resolve("x4"), "--state", garbage.toString());
    assertEquals(2, notParquet.code(), notParquet::toString);
    assertTrue(notParquet.err().contains("qcal state"), notParquet::toString);
    // A record whose histogram bytes are corrupt: the file and the tensor are named.
    Path corrupt = copy(good, "corrupt");
    Path bad = corrupt.resolve("state-bad");
    SparkRewrite.corruptHistograms(parquetFile(corrupt), bad);
    Path partFile = parquetFile(corrupt);
    Files.delete(partFile);
    try (Stream<Path> files = Files.list(bad)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.getFileName().toString().endsWith(".parquet")) {
          Files.move(f, partFile);
        }
      }
    }
    deleteTree(bad);
    // The data file no longer matches the digest _STATE.json recorded.
    Qcal.Result changed = recompute(tmp.resolve("x5"), "--state", corrupt.toString());
    assertEquals(2, changed.code(), changed::toString);
    assertTrue(changed.err().contains("changed after it was written (SHA-256"), changed::toString);
    // Sealed again with its digest (as a writer with a bug would have written it): the record that
    // cannot be decoded is named, with its file and tensor.
    reseal(corrupt.resolve("state"));
    Qcal.Result decoded = recompute(tmp.resolve("x5"), "--state", corrupt.toString());
    assertEquals(2, decoded.code(), decoded::toString);
    assertTrue(
        decoded.err().contains("Cannot read the qcal state file")
            && decoded.err().contains("tensor '"),
        decoded::toString);
    assertTrue(!Files.exists(tmp.resolve("x5")));
  }

  /** Rewrites {@code state}'s _STATE.json with its data file's current digest (and so a new id). */
  static void reseal(Path state) throws IOException {
    Path meta = state.resolve(StateFiles.META);
    StateMeta.Stored stored;
    try (var in = Files.newInputStream(meta)) {
      stored = StateMeta.read(in, meta.toString());
    }
    byte[] data = Files.readAllBytes(state.resolve(stored.identity().dataFile()));
    try (var out = Files.newOutputStream(meta)) {
      stored.meta().write(out, stored.identity().dataFile(), StateMeta.sha256(data));
    }
  }

  private static Path parquetFile(Path run) throws IOException {
    try (Stream<Path> files = Files.list(run.resolve("state"))) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".parquet"))
          .findFirst()
          .orElseThrow();
    }
  }

  private static Path copy(Path from, String name) throws IOException {
    return Trees.copy(from, tmp.resolve(name));
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> files = Files.walk(p)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
