package dev.qcal.jobs.cli;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.bench.BenchData;
import dev.qcal.jobs.bench.DuckDbPeer;
import dev.qcal.jobs.bench.ProcessStats;
import dev.qcal.jobs.calibrate.Calibration;
import dev.qcal.jobs.calibrate.CalibrationRun;
import dev.qcal.jobs.generate.SizedDump;
import dev.qcal.jobs.scan.Reader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qcal bench}: generates (or reuses) a seeded long-layout dump, calibrates it (timed per
 * stage: one scan in the default grid layout), times DuckDB on the same files, and checks that qcal's {@code |x|} histograms
 * equal DuckDB's bin counts.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark: calibrate a seeded dump (generated on first use, then reused), time DuckDB's SQL",
      "on the same files, and check that both give the same histograms."
    },
    sortOptions = false)
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--values", defaultValue = "1e8", description = "Total values, e.g. 1e8 or 1e9 (default 1e8).")
  String values;

  @Option(names = "--tensors", defaultValue = "500", description = "Tensors, sizes varying 32x (default 500).")
  int tensors;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Dump directory (default /tmp/qcal-bench/<values>-<tensors>; 1e9 values take about 4 GB).")
  Path data;

  @Option(names = "--methods", defaultValue = "entropy,percentile,mse,max",
      description = "Calibration methods (default entropy,percentile,mse,max).")
  String methods;

  @Option(names = "--reader", defaultValue = "auto", description = "auto, pages or spark (default auto).")
  String reader;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the dump (default 1).")
  long seed;

  @Option(names = "--files", defaultValue = "0", description = "Parquet files (default: about 256 MB each).")
  int files;

  @Option(names = "--duckdb-threads", defaultValue = "0", description = "DuckDB threads (default: the cores).")
  int duckdbThreads;

  @Option(names = "--no-qcal", description = "Do not run qcal (time DuckDB alone).")
  boolean noQcal;

  @Option(names = "--no-duckdb", description = "Do not run DuckDB (and no check).")
  boolean noDuckdb;

  @Option(names = "--no-check", description = "Do not compare the histograms (saves two more scans).")
  boolean noCheck;

  @Option(names = "--two-pass", hidden = true,
      description = "Scan twice in the grid layout too (range statistics, then histograms), as before the one scan: for A/B runs.")
  boolean twoPass;

  @Option(names = "--master", description = "Spark master URL (default local[*]).")
  String master;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting.")
  List<String> conf = new ArrayList<>();

  private PrintWriter out;

  @Override
  public Integer call() {
    out = spec.commandLine().getOut();
    long total = parseCount(values);
    if (tensors < 1 || total < tensors) {
      throw JobException.usage("Cannot benchmark " + total + " values over " + tensors + " tensors");
    }
    int fileCount = files > 0 ? files : (int) Math.max(2, Math.round(total * 4.0 / (256 << 20)));
    SizedDump dump = new SizedDump(tensors, total, seed, 16384, fileCount);
    Path dir = data != null ? data : Path.of("/tmp/qcal-bench", values + "-" + tensors);
    Reader readerChoice = Reader.parse(reader);
    Settings settings = new Settings(null, conf);
    line("machine: %d cores, load average %s", Runtime.getRuntime().availableProcessors(), ProcessStats.loadAverage());

    boolean ok = true;
    try (Sessions.Handle session = Sessions.start("qcal bench", master, settings)) {
      double sessionReady = ProcessStats.uptimeSeconds();
      boolean reused = BenchData.matches(dir, dump);
      double generated = 0;
      if (!reused) {
        line("generating %,d values over %d tensors in %d files into %s ...", total, tensors, fileCount, dir);
        long g0 = System.nanoTime();
        BenchData.write(session.spark(), dir, dump);
        generated = (System.nanoTime() - g0) / 1e9;
        line("generated in %.1f s (%.1f M values/s); the timings below ran after it: run again for"
            + " cold-start figures", generated, total / generated / 1e6);
      }
      line("dump: %s (%s, %,d bytes, %,d values, %d tensors)", dir, reused ? "reused" : "generated",
          bytes(dir), total, tensors);
      String glob = dir.resolve("*.parquet").toString();

      Map<String, long[]> qcalCounts = null;
      if (!noQcal) {
        Calibration.Builder builder =
            Calibration.builder()
                .input(dir.toString())
                .methods(CalibrateCommand.splitList(methods))
                .reader(readerChoice)
                .withoutPlots();
        if (twoPass) {
          builder.twoPasses();
        }
        Calibration job = builder.build();
        double before = ProcessStats.uptimeSeconds();
        CalibrationRun run = job.run(session.spark());
        double after = ProcessStats.uptimeSeconds();
        double whole = after - generated;
        line("qcal  JVM and Spark session start      %7.2f s", sessionReady);
        run.summary().stageMillis().forEach((stage, ms) -> line("qcal  %-34s %7.2f s", stage, ms / 1e3));
        line("qcal  calibration (Calibration.run)     %7.2f s  %6.1f M values/s", after - before,
            run.summary().values() / (after - before) / 1e6);
        line("qcal  whole process                     %7.2f s  %6.1f M values/s  (%s; methods %s;"
                + " %d tensors, %,d values)",
            whole, run.summary().values() / whole / 1e6, readerChoice.key(), methods,
            run.summary().tensors(), run.summary().values());
        line("qcal  peak heap (all pools) %d MiB, old generation %d MiB, peak RSS %d MiB; load %s",
            ProcessStats.peakHeapMiB(), ProcessStats.peakOldMiB(), ProcessStats.peakRssMiB(),
            ProcessStats.loadAverage());
        if (run.summary().values() != total) {
          line("ERROR: qcal read %,d values, the dump holds %,d", run.summary().values(), total);
          ok = false;
        }
        if (!noDuckdb) {
          DuckDbPeer.Result duck = duck(glob);
          line("ratio qcal whole process / DuckDB both passes: %.2f (qcal calibration alone: %.2f)",
              whole / duck.passesSeconds(), (after - before) / duck.passesSeconds());
          if (!noCheck) {
            ok &= check(session, job, duck.counts());
          }
        }
      } else if (!noDuckdb) {
        duck(glob);
      }
    }
    return ok ? ExitCode.OK.code() : ExitCode.FAILURE.code();
  }

  private DuckDbPeer.Result duck(String glob) {
    int threads = duckdbThreads > 0 ? duckdbThreads : Runtime.getRuntime().availableProcessors();
    DuckDbPeer.Result r = DuckDbPeer.run(glob, HistogramSpec.DEFAULT_BINS, threads);
    long values = 0;
    for (long[] c : r.counts().values()) {
      for (long x : c) {
        values += x;
      }
    }
    line("duckdb load and connect %.2f s, pass 1 (max|x|) %.2f s, pass 2 (histograms) %.2f s", r.connectSeconds(),
        r.pass1Seconds(), r.pass2Seconds());
    line("duckdb both passes                      %7.2f s  %6.1f M values/s  (%d threads; load %s)",
        r.passesSeconds(), values / r.passesSeconds() / 1e6, threads, ProcessStats.loadAverage());
    return r;
  }

  /**
   * qcal's ABSOLUTE histograms (in the range layout: two more scans, untimed) against DuckDB's
   * counts.
   */
  private boolean check(Sessions.Handle session, Calibration job, Map<String, long[]> duck) {
    // DuckDB bins with NVIDIA's range layout ([0, max|x|], last bin closed): compare that layout
    // (the fill loop is the same one the default grid layout runs).
    Map<String, Map<Domain, Histogram>> qcal =
        job.histograms(
            session.spark(), EnumSet.of(Domain.ABSOLUTE), dev.qcal.core.histogram.HistogramLayout.RANGE);
    List<String> differ = new ArrayList<>();
    for (Map.Entry<String, Map<Domain, Histogram>> e : qcal.entrySet()) {
      long[] mine = e.getValue().get(Domain.ABSOLUTE).counts();
      long[] theirs = duck.get(e.getKey());
      if (theirs == null || !Arrays.equals(mine, theirs)) {
        differ.add(e.getKey());
      }
    }
    if (!duck.keySet().equals(qcal.keySet())) {
      differ.add("(tensor sets differ: qcal " + qcal.size() + ", DuckDB " + duck.size() + ")");
    }
    if (differ.isEmpty()) {
      line("check: the |x| histograms (2048 bins) of all %d tensors equal DuckDB's counts exactly", qcal.size());
      return true;
    }
    line("CHECK FAILED: %d tensors differ from DuckDB, e.g. %s", differ.size(), differ.subList(0, Math.min(5, differ.size())));
    return false;
  }

  private static long bytes(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      return -1;
    }
  }

  static long parseCount(String text) {
    try {
      double v = Double.parseDouble(text.trim());
      if (!(v >= 1) || v > 1e13 || v != Math.rint(v)) {
        throw new NumberFormatException();
      }
      return (long) v;
    } catch (NumberFormatException e) {
      throw JobException.usage("Cannot read --values '" + text + "': expected a whole number such as 1e8");
    }
  }

  private void line(String format, Object... args) {
    out.println(String.format(Locale.ROOT, format, args));
    out.flush();
  }
}
