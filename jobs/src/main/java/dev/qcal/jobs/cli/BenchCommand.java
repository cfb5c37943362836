package dev.qcal.jobs.cli;

import static dev.qcal.jobs.cli.SettingRegistry.BENCH_DATA;
import static dev.qcal.jobs.cli.SettingRegistry.BENCH_FILES;
import static dev.qcal.jobs.cli.SettingRegistry.BENCH_TENSORS;
import static dev.qcal.jobs.cli.SettingRegistry.BENCH_VALUES;
import static dev.qcal.jobs.cli.SettingRegistry.DUCKDB_THREADS;
import static dev.qcal.jobs.cli.SettingRegistry.MASTER;
import static dev.qcal.jobs.cli.SettingRegistry.METHODS;
import static dev.qcal.jobs.cli.SettingRegistry.NO_CHECK;
import static dev.qcal.jobs.cli.SettingRegistry.NO_DUCKDB;
import static dev.qcal.jobs.cli.SettingRegistry.NO_QCAL;
import static dev.qcal.jobs.cli.SettingRegistry.READER;
import static dev.qcal.jobs.cli.SettingRegistry.SEED;
import static dev.qcal.jobs.cli.SettingRegistry.TWO_PASS;

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
import picocli.CommandLine.Spec;

/**
 * {@code qcal bench}: generates (or reuses) a seeded long-layout dump, calibrates it (timed per
 * stage: one scan in the default grid layout), times DuckDB on the same files, and checks that qcal's {@code |x|} histograms
 * equal DuckDB's bin counts.
 */
@Command(
    name = SettingRegistry.BENCH,
    description =
        "Benchmark: calibrate a seeded dump (generated on first use, then reused), time DuckDB's SQL"
            + " on the same files, and check that both give the same histograms.",
    modelTransformer = SettingOptions.class)
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private PrintWriter out;

  @Override
  public Integer call() {
    out = spec.commandLine().getOut();
    Settings settings = Settings.of(spec);
    String values = settings.get(BENCH_VALUES);
    int tensors = settings.get(BENCH_TENSORS);
    List<String> methods = settings.get(METHODS);
    Reader readerChoice = settings.get(READER);
    boolean noQcal = settings.get(NO_QCAL);
    boolean noDuckdb = settings.get(NO_DUCKDB);
    boolean noCheck = settings.get(NO_CHECK);
    long total = parseCount(values);
    if (tensors < 1 || total < tensors) {
      throw JobException.usage("Cannot benchmark " + total + " values over " + tensors + " tensors");
    }
    int files = settings.get(BENCH_FILES);
    int fileCount = files > 0 ? files : (int) Math.max(2, Math.round(total * 4.0 / (256 << 20)));
    SizedDump dump = new SizedDump(tensors, total, settings.get(SEED), 16384, fileCount);
    Path data = settings.get(BENCH_DATA);
    Path dir = data != null ? data : Path.of("/tmp/qcal-bench", values + "-" + tensors);
    line("machine: %d cores, load average %s", Runtime.getRuntime().availableProcessors(), ProcessStats.loadAverage());

    boolean ok = true;
    try (Sessions.Handle session = Sessions.start("qcal bench", settings.get(MASTER), settings)) {
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
                .methods(methods)
                .reader(readerChoice)
                .withoutPlots();
        if (settings.get(TWO_PASS)) {
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
            whole, run.summary().values() / whole / 1e6, readerChoice.key(), String.join(",", methods),
            run.summary().tensors(), run.summary().values());
        line("qcal  peak heap (all pools) %d MiB, old generation %d MiB, peak RSS %d MiB; load %s",
            ProcessStats.peakHeapMiB(), ProcessStats.peakOldMiB(), ProcessStats.peakRssMiB(),
            ProcessStats.loadAverage());
        if (run.summary().values() != total) {
          line("ERROR: qcal read %,d values, the dump holds %,d", run.summary().values(), total);
          ok = false;
        }
        if (!noDuckdb) {
          DuckDbPeer.Result duck = duck(glob, settings.get(DUCKDB_THREADS));
          line("ratio qcal whole process / DuckDB both passes: %.2f (qcal calibration alone: %.2f)",
              whole / duck.passesSeconds(), (after - before) / duck.passesSeconds());
          if (!noCheck) {
            ok &= check(session, job, duck.counts());
          }
        }
      } else if (!noDuckdb) {
        duck(glob, settings.get(DUCKDB_THREADS));
      }
    }
    return ok ? ExitCode.OK.code() : ExitCode.FAILURE.code();
  }

  private DuckDbPeer.Result duck(String glob, int duckdbThreads) {
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
