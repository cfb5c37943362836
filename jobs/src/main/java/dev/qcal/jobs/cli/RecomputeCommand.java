package dev.qcal.jobs.cli;

import static dev.qcal.jobs.cli.CalibrationSettings.BINS;
import static dev.qcal.jobs.cli.CalibrationSettings.FORMATS;
import static dev.qcal.jobs.cli.CalibrationSettings.METHODS;
import static dev.qcal.jobs.cli.InputOutputSettings.OUTPUT;
import static dev.qcal.jobs.cli.InputOutputSettings.STATE;
import static dev.qcal.jobs.cli.SparkSettings.MASTER;

import dev.qcal.core.io.FormatOptions;
import dev.qcal.core.io.TableFormat;
import dev.qcal.core.table.PrimaryGap;
import dev.qcal.jobs.calibrate.CalibrationRun;
import dev.qcal.jobs.calibrate.Recompute;
import dev.qcal.jobs.output.CalibrationOutput;
import dev.qcal.jobs.output.OutputMode;
import dev.qcal.jobs.output.RunOutput;
import dev.qcal.jobs.output.Schedule;
import dev.qcal.jobs.state.StateFiles;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code qcal recompute}: the tables re-derived from persisted states, without reading a dump. */
@Command(
    name = SettingRegistry.RECOMPUTE,
    description =
        "Re-derive the tables from the state/ of earlier runs, merging several states into one,"
            + " without reading any dump.",
    modelTransformer = SettingOptions.class)
final class RecomputeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    long start = System.nanoTime();
    Settings settings = Settings.of(spec);
    List<String> states = settings.get(STATE);
    String out = settings.get(OUTPUT);
    OutputMode mode = TableSettings.outputMode(settings);
    Schedule schedule = TableSettings.schedule(settings);
    CalibrationOutput.Report report = TableSettings.report(settings);
    Recompute.Builder builder =
        Recompute.builder()
            .states(states)
            .methods(settings.get(METHODS))
            .quant(TableSettings.quant(settings))
            .keepState();
    Integer bins = settings.given(BINS); // none: the fewest bins among the states
    if (bins != null) {
      builder.bins(bins);
    }
    if (report == CalibrationOutput.Report.NONE) {
      builder.withoutPlots();
    }
    Recompute job = builder.build();
    List<TableFormat> formatList = settings.get(FORMATS);
    FormatOptions options = TableSettings.formatOptions(settings);
    PrintWriter err = spec.commandLine().getErr();
    RunOutput.Published published;
    // The output, then the states, are checked before Spark starts.
    Configuration hadoop = Sessions.hadoopConfiguration(settings);
    try (RunOutput output =
        RunOutput.open(out, mode, schedule, job.quant(), job.methods(), hadoop)) {
      // Spark SQL's configuration, which the checks of the inputs read, is initialised meanwhile.
      SparkWarmUp.awaitSql();
      List<StateFiles.StateSource> checked = job.check(hadoop);
      try (Sessions.Handle session =
          Sessions.start("qcal recompute", settings.get(MASTER), settings)) {
        CalibrationRun run = job.run(session.spark(), checked);
        published = output.publish(run, formatList, options, report, settings.effective());
        for (String w : published.warnings()) {
          err.println("qcal: warning: " + w);
        }
        PrimaryGap.consoleLine(run.table()).ifPresent(l -> err.println("qcal: warning: " + l));
        spec.commandLine()
            .getOut()
            .printf(
                Locale.ROOT,
                "qcal: recomputed %d tensors (%d values, %d flagged) from %d states with %s; wrote"
                    + " %s in %.1f s%n",
                run.summary().tensors(),
                run.summary().values(),
                run.summary().flagged().size(),
                run.summary().files(),
                String.join(",", job.methods()),
                published.path(),
                (System.nanoTime() - start) / 1e9);
        CalibrateCommand.reportDrift(published, schedule, spec.commandLine().getOut(), err);
      }
    }
    return published.exitCode().code();
  }
}
