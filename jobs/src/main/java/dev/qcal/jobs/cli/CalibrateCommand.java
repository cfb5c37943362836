package dev.qcal.jobs.cli;

import dev.qcal.core.channel.ChannelSpecs;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.io.FormatOptions;
import dev.qcal.core.io.TableFormat;
import dev.qcal.core.io.TensorRtVersion;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.ScaleRounding;
import dev.qcal.core.quant.Scheme;
import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.Version;
import dev.qcal.jobs.calibrate.Calibration;
import dev.qcal.jobs.calibrate.CalibrationRun;
import dev.qcal.jobs.output.CalibrationOutput;
import dev.qcal.jobs.output.OutputMode;
import dev.qcal.jobs.output.RunOutput;
import dev.qcal.jobs.output.Schedule;
import dev.qcal.jobs.read.ChannelSource;
import dev.qcal.jobs.read.Layout;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qcal calibrate}: the calibration job. */
@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    description = "Calibrate every tensor of a Parquet activation dump and write the tables.",
    sortOptions = false)
final class CalibrateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--input", split = ",", paramLabel = "PATH",
      description = "Parquet files, directories or globs, any Hadoop file system (spark.qcal.input).")
  List<String> input;

  @Option(names = "--output", paramLabel = "DIR", description = "Output directory (spark.qcal.output).")
  String output;

  @Option(names = "--overwrite", description = "Replace an existing output directory (spark.qcal.overwrite).")
  Boolean overwrite;

  @Mixin ScheduleOptions scheduleOptions = new ScheduleOptions();

  @Mixin TableOptions table = new TableOptions();

  @Option(names = "--bins", description = "Histogram bins (spark.qcal.bins; default 2048).")
  Integer bins;

  @Option(names = "--histogram-layout",
      description = "grid (power-of-two bin widths: states merge exactly) or range (NVIDIA's torch.histc layout) (spark.qcal.histogram-layout; default grid).")
  String histogramLayout;

  @Option(names = "--merge-state", split = ",", paramLabel = "DIR",
      description = "Add the states of earlier runs (their output directories or state/) to this scan (spark.qcal.merge-state).")
  List<String> mergeState;

  @Option(names = "--state-domains", paramLabel = "DOMAIN[,DOMAIN...]",
      description = "Histogram domains to keep in state/ beyond the methods': absolute, signed, log2 (spark.qcal.state-domains).")
  String stateDomains;

  @Option(names = "--layout", description = "auto, long, scalar or wide (spark.qcal.layout; default auto).")
  String layout;

  @Option(names = "--tensor-column", description = "Tensor-name column (spark.qcal.tensor-column; default tensor).")
  String tensorColumn;

  @Option(names = "--values-column",
      description = "Values column (spark.qcal.values-column; default values, or value for scalar).")
  String valuesColumn;

  @Option(names = "--tensors", paramLabel = "REGEX",
      description = "Calibrate only tensors whose whole name matches (spark.qcal.tensors).")
  String tensors;

  @Option(names = "--chunk-values",
      description = "Values per chunk for one-value-per-row layouts (spark.qcal.chunk-values; default 16384).")
  Integer chunkValues;

  @Option(names = "--reader",
      description = "Parquet reader: auto (qcal's page decoder for long float/double arrays, else Spark's), pages or spark (spark.qcal.reader; default auto).")
  String reader;

  @Option(names = "--channel-column", paramLabel = "NAME",
      description = "Also calibrate per channel, each row's channel read from this integer column (spark.qcal.channel-column).")
  String channelColumn;

  @Option(names = "--channel-axis", paramLabel = "N",
      description = "Also calibrate per channel, splitting each row along axis N of its shape column (negative counts from the end); with --channel-column, only the axis written to the outputs (default 0) (spark.qcal.channel-axis).")
  Integer channelAxis;

  @Option(names = "--shape-column", paramLabel = "NAME",
      description = "Shape column for --channel-axis, array<int> or array<bigint> (spark.qcal.shape-column; default shape).")
  String shapeColumn;

  @Option(names = "--per-channel-tensors", paramLabel = "REGEX",
      description = "Calibrate per channel only tensors whose whole name matches, e.g. '.*weight' (spark.qcal.per-channel-tensors; default all).")
  String perChannelTensors;

  @Option(names = "--channel-bins",
      description = "Histogram bins per channel (spark.qcal.channel-bins; default 256).")
  Integer channelBins;

  @Mixin SparkOptions sparkOptions = new SparkOptions();

  @Override
  public Integer call() {
    long start = System.nanoTime();
    Settings settings = sparkOptions.settings();
    String inputs = settings.get("input", input == null ? null : String.join(",", input), null);
    String out = settings.get("output", output, null);
    OutputMode mode = settings.getBoolean("overwrite", overwrite) ? OutputMode.OVERWRITE : OutputMode.REFUSE_EXISTING;
    if (inputs == null || inputs.isBlank()) {
      throw JobException.usage("No input given: pass --input PATH[,PATH...] (or spark.qcal.input)");
    }
    if (out == null || out.isBlank()) {
      throw JobException.usage("No output given: pass --output DIR (or spark.qcal.output)");
    }
    Schedule schedule = scheduleOptions.resolve(settings);
    CalibrationOutput.Report report = table.report(settings);
    Calibration job = calibration(settings, inputs, report);
    List<TableFormat> formatList = table.formats(settings);
    FormatOptions options = table.formatOptions(settings);
    PrintWriter err = spec.commandLine().getErr();
    RunOutput.Published published;
    try (Sessions.Handle session = Sessions.start("qcal calibrate", sparkOptions.master, settings)) {
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
              "qcal: calibrated %d tensors (%d values, %d flagged) with %s; wrote %s in %.1f s%n",
              run.summary().tensors(),
              run.summary().values(),
              run.summary().flagged().size(),
              String.join(",", job.methods()),
              published.path(),
              (System.nanoTime() - start) / 1e9);
      reportDrift(published, schedule, spec.commandLine().getOut(), err);
    }
    return published.exitCode().code();
  }

  /** The drift line on stdout and, when the gate tripped, what happened and how to accept. */
  static void reportDrift(RunOutput.Published published, Schedule schedule, PrintWriter out, PrintWriter err) {
    published.driftLine().ifPresent(out::println);
    if (published.exitCode() == ExitCode.DRIFT) {
      err.println(
          "qcal: error: drift over the limit (exit 4): the outputs are written, "
              + (schedule.hasRunId() ? "_LATEST was not moved; " : "")
              + "see drift.json; rerun with a higher --max-drift to accept");
    }
  }

  private Calibration calibration(Settings settings, String inputs, CalibrationOutput.Report report) {
    List<String> methodList = table.methods(settings);
    QuantSpec quant = table.quant(settings);
    Calibration.Builder builder = Calibration.builder();
    if (report == CalibrationOutput.Report.NONE) {
      builder.withoutPlots();
    }
    String merge = settings.get("merge-state", mergeState == null ? null : String.join(",", mergeState), null);
    return builder
        .input(splitList(inputs))
        .methods(methodList)
        .quant(quant)
        .histogramLayout(histogramLayout(settings.get("histogram-layout", histogramLayout, "grid")))
        .mergeState(merge == null ? List.of() : splitList(merge))
        .stateDomains(domains(settings.get("state-domains", stateDomains, null)))
        .keepState()
        .bins(settings.getInt("bins", bins, dev.qcal.core.histogram.HistogramSpec.DEFAULT_BINS))
        .layout(Layout.parse(settings.get("layout", layout, Layout.AUTO.key())))
        .tensorColumn(settings.get("tensor-column", tensorColumn, null))
        .valuesColumn(settings.get("values-column", valuesColumn, null))
        .tensors(settings.get("tensors", tensors, null))
        .chunkValues(settings.getInt("chunk-values", chunkValues, Calibration.DEFAULT_CHUNK_VALUES))
        .reader(dev.qcal.jobs.scan.Reader.parse(settings.get("reader", reader, "auto")))
        .channels(channelSource(settings))
        .perChannelTensors(settings.get("per-channel-tensors", perChannelTensors, null))
        .channelBins(settings.getInt("channel-bins", channelBins, ChannelSpecs.DEFAULT_BINS))
        .build();
  }

  /** Where channels come from, or null for a per-tensor run. */
  private ChannelSource channelSource(Settings settings) {
    String column = settings.get("channel-column", channelColumn, null);
    String axisText = settings.get("channel-axis", channelAxis, null);
    String shape = settings.get("shape-column", shapeColumn, null);
    Integer axis = null;
    if (axisText != null) {
      try {
        axis = Integer.parseInt(axisText.trim());
      } catch (NumberFormatException e) {
        throw JobException.usage("Setting spark.qcal.channel-axis must be an integer, not '" + axisText + "'");
      }
    }
    if (column != null) {
      if (shape != null) {
        throw JobException.usage(
            "Cannot use both --channel-column and --shape-column: give one (a channel column, or a shape column with --channel-axis N)");
      }
      return ChannelSource.column(column, axis == null ? 0 : axis);
    }
    if (axis != null) {
      return ChannelSource.shape(shape, axis);
    }
    if (shape != null || settings.get("per-channel-tensors", perChannelTensors, null) != null) {
      throw JobException.usage(
          "Per-channel options need --channel-axis N (to split rows of a shape column) or --channel-column NAME");
    }
    return null;
  }

  static HistogramLayout histogramLayout(String key) {
    try {
      return HistogramLayout.parse(key);
    } catch (IllegalArgumentException e) {
      throw JobException.usage("Invalid --histogram-layout (spark.qcal.histogram-layout): " + e.getMessage());
    }
  }

  static Set<Domain> domains(String keys) {
    Set<Domain> out = EnumSet.noneOf(Domain.class);
    for (String k : keys == null ? List.<String>of() : splitList(keys)) {
      try {
        out.add(Domain.valueOf(k.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw JobException.usage("Unknown histogram domain '" + k + "' in --state-domains (valid: absolute, signed, log2)");
      }
    }
    return out;
  }

  static List<String> splitList(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  static Scheme scheme(String key) {
    for (Scheme s : Scheme.values()) {
      if (s.key().equalsIgnoreCase(key.trim())) {
        return s;
      }
    }
    List<String> keys = new ArrayList<>();
    Arrays.stream(Scheme.values()).forEach(s -> keys.add(s.key()));
    throw JobException.usage("Unknown scheme '" + key + "' (valid: " + String.join(", ", keys) + ")");
  }

  static List<TableFormat> formats(String keys) {
    try {
      return TableFormat.parse(keys);
    } catch (IllegalArgumentException e) {
      throw JobException.usage(e.getMessage());
    }
  }

  static TensorRtVersion trtVersion(String text) {
    try {
      return TensorRtVersion.parse(text);
    } catch (IllegalArgumentException e) {
      throw JobException.usage(e.getMessage());
    }
  }
}
