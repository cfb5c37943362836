package dev.qcal.jobs.cli;

import static dev.qcal.jobs.cli.CalibrationSettings.BINS;
import static dev.qcal.jobs.cli.CalibrationSettings.FORMATS;
import static dev.qcal.jobs.cli.CalibrationSettings.HISTOGRAM_LAYOUT;
import static dev.qcal.jobs.cli.CalibrationSettings.MERGE_STATE;
import static dev.qcal.jobs.cli.CalibrationSettings.METHODS;
import static dev.qcal.jobs.cli.CalibrationSettings.STATE_DOMAINS;
import static dev.qcal.jobs.cli.DumpSettings.CHANNEL_AXIS;
import static dev.qcal.jobs.cli.DumpSettings.CHANNEL_BINS;
import static dev.qcal.jobs.cli.DumpSettings.CHANNEL_COLUMN;
import static dev.qcal.jobs.cli.DumpSettings.CHUNK_VALUES;
import static dev.qcal.jobs.cli.DumpSettings.LAYOUT;
import static dev.qcal.jobs.cli.DumpSettings.PER_CHANNEL_TENSORS;
import static dev.qcal.jobs.cli.DumpSettings.READER;
import static dev.qcal.jobs.cli.DumpSettings.SHAPE_COLUMN;
import static dev.qcal.jobs.cli.DumpSettings.TENSORS;
import static dev.qcal.jobs.cli.DumpSettings.TENSOR_COLUMN;
import static dev.qcal.jobs.cli.DumpSettings.VALUES_COLUMN;
import static dev.qcal.jobs.cli.InputOutputSettings.INPUT;
import static dev.qcal.jobs.cli.InputOutputSettings.OUTPUT;
import static dev.qcal.jobs.cli.SparkSettings.MASTER;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.io.FormatOptions;
import dev.qcal.core.io.TableFormat;
import dev.qcal.core.table.PrimaryGap;
import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.calibrate.Calibration;
import dev.qcal.jobs.calibrate.CalibrationBuilder;
import dev.qcal.jobs.calibrate.CalibrationRun;
import dev.qcal.jobs.calibrate.CheckedInputs;
import dev.qcal.jobs.dump.ChannelSource;
import dev.qcal.jobs.output.CalibrationOutput;
import dev.qcal.jobs.output.OutputMode;
import dev.qcal.jobs.output.RunOutput;
import dev.qcal.jobs.output.Schedule;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code qcal calibrate}: the calibration job; its options are the settings that name it in {@link
 * SettingRegistry}.
 */
@Command(
    name = SettingRegistry.CALIBRATE,
    description = "Calibrate every tensor of a Parquet activation dump and write the tables.",
    modelTransformer = SettingOptions.class)
final class CalibrateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    long start = System.nanoTime();
    Settings settings = Settings.of(spec);
    List<String> inputs = settings.get(INPUT);
    String out = settings.get(OUTPUT);
    OutputMode mode = TableSettings.outputMode(settings);
    Schedule schedule = TableSettings.schedule(settings);
    CalibrationOutput.Report report = TableSettings.report(settings);
    Calibration job = calibration(settings, inputs, report);
    List<TableFormat> formatList = settings.get(FORMATS);
    FormatOptions options = TableSettings.formatOptions(settings);
    PrintWriter err = spec.commandLine().getErr();
    RunOutput.Published published;
    // The output, then the inputs, are checked before Spark starts: a bad path fails in a second.
    Configuration hadoop = Sessions.hadoopConfiguration(settings);
    try (RunOutput output =
        RunOutput.open(out, mode, schedule, job.quant(), job.methods(), hadoop)) {
      // Spark SQL's configuration, which the checks of the inputs read, is initialised meanwhile.
      SparkWarmUp.awaitSql();
      CheckedInputs checked = job.check(hadoop);
      try (Sessions.Handle session =
          Sessions.start("qcal calibrate", settings.get(MASTER), settings)) {
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
                "qcal: calibrated %d tensors (%d values, %d flagged) with %s; wrote %s in %.1f s%n",
                run.summary().tensors(),
                run.summary().values(),
                run.summary().flagged().size(),
                String.join(",", job.methods()),
                published.path(),
                (System.nanoTime() - start) / 1e9);
        reportDrift(published, schedule, spec.commandLine().getOut(), err);
      }
    }
    return published.exitCode().code();
  }

  /** The drift line on stdout and, when the gate tripped, what happened and how to accept. */
  static void reportDrift(
      RunOutput.Published published, Schedule schedule, PrintWriter out, PrintWriter err) {
    published.driftLine().ifPresent(out::println);
    if (published.exitCode() == ExitCode.DRIFT) {
      err.println("qcal: error: " + published.driftAdvice());
    }
  }

  private Calibration calibration(
      Settings settings, List<String> inputs, CalibrationOutput.Report report) {
    CalibrationBuilder builder = Calibration.builder();
    if (report == CalibrationOutput.Report.NONE) {
      builder.withoutPlots();
    }
    List<String> merge = settings.get(MERGE_STATE);
    Set<Domain> domains = settings.get(STATE_DOMAINS);
    return builder
        .input(inputs)
        .methods(settings.get(METHODS))
        .quant(TableSettings.quant(settings))
        .histogramLayout(settings.get(HISTOGRAM_LAYOUT))
        .mergeState(merge == null ? List.of() : merge)
        .stateDomains(domains == null ? Set.of() : domains)
        .keepState()
        .bins(settings.get(BINS))
        .layout(settings.get(LAYOUT))
        .tensorColumn(settings.get(TENSOR_COLUMN))
        .valuesColumn(settings.get(VALUES_COLUMN))
        .tensors(settings.get(TENSORS))
        .chunkValues(settings.get(CHUNK_VALUES))
        .reader(settings.get(READER))
        .channels(channelSource(settings))
        .perChannelTensors(settings.get(PER_CHANNEL_TENSORS))
        .channelBins(settings.get(CHANNEL_BINS))
        .build();
  }

  /** Where channels come from, or null for a per-tensor run. */
  private static ChannelSource channelSource(Settings settings) {
    String column = settings.get(CHANNEL_COLUMN);
    Integer axis = settings.get(CHANNEL_AXIS);
    String shape = settings.get(SHAPE_COLUMN);
    if (column != null) {
      if (shape != null) {
        throw JobException.usage(
            "Cannot use both --channel-column and --shape-column: give one (a channel column, or a"
                + " shape column with --channel-axis N)");
      }
      return ChannelSource.column(column, axis == null ? 0 : axis);
    }
    if (axis != null) {
      return ChannelSource.shape(shape, axis);
    }
    if (shape != null || settings.get(PER_CHANNEL_TENSORS) != null) {
      throw JobException.usage(
          "Per-channel options need --channel-axis N (to split rows of a shape column) or"
              + " --channel-column NAME");
    }
    return null;
  }
}
