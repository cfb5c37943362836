package dev.qcal.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.jobs.testing.Qcal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house's size limits (issue #15): no main source file of any module over {@value #MAX_FILE}
 * lines, so each stays one concept a reader takes in at once, and the entropy package, whose
 * screened searches once ran to 4 831 lines, at most {@value #MAX_ENTROPY} (60 % of that).
 */
class SourceSizeTest {
  static final int MAX_FILE = 400;
  static final int MAX_ENTROPY = 2898;

  @Test
  void noMainSourceFileIsOverFourHundredLines() throws IOException {
    List<String> over = new ArrayList<>();
    List<Path> sources = mainSources();
    for (Path p : sources) {
      long lines = lines(p);
      if (lines > MAX_FILE) {
        over.add(Qcal.ROOT.relativize(p) + " (" + lines + " lines)");
      }
    }
    assertTrue(sources.size() > 300, "found only " + sources.size() + " main sources");
    assertEquals(List.of(), over, "split these files: each should hold one concept");
  }

  @Test
  void theEntropyPackageStaysWithinSixtyPercentOfItsFormerSize() throws IOException {
    long total = 0;
    int files = 0;
    for (Path p : mainSources()) {
      if (p.getParent().endsWith(Path.of("dev/qcal/core/calib/entropy"))) {
        total += lines(p);
        files++;
      }
    }
    assertTrue(files > 10, "found only " + files + " entropy sources");
    assertTrue(total <= MAX_ENTROPY, "the entropy package has " + total + " lines");
  }

  /** Every module's {@code src/main/java} sources. */
  private static List<Path> mainSources() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> modules = Files.list(Qcal.ROOT)) {
      for (Path module : modules.sorted().toList()) {
        Path main = module.resolve("src/main/java");
        if (Files.isDirectory(main)) {
          try (Stream<Path> walk = Files.walk(main)) {
            walk.filter(p -> p.toString().endsWith(".java")).sorted().forEach(out::add);
          }
        }
      }
    }
    return out;
  }

  /** Lines as {@code wc -l} counts them. */
  private static long lines(Path p) throws IOException {
    try (Stream<String> lines = Files.lines(p)) {
      return lines.count();
    }
  }
}
