package dev.qcal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bin/qcal calibrate --input DUMP --output OUT ...}, exactly as a user types it (the
 * launcher, its class-data archive, every default output: tables, report, {@code state/}), timed
 * from launch to exit; the stages come from the run's own {@code summary.json}. The output is
 * deleted after it was read.
 */
final class QcalProcess {
  /**
   * One timed run.
   *
   * @param wholeSeconds launch to exit
   * @param stageSeconds summary.json's {@code stage_ms}, in seconds, in its order
   * @param tensors tensors calibrated
   * @param values values read
   * @param outputBytes bytes of every file the run wrote
   */
  record Run(
      double wholeSeconds,
      Map<String, Double> stageSeconds,
      long tensors,
      long values,
      long outputBytes) {}

  private QcalProcess() {}

  /**
   * Runs {@code launcher calibrate --input dump --output out args...}; {@code out} must not exist.
   */
  static Run run(Path launcher, Path dump, Path out, List<String> args, Path log) {
    List<String> command =
        new ArrayList<>(
            List.of(
                launcher.toString(),
                "calibrate",
                "--input",
                dump.toString(),
                "--output",
                out.toString()));
    command.addAll(args);
    long start = System.nanoTime();
    ChildProcesses.run(command, log, "bin/qcal calibrate");
    double whole = (System.nanoTime() - start) / 1e9;
    try {
      JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
      Map<String, Double> stages = new LinkedHashMap<>();
      summary
          .get("stage_ms")
          .fields()
          .forEachRemaining(e -> stages.put(e.getKey(), e.getValue().asLong() / 1e3));
      long bytes = bytes(out);
      delete(out);
      return new Run(
          whole, stages, summary.get("tensors").asLong(), summary.get("values").asLong(), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read " + out.resolve("summary.json") + ": " + e.getMessage(), e);
    }
  }

  private static long bytes(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
