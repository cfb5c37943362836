package dev.qcal.jobs.cli;

import dev.qcal.core.io.FormatOptions;
import dev.qcal.core.io.TableFormat;
import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.calibrate.CalibrationRun;
import dev.qcal.jobs.calibrate.Recompute;
import dev.qcal.jobs.output.CalibrationOutput;
import dev.qcal.jobs.output.OutputMode;
import dev.qcal.jobs.output.RunOutput;
import dev.qcal.jobs.output.Schedule;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qcal recompute}: the tables re-derived from persisted states, without reading a dump. */
@Command(
    name = "recompute",
    mixinStandardHelpOptions = true,
    description = "Re-derive the tables from the state/ of earlier runs, merging several states into one, without reading any dump.",
    sortOptions = false)
final class RecomputeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--state", split = ",", paramLabel = "DIR",
      description = "Output directories of earlier runs (or their state/), any Hadoop file system (spark.qcal.state).")
  List<String> state;

  @Option(names = "--output", paramLabel = "DIR", description = "Output directory (spark.qcal.output).")
  String output;

  @Option(names = "--overwrite", description = "Replace an existing output directory (spark.qcal.overwrite).")
  Boolean overwrite;

  @Mixin ScheduleOptions scheduleOptions = new ScheduleOptions();

  @Mixin TableOptions table = new TableOptions();

  @Option(names = "--bins",
      description = "Bins of the merged histograms (spark.qcal.bins; default: the fewest among the states).")
  Integer bins;

  @Mixin SparkOptions sparkOptions = new SparkOptions();

  @Override
  public Integer call() {
    long start = System.nanoTime();
    Settings settings = sparkOptions.settings();
    String states = settings.get("state", state == null ? null : String.join(",", state), null);
    String out = settings.get("output", output, null);
    OutputMode mode = settings.getBoolean("overwrite", overwrite) ? OutputMode.OVERWRITE : OutputMode.REFUSE_EXISTING;
    if (states == null || states.isBlank()) {
      throw JobException.usage("No state given: pass --state DIR[,DIR...] (or spark.qcal.state)");
    }
    if (out == null || out.isBlank()) {
      throw JobException.usage("No output given: pass --output DIR (or spark.qcal.output)");
    }
    Schedule schedule = scheduleOptions.resolve(settings);
    CalibrationOutput.Report report = table.report(settings);
    Recompute.Builder builder =
        Recompute.builder()
            .states(CalibrateCommand.splitList(states))
            .methods(table.methods(settings))
            .quant(table.quant(settings))
            .keepState();
    String b = settings.get("bins", bins, null);
    if (b != null) {
      builder.bins(settings.getInt("bins", bins, 0));
    }
    if (report == CalibrationOutput.Report.NONE) {
      builder.withoutPlots();
    }
    Recompute job = builder.build();
    List<TableFormat> formatList = table.formats(settings);
    FormatOptions options = table.formatOptions(settings);
    PrintWriter err = spec.commandLine().getErr();
    RunOutput.Published published;
    try (Sessions.Handle session = Sessions.start("qcal recompute", sparkOptions.master, settings)) {
      RunOutput output =
          RunOutput.open(
              out, mode, schedule, job.quant(), job.methods(), session.spark().sparkContext().hadoopConfiguration());
      CalibrationRun run = job.run(session.spark());
      published = output.publish(run, formatList, options, report, settings.effective());
      for (String w : published.warnings()) {
        err.println("qcal: warning: " + w);
      }
      dev.qcal.core.table.PrimaryGap.consoleLine(run.table()).ifPresent(l -> err.println("qcal: warning: " + l));
      spec.commandLine()
          .getOut()
          .printf(
              Locale.ROOT,
              "qcal: recomputed %d tensors (%d values, %d flagged) from %d states with %s; wrote %s in %.1f s%n",
              run.summary().tensors(),
              run.summary().values(),
              run.summary().flagged().size(),
              run.summary().files(),
              String.join(",", job.methods()),
              published.path(),
              (System.nanoTime() - start) / 1e9);
      CalibrateCommand.reportDrift(published, schedule, spec.commandLine().getOut(), err);
    }
    return published.exitCode().code();
  }
}
