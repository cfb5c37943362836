package dev.qcal.jobs.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.jobs.testing.ParquetFiles;
import dev.qcal.jobs.testing.ParquetFiles.Tensor;
import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.SharedSpark;
import dev.qcal.jobs.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state is merged at most once and only as written (issue 14): reruns write the same {@code
 * state/} bytes; the same state twice (however its path is spelled, or copied), a state of the dump
 * the run scans, a merged state with one of its parts, a copied part file, an edited {@code
 * _STATE.json} and one input file given twice are refused with exit 2 naming both sides, where
 * before each was counted twice (or read as edited) without a word.
 */
@ExtendWith(SharedSpark.class)
class StateIdentityTest {
  @TempDir static Path tmp;
  static Path dumpA;
  static Path dumpB;
  static Path stateA;

  @BeforeAll
  static void dumpsAndAState() throws IOException {
    Random r = new Random(5);
    dumpA = Files.createDirectories(tmp.resolve("dump-a"));
    dumpB = Files.createDirectories(tmp.resolve("dump-b"));
    ParquetFiles.longFloats(dumpA.resolve("part-0.parquet"), tensors(r, 1.0), false);
    ParquetFiles.longFloats(dumpB.resolve("part-0.parquet"), tensors(r, 3.0), false);
    stateA = calibrated("a", "--input", dumpA.toString());
  }

  private static List<Tensor> tensors(Random r, double scale) {
    List<Tensor> out = new ArrayList<>();
    for (String name : List.of("conv", "fc", "relu")) {
      float[] v = new float[3000];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (r.nextGaussian() * scale);
      }
      out.add(new Tensor(name, v));
    }
    return out;
  }

  private static Qcal.Result calibrate(String name, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("calibrate", "--output", tmp.resolve(name).toString(), "--no-report"));
    args.addAll(List.of(extra));
    return Qcal.run(args.toArray(new String[0]));
  }

  private static Qcal.Result recompute(String name, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of("recompute", "--output", tmp.resolve(name).toString(), "--no-report"));
    args.addAll(List.of(extra));
    return Qcal.run(args.toArray(new String[0]));
  }

  /** Runs calibrate into {@code name}, which must succeed, and returns the output. */
  private static Path calibrated(String name, String... extra) {
    Qcal.Result r = calibrate(name, extra);
    assertEquals(0, r.code(), r::toString);
    return tmp.resolve(name);
  }

  private static void assertRefused(Qcal.Result r, String output, String... parts) {
    assertEquals(2, r.code(), r::toString);
    for (String p : parts) {
      assertTrue(r.err().contains(p), () -> "stderr lacks '" + p + "':\n" + r);
    }
    assertFalse(Files.exists(tmp.resolve(output)), "a refused run wrote its output");
  }

  /** Every file of {@code dir} by name, with its bytes. */
  private static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  private static Path copy(Path from, String name) throws IOException {
    return Trees.copy(from, tmp.resolve(name));
  }

  @Test
  void aRerunWritesTheSameStateFilesByteForByte() throws IOException {
    Path again = calibrated("a-again", "--input", dumpA.toString());
    Map<String, byte[]> first = files(stateA.resolve("state"));
    Map<String, byte[]> second = files(again.resolve("state"));
    assertEquals(List.of("_STATE.json", StateFiles.DATA_FILE), List.copyOf(first.keySet()));
    assertEquals(first.keySet(), second.keySet());
    first.forEach(
        (name, bytes) ->
            assertArrayEquals(bytes, second.get(name), name + " differs between two runs"));
  }

  @Test
  void theSameStateTwiceIsRefusedHoweverItsPathIsSpelledOrCopied() throws IOException {
    assertRefused(
        recompute("x-twice", "--state", stateA + "," + stateA),
        "x-twice",
        "are the same state (sha256:",
        "merging it twice would count every value twice");
    assertRefused(
        recompute("x-spelled", "--state", stateA + "," + stateA.getParent() + "/./a/state/"),
        "x-spelled",
        "are the same state");
    Path copied = copy(stateA, "a-copied");
    assertRefused(
        calibrate("x-copied", "--input", dumpB.toString(), "--merge-state", stateA + "," + copied),
        "x-copied",
        "The states file:" + stateA + "/state and file:" + copied + "/state are the same state");
  }

  @Test
  void aStateOfTheDumpThisRunScansOrAMergedStateWithOneOfItsPartsIsRefused() {
    assertRefused(
        calibrate("x-today", "--input", dumpA.toString(), "--merge-state", stateA.toString()),
        "x-today",
        "Cannot merge the state file:"
            + stateA
            + "/state: it covers the dump file file:"
            + dumpA.resolve("part-0.parquet"),
        "which this run's --input also covers, so its values would be counted twice");
    Path merged =
        calibrated("b-with-a", "--input", dumpB.toString(), "--merge-state", stateA.toString());
    assertRefused(
        recompute("x-chain", "--state", merged + "," + stateA),
        "x-chain",
        "which the state file:" + merged + "/state also covers");
    // Their union, once each, is what the merged state holds.
    Path b = calibrated("b", "--input", dumpB.toString());
    Qcal.Result union = recompute("a-and-b", "--state", stateA + "," + b);
    assertEquals(0, union.code(), union::toString);
  }

  @Test
  void aStateChangedAfterItWasWrittenIsRefused() throws IOException {
    Path extra = copy(stateA, "a-extra-file");
    Files.copy(
        extra.resolve("state").resolve(StateFiles.DATA_FILE),
        extra.resolve("state/part-00001-copy.parquet"));
    assertRefused(
        recompute("x-extra", "--state", extra.toString()),
        "x-extra",
        "part-00001-copy.parquet",
        "beside its data file tensors.parquet, which _STATE.json does not list");

    Path edited = copy(stateA, "a-edited");
    Path meta = edited.resolve("state/_STATE.json");
    String json = Files.readString(meta);
    assertTrue(json.contains("\"bins\" : 2048"), json);
    Files.writeString(meta, json.replace("\"bins\" : 2048", "\"bins\" : 1024"));
    assertRefused(
        recompute("x-edited", "--state", edited.toString()),
        "x-edited",
        "its fields were changed after it was written");

    Path changed = copy(stateA, "a-changed");
    Path data = changed.resolve("state").resolve(StateFiles.DATA_FILE);
    byte[] bytes = Files.readAllBytes(data);
    bytes[bytes.length / 2] ^= 1;
    Files.write(data, bytes);
    assertRefused(
        recompute("x-changed", "--state", changed.toString()),
        "x-changed",
        "changed after it was written (SHA-256");
  }

  @Test
  void oneFileGivenTwiceAsInputIsRefused() {
    Qcal.Result r = calibrate("x-input", "--input", dumpA + "," + dumpA.resolve("part-0.parquet"));
    assertRefused(
        r,
        "x-input",
        "both hold file:" + dumpA.resolve("part-0.parquet"),
        "which would be read twice");
  }

  @Test
  void aDumpRewrittenAtTheSamePathIsAnotherInput() throws IOException {
    Path nightly = Files.createDirectories(tmp.resolve("nightly"));
    Path file = nightly.resolve("part-0.parquet");
    Random r = new Random(9);
    ParquetFiles.longFloats(file, tensors(r, 1.0), false);
    Path yesterday = calibrated("yesterday", "--input", nightly.toString());
    Files.delete(file);
    ParquetFiles.longFloats(file, tensors(r, 2.0), false);
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 1000));
    calibrated("today", "--input", nightly.toString(), "--merge-state", yesterday.toString());
  }
}
