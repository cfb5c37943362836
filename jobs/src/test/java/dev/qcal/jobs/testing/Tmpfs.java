package dev.qcal.jobs.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real small file system for fault tests: a {@code tmpfs} mounted with {@code mount(8)} (full at
 * a few KB, or read-only), unmounted by {@link #close}. Mounting needs root or CAP_SYS_ADMIN: where
 * it is refused the test is skipped (assumption), never faked.
 */
public final class Tmpfs implements AutoCloseable {
  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  /**
   * Mounts a tmpfs at {@code dir} (created) with {@code options}, e.g. {@code size=64k} or {@code
   * ro}.
   */
  public static Tmpfs mount(Path dir, String options) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    String out = run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()));
    Assumptions.assumeTrue(
        out == null, () -> "cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): " + out);
    return new Tmpfs(dir);
  }

  /** The mount point. */
  public Path dir() {
    return dir;
  }

  @Override
  public void close() throws IOException {
    String out;
    try {
      out = run(List.of("umount", dir.toString()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while unmounting " + dir, e);
    }
    if (out != null) {
      throw new IOException("umount " + dir + " failed: " + out);
    }
  }

  /** Runs {@code command}; null on success, else its output. */
  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage();
    }
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return command + " timed out";
    }
    return p.exitValue() == 0 ? null : command + " exited " + p.exitValue() + ": " + text.trim();
  }
}
