package dev.qcal.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs a timed child process with its output in a log, and fails naming the log if it fails. */
final class ChildProcesses {
  private ChildProcesses() {}

  /** Runs {@code command} to its end; stdout and stderr go to {@code log}. */
  static void run(List<String> command, Path log, String what) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      int code = p.waitFor();
      if (code != 0) {
        throw new IllegalStateException(
            what
                + " exited "
                + code
                + " ("
                + String.join(" ", command)
                + "); its output:\n"
                + Files.readString(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + what + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while " + what + " ran", e);
    }
  }
}
