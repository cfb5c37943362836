package dev.qcal.jobs.cli;

import static dev.qcal.jobs.cli.DumpWritingSettings.DUMP_OVERWRITE;
import static dev.qcal.jobs.cli.InputOutputSettings.CAPTURE_INPUTS;
import static dev.qcal.jobs.cli.InputOutputSettings.CAPTURE_MODEL;
import static dev.qcal.jobs.cli.InputOutputSettings.OUTPUT;
import static dev.qcal.jobs.cli.QdqSettings.METHOD;
import static dev.qcal.jobs.cli.QdqSettings.OPS;
import static dev.qcal.jobs.cli.QdqSettings.QDQ_SCHEME;
import static dev.qcal.jobs.cli.QdqSettings.SAMPLES;
import static dev.qcal.jobs.cli.QdqSettings.TABLE;
import static dev.qcal.jobs.cli.QdqSettings.WEIGHTS;
import static dev.qcal.jobs.cli.SparkSettings.MASTER;

import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.capture.Sensitivity;
import dev.qcal.jobs.output.OutputDirectory;
import dev.qcal.jobs.output.OutputMode;
import dev.qcal.onnx.qdq.ActivationScales;
import dev.qcal.onnx.qdq.QdqOptions;
import dev.qcal.onnx.sensitivity.NodeSensitivity;
import dev.qcal.onnx.sensitivity.SensitivityReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code qcal sensitivity}: quantizes each node qdq would quantize alone, runs each such model and
 * the float one with ONNX Runtime on the executors over a sample of the dataset, and writes the
 * nodes ranked by the output SQNR they leave ({@link Sensitivity}); prints the worst and the {@code
 * qdq --keep-float-from} flags it suggests. Everything is checked before Spark starts.
 */
@Command(
    name = SettingRegistry.SENSITIVITY,
    description =
        "Measure what quantizing each node alone costs an ONNX model's output, and rank the nodes"
            + " for qdq --keep-float-from.",
    modelTransformer = SettingOptions.class)
final class SensitivityCommand implements Callable<Integer> {
  /** How many of the worst nodes the command prints. */
  private static final int PRINTED = 5;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    long start = System.nanoTime();
    Settings settings = Settings.of(spec);
    Configuration conf = Sessions.hadoopConfiguration(settings);
    QdqOptions options = QdqCommand.options(settings.get(OPS), settings.get(WEIGHTS));
    Path table = settings.get(TABLE);
    ActivationScales scales =
        QdqCommand.scales(table, settings.get(METHOD), settings.get(QDQ_SCHEME));
    OutputDirectory out =
        OutputDirectory.open(
            settings.get(OUTPUT),
            settings.get(DUMP_OVERWRITE) ? OutputMode.OVERWRITE : OutputMode.REFUSE_EXISTING,
            conf);
    Sensitivity sensitivity =
        Sensitivity.plan(
            settings.get(CAPTURE_MODEL),
            table.toString(),
            scales,
            options,
            settings.get(CAPTURE_INPUTS),
            settings.get(SAMPLES),
            conf);
    PrintWriter err = spec.commandLine().getErr();
    if (sensitivity.unnamed() > 0) {
      err.printf(
          "qcal: warning: %d quantized nodes have no name (NodeProto.name) and are not measured:"
              + " --keep-float cannot name them%n",
          sensitivity.unnamed());
    }
    SensitivityReport report;
    try (Sessions.Handle session =
        Sessions.start("qcal sensitivity", settings.get(MASTER), settings)) {
      report = sensitivity.run(session.spark(), out);
    }
    // The directory as given, so that the suggested command reads the report where it was written.
    print(report, settings.get(OUTPUT), settings, (System.nanoTime() - start) / 1e9);
    return ExitCode.OK.code();
  }

  private void print(SensitivityReport report, String dir, Settings settings, double seconds) {
    PrintWriter o = spec.commandLine().getOut();
    String json = (dir.endsWith("/") ? dir : dir + "/") + Sensitivity.JSON_FILE;
    o.printf(
        Locale.ROOT,
        "qcal: measured %d nodes one at a time over %d dataset rows (method %s; every node"
            + " quantized: output SQNR %.2f dB); wrote %s in %.1f s%n",
        report.nodes().size(),
        report.samples(),
        report.method(),
        report.allQuantizedDb(),
        json,
        seconds);
    List<NodeSensitivity> worst =
        report.nodes().subList(0, Math.min(PRINTED, report.nodes().size()));
    for (int i = 0; i < worst.size(); i++) {
      NodeSensitivity s = worst.get(i);
      o.printf(
          Locale.ROOT,
          "  %d. %s (%s): output SQNR %.2f dB alone, %.0f %% of the full model's noise%n",
          i + 1,
          s.node(),
          s.op(),
          s.sqnrDb(),
          100 * report.noiseShare(s));
    }
    int suggested = report.suggested();
    if (suggested == 0) {
      o.printf(
          Locale.ROOT,
          "qcal: no node alone causes %.0f %% of the quantized model's output noise: none to keep"
              + " float%n",
          100 * SensitivityReport.SUGGESTED_SHARE);
    } else {
      o.printf(
          Locale.ROOT,
          "qcal: suggested: qcal qdq --model %s --table %s --method %s --keep-float-from %s"
              + " --keep-float-worst %d --output MODEL.qdq.onnx%n",
          settings.get(CAPTURE_MODEL),
          settings.get(TABLE),
          report.method(),
          json,
          suggested);
    }
  }
}
