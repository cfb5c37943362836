package dev.qcal.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Headless Chromium (Debian's {@code chromium}, installed by {@code .ci/install-chromium}) for the
 * report's browser checks, started as the machines here need it: no sandbox, no GPU, no background
 * networking, a fresh profile. Shared by core's and jobs' tests (core's test jar).
 */
public final class Chromium {
  private static final Pattern CONSOLE = Pattern.compile(":CONSOLE[:(]\\d*\\)?\\]? *(.*)");

  /** What one run printed. */
  public record Run(int exit, String stdout, String stderr) {

    /** Fails on any console message (a script error is one) or a non-zero exit. */
    public void assertNoConsoleMessages() {
      List<String> messages = new ArrayList<>();
      for (String line : stderr.split("\n")) {
        Matcher m = CONSOLE.matcher(line);
        if (line.contains(":CONSOLE") && m.find()) {
          messages.add(m.group(1));
        }
      }
      assertEquals(List.of(), messages, "console messages (script errors included)");
      assertEquals(0, exit, "chromium exit code; stderr:\n" + stderr);
    }
  }

  private final String executable;

  private Chromium(String executable) {
    this.executable = executable;
  }

  /**
   * The installed chromium. Skips the calling test with a message when there is none, except on CI
   * ({@code CI=true}), where {@code .ci/run} installs it and a missing browser must fail.
   */
  public static Chromium require() {
    String found = find();
    if (found == null && "true".equals(System.getenv("CI"))) {
      fail(
          "chromium is not installed on CI: .ci/run should have installed it"
              + " (.ci/install-chromium)");
    }
    assumeTrue(
        found != null,
        "chromium is not installed: skipping the browser check of the report"
            + " (run .ci/install-chromium, which installs Debian's chromium package)");
    return new Chromium(found);
  }

  private static String find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        if (Files.isExecutable(Paths.get(dir, name))) {
          return Paths.get(dir, name).toString();
        }
      }
    }
    return null;
  }

  /** Runs chromium headless with {@code args} (e.g. {@code --dump-dom URL}). */
  public Run run(String... args) throws Exception {
    Path profile = Files.createTempDirectory("qcal-chromium-");
    try {
      List<String> command =
          new ArrayList<>(
              List.of(
                  executable,
                  "--headless",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--disable-quic",
                  "--no-first-run",
                  "--disable-background-networking",
                  "--disable-component-update",
                  "--disable-sync",
                  "--enable-logging=stderr",
                  "--v=0",
                  "--user-data-dir=" + profile));
      command.addAll(List.of(args));
      Path out = Files.createTempFile("qcal-chromium-", ".out");
      Path err = Files.createTempFile("qcal-chromium-", ".err");
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("chromium did not finish within 120 s: " + command);
      }
      Run run =
          new Run(
              p.exitValue(),
              Files.readString(out, StandardCharsets.UTF_8),
              Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return run;
    } finally {
      try (Stream<Path> walk = Files.walk(profile)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** How often {@code regex} matches in {@code text}. */
  public static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
