package dev.qcal.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link DuckDbPeer} in a process of its own (a JVM on the benchmark's class path), timed from
 * launch to exit like {@code bin/qcal calibrate}: the driver's load (it unpacks DuckDB's native
 * library) and the JVM start count, as qcal's JVM and Spark start do. The child prints its passes'
 * times on one line and, when asked, writes the counts to a file for the check.
 */
final class DuckDbProcess {
  /**
   * One timed run.
   *
   * @param wholeSeconds launch to exit
   * @param peer the child's own timings (its counts are read only when a counts file was given)
   */
  record Run(double wholeSeconds, DuckDbPeer.Result peer) {}

  private DuckDbProcess() {}

  /** Runs the child on the Parquet files matching {@code glob}; {@code counts} may be null. */
  static Run run(String glob, int bins, int threads, Path counts, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DuckDbProcess.class.getName());
    command.add(glob);
    command.add(Integer.toString(bins));
    command.add(Integer.toString(threads));
    if (counts != null) {
      command.add(counts.toString());
    }
    long start = System.nanoTime();
    ChildProcesses.run(command, log, "DuckDB");
    double whole = (System.nanoTime() - start) / 1e9;
    try {
      String[] times =
          Files.readAllLines(log).stream()
              .filter(l -> l.matches("[0-9.]+ [0-9.]+ [0-9.]+"))
              .reduce((a, b) -> b)
              .orElseThrow(() -> new IllegalStateException("DuckDB printed no timings; see " + log))
              .split(" ");
      Map<String, long[]> read = counts == null ? Map.of() : readCounts(counts);
      return new Run(
          whole,
          new DuckDbPeer.Result(
              Double.parseDouble(times[0]),
              Double.parseDouble(times[1]),
              Double.parseDouble(times[2]),
              read));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read DuckDB's output " + log + ": " + e.getMessage(), e);
    }
  }

  /** The child: {@code GLOB BINS THREADS [COUNTS_FILE]}; prints "connect pass1 pass2" seconds. */
  public static void main(String[] args) throws IOException {
    DuckDbPeer.Result r =
        DuckDbPeer.run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    System.out.printf(
        Locale.ROOT, "%.3f %.3f %.3f%n", r.connectSeconds(), r.pass1Seconds(), r.pass2Seconds());
    if (args.length > 3) {
      writeCounts(r.counts(), Path.of(args[3]));
    }
  }

  private static void writeCounts(Map<String, long[]> counts, Path file) throws IOException {
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(counts.size());
      for (Map.Entry<String, long[]> e : counts.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().length);
        for (long c : e.getValue()) {
          out.writeLong(c);
        }
      }
    }
  }

  private static Map<String, long[]> readCounts(Path file) throws IOException {
    Map<String, long[]> counts = new TreeMap<>();
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      for (int n = in.readInt(); n > 0; n--) {
        String name = in.readUTF();
        long[] c = new long[in.readInt()];
        for (int i = 0; i < c.length; i++) {
          c[i] = in.readLong();
        }
        counts.put(name, c);
      }
    }
    return counts;
  }
}
