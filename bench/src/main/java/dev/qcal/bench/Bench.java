package dev.qcal.bench;

import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.jobs.generate.SizedDump;
import dev.qcal.jobs.scan.Reader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bin/qcal bench}: on a seeded long-layout dump (written on first use, then reused), runs
 * {@code bin/qcal calibrate} as users run it and DuckDB's equivalent (per-tensor min/max, then
 * 2048-bin {@code |x|} histograms) on the same files, alternating, each in a process of its own;
 * prints every run's stages and times, then the medians and their ratio, and checks that qcal's
 * histograms equal DuckDB's counts. Its options are its own (this module is not in the jar users
 * run, so the settings registry of {@code qcal-jobs} does not list them).
 */
@Command(
    name = "qcal bench",
    mixinStandardHelpOptions = true,
    description =
        "Time bin/qcal calibrate (default outputs) against DuckDB on the same seeded dump.",
    sortOptions = false)
public final class Bench implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--values",
      paramLabel = "N",
      defaultValue = "1e8",
      description = "Total values, e.g. 1e8 or 1e9 (default ${DEFAULT-VALUE})")
  String values;

  @Option(
      names = "--tensors",
      paramLabel = "N",
      defaultValue = "500",
      description = "Tensors, sizes varying 32x (default ${DEFAULT-VALUE})")
  int tensors;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Dump directory, written on first use then reused (default"
              + " /tmp/qcal-bench/<values>-<tensors>; 1e9 values take about 4 GB)")
  Path data;

  @Option(
      names = "--files",
      paramLabel = "N",
      defaultValue = "0",
      description = "Parquet files of the dump (default about 256 MB each, at least 2)")
  int files;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "Seed of the dump (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--runs",
      paramLabel = "N",
      defaultValue = "3",
      description = "Runs of each, alternating; medians are reported (default ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--methods",
      paramLabel = "KEY[,KEY...]",
      description = "Passed to calibrate (default: calibrate's)")
  String methods;

  @Option(names = "--no-report", description = "Passed to calibrate: no report.html")
  boolean noReport;

  @Option(
      names = "--duckdb-threads",
      paramLabel = "N",
      defaultValue = "0",
      description = "DuckDB threads (default the cores)")
  int duckdbThreads;

  @Option(names = "--no-qcal", description = "Do not run qcal (time DuckDB alone)")
  boolean noQcal;

  @Option(names = "--no-duckdb", description = "Do not run DuckDB (and no check)")
  boolean noDuckdb;

  @Option(
      names = "--no-check",
      description =
          "Do not compare qcal's |x| histograms with DuckDB's counts (two more scans, untimed)")
  boolean noCheck;

  @Parameters(
      paramLabel = "CALIBRATE_OPTION",
      description = "After --: more options passed to calibrate, e.g. -- --reader spark")
  List<String> calibrateOptions = new ArrayList<>();

  private PrintWriter out;

  /** Runs the benchmark; {@code -Dqcal.launcher} names bin/qcal (set by bin/qcal itself). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    out = spec.commandLine().getOut();
    long total = parseCount(values);
    if (tensors < 1 || total < tensors || runs < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "Cannot benchmark "
              + total
              + " values over "
              + tensors
              + " tensors in "
              + runs
              + " runs");
    }
    String launcherPath = System.getProperty("qcal.launcher");
    if (launcherPath == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Run the benchmark as bin/qcal bench (it names the launcher)");
    }
    int fileCount = files > 0 ? files : (int) Math.max(2, Math.round(total * 4.0 / (256 << 20)));
    SizedDump dump = new SizedDump(tensors, total, seed, 16384, fileCount);
    Path dir =
        (data != null ? data : Path.of("/tmp/qcal-bench", values + "-" + tensors)).toAbsolutePath();
    int threads = duckdbThreads > 0 ? duckdbThreads : Runtime.getRuntime().availableProcessors();
    line(
        "machine: %d cores, load average %s",
        Runtime.getRuntime().availableProcessors(), ProcessStats.loadAverage());
    if (!BenchData.matches(dir, dump)) {
      line(
          "writing the dump: %,d values over %d tensors in %d files into %s (untimed) ...",
          total, tensors, fileCount, dir);
      withSpark("qcal bench: write the dump", spark -> BenchData.write(spark, dir, dump));
    }
    line(
        "dump: %s (%,d bytes, %,d values, %d tensors, %d files)",
        dir, bytes(dir), total, tensors, fileCount);

    List<String> args = new ArrayList<>();
    if (methods != null) {
      args.addAll(List.of("--methods", methods));
    }
    if (noReport) {
      args.add("--no-report");
    }
    args.addAll(calibrateOptions);
    Path scratch = Files.createTempDirectory("qcal-bench-");
    if (!noQcal) {
      // Untimed: whatever the launcher must do first (a build after a source changed, recording its
      // class-data archive) happens here, not inside a timed run.
      ChildProcesses.run(
          List.of(launcherPath, "--version"), scratch.resolve("qcal.log"), "bin/qcal --version");
    }
    Path counts = noCheck || noQcal || noDuckdb ? null : scratch.resolve("duckdb-counts.bin");
    List<QcalProcess.Run> qcal = new ArrayList<>();
    List<DuckDbProcess.Run> duck = new ArrayList<>();
    boolean ok = true;
    for (int i = 1; i <= runs; i++) {
      if (!noQcal) {
        String load = ProcessStats.loadAverage();
        QcalProcess.Run r =
            QcalProcess.run(
                Path.of(launcherPath),
                dir,
                scratch.resolve("out"),
                args,
                scratch.resolve("qcal.log"));
        qcal.add(r);
        line(
            "run %d/%d  qcal    bin/qcal calibrate %s   (load %s)",
            i, runs, String.join(" ", args), load);
        printQcal(r);
        if (r.values() != total || r.tensors() != tensors) {
          line(
              "ERROR: qcal read %,d values of %d tensors; the dump holds %,d of %d",
              r.values(), r.tensors(), total, tensors);
          ok = false;
        }
      }
      if (!noDuckdb) {
        String load = ProcessStats.loadAverage();
        DuckDbProcess.Run r =
            DuckDbProcess.run(
                dir.resolve("*.parquet").toString(),
                HistogramSpec.DEFAULT_BINS,
                threads,
                i == runs ? counts : null,
                scratch.resolve("duckdb.log"));
        duck.add(r);
        line("run %d/%d  duckdb  %d threads   (load %s)", i, runs, threads, load);
        printDuck(r);
      }
    }
    summarize(qcal, duck);
    if (counts != null) {
      ok &= check(dir, duck.get(duck.size() - 1).peer().counts());
    }
    Files.deleteIfExists(scratch.resolve("qcal.log"));
    Files.deleteIfExists(scratch.resolve("duckdb.log"));
    Files.deleteIfExists(scratch.resolve("duckdb-counts.bin"));
    Files.deleteIfExists(scratch);
    return ok ? 0 : 1;
  }

  private void printQcal(QcalProcess.Run r) {
    double staged = 0;
    for (Map.Entry<String, Double> e : r.stageSeconds().entrySet()) {
      line("    %-72s %7.2f s", e.getKey(), e.getValue());
      staged += e.getValue();
    }
    line(
        "    %-72s %7.2f s",
        "JVM and Spark start, stop, the rest (whole process - stages)", r.wholeSeconds() - staged);
    line(
        "    %-72s %7.2f s  (%.1f M values/s; %,d bytes written)",
        "whole process", r.wholeSeconds(), r.values() / r.wholeSeconds() / 1e6, r.outputBytes());
  }

  private void printDuck(DuckDbProcess.Run r) {
    DuckDbPeer.Result p = r.peer();
    line(
        "    %-72s %7.2f s",
        "JVM start, driver load and connect", r.wholeSeconds() - p.passesSeconds());
    line("    %-72s %7.2f s", "min/max per tensor", p.pass1Seconds());
    line("    %-72s %7.2f s", "2048-bin |x| histograms per tensor", p.pass2Seconds());
    line("    %-72s %7.2f s", "whole process", r.wholeSeconds());
  }

  /** The medians of every stage, both whole processes and their ratio. */
  private void summarize(List<QcalProcess.Run> qcal, List<DuckDbProcess.Run> duck) {
    line("median of %d run(s) (load now %s):", runs, ProcessStats.loadAverage());
    if (!qcal.isEmpty()) {
      Map<String, Double> stages = new LinkedHashMap<>();
      for (String stage : qcal.get(0).stageSeconds().keySet()) {
        stages.put(stage, median(qcal, r -> r.stageSeconds().getOrDefault(stage, 0.0)));
      }
      stages.forEach((stage, s) -> line("  qcal    %-70s %7.2f s", stage, s));
      line("  qcal    %-70s %7.2f s", "whole process", median(qcal, QcalProcess.Run::wholeSeconds));
    }
    if (!duck.isEmpty()) {
      line(
          "  duckdb  %-70s %7.2f s",
          "min/max, then histograms", median(duck, r -> r.peer().passesSeconds()));
      line(
          "  duckdb  %-70s %7.2f s",
          "whole process", median(duck, DuckDbProcess.Run::wholeSeconds));
    }
    if (!qcal.isEmpty() && !duck.isEmpty()) {
      line(
          "  ratio qcal / DuckDB, whole process: %.2f",
          median(qcal, QcalProcess.Run::wholeSeconds)
              / median(duck, DuckDbProcess.Run::wholeSeconds));
    }
  }

  private static <T> double median(List<T> runs, ToDoubleFunction<T> value) {
    double[] v = runs.stream().mapToDouble(value).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /**
   * qcal's ABSOLUTE histograms in the range layout (DuckDB's: {@code [0, max|x|]}, last bin closed;
   * two more scans, untimed, through the same fill loop the default grid layout runs) against
   * DuckDB's counts.
   */
  private boolean check(Path dir, Map<String, long[]> duck) {
    Map<String, long[]> qcal = new LinkedHashMap<>();
    withSpark(
        "qcal bench: check",
        spark ->
            qcal.putAll(
                RangeHistograms.absolute(
                    spark, dir.toString(), Reader.AUTO, HistogramSpec.DEFAULT_BINS)));
    List<String> differ = new ArrayList<>();
    qcal.forEach(
        (name, h) -> {
          if (!Arrays.equals(h, duck.get(name))) {
            differ.add(name);
          }
        });
    if (!duck.keySet().equals(qcal.keySet())) {
      differ.add("(tensor sets differ: qcal " + qcal.size() + ", DuckDB " + duck.size() + ")");
    }
    if (differ.isEmpty()) {
      line(
          "check: the |x| histograms (2048 bins) of all %d tensors equal DuckDB's counts exactly",
          qcal.size());
      return true;
    }
    line(
        "CHECK FAILED: %d tensors differ from DuckDB, e.g. %s",
        differ.size(), differ.subList(0, Math.min(5, differ.size())));
    return false;
  }

  /** Runs {@code work} in a local Spark session of this process, stopped afterwards. */
  private static void withSpark(String name, java.util.function.Consumer<SparkSession> work) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[*]")
            .appName(name)
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    try {
      work.accept(spark);
    } finally {
      spark.stop();
    }
  }

  private static long bytes(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .mapToLong(p -> p.toFile().length())
          .sum();
    }
  }

  private long parseCount(String text) {
    try {
      double v = Double.parseDouble(text.trim());
      if (!(v >= 1) || v > 1e13 || v != Math.rint(v)) {
        throw new NumberFormatException();
      }
      return (long) v;
    } catch (NumberFormatException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "Cannot read --values '" + text + "': expected a whole number such as 1e8");
    }
  }

  private void line(String format, Object... args) {
    out.println(String.format(Locale.ROOT, format, args));
    out.flush();
  }
}
