package dev.qcal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine's load average (Linux), printed beside every timing: these are not idle numbers. */
final class ProcessStats {
  private ProcessStats() {}

  /** The 1-, 5- and 15-minute load averages, or "?" where /proc is missing. */
  static String loadAverage() {
    try {
      List<String> parts = List.of(Files.readString(Path.of("/proc/loadavg")).trim().split(" "));
      return String.join(" ", parts.subList(0, 3));
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
