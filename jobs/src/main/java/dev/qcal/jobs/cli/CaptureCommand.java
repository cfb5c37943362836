package dev.qcal.jobs.cli;

import static dev.qcal.jobs.cli.DumpWritingSettings.CAPTURE_TENSORS;
import static dev.qcal.jobs.cli.DumpWritingSettings.DUMP_OVERWRITE;
import static dev.qcal.jobs.cli.DumpWritingSettings.VALUES_PER_ROW;
import static dev.qcal.jobs.cli.InputOutputSettings.CAPTURE_INPUTS;
import static dev.qcal.jobs.cli.InputOutputSettings.CAPTURE_MODEL;
import static dev.qcal.jobs.cli.InputOutputSettings.OUTPUT;
import static dev.qcal.jobs.cli.QdqSettings.OPS;
import static dev.qcal.jobs.cli.SparkSettings.MASTER;

import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.capture.Capture;
import dev.qcal.jobs.capture.CaptureSelection;
import dev.qcal.jobs.output.OutputDirectory;
import dev.qcal.jobs.output.OutputMode;
import dev.qcal.onnx.qdq.WeightGranularity;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code qcal capture}: the activations of an ONNX model over a dataset of its inputs, computed
 * with ONNX Runtime on the executors and written as a long-layout dump. The output, the model, the
 * tensors and the dataset's columns are checked before Spark starts.
 */
@Command(
    name = SettingRegistry.CAPTURE,
    description =
        "Run an ONNX model over a Parquet dataset of its inputs and write its activations as a"
            + " dump.",
    modelTransformer = SettingOptions.class)
final class CaptureCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    long start = System.nanoTime();
    Settings settings = Settings.of(spec);
    CaptureSelection selection = selection(settings);
    Configuration conf = Sessions.hadoopConfiguration(settings);
    OutputDirectory out =
        OutputDirectory.open(
            settings.get(OUTPUT),
            settings.get(DUMP_OVERWRITE) ? OutputMode.OVERWRITE : OutputMode.REFUSE_EXISTING,
            conf);
    Capture capture =
        Capture.plan(
            settings.get(CAPTURE_MODEL),
            settings.get(CAPTURE_INPUTS),
            selection,
            settings.get(VALUES_PER_ROW),
            conf);
    PrintWriter err = spec.commandLine().getErr();
    if (!capture.skipped().isEmpty()) {
      err.println(
          "qcal: warning: not captured, not FLOAT tensors: "
              + String.join(", ", capture.skipped()));
    }
    Capture.Result result;
    try (Sessions.Handle session = Sessions.start("qcal capture", settings.get(MASTER), settings)) {
      result = capture.run(session.spark(), out);
    }
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "qcal: captured %d tensors (%d values) over %d dataset rows; wrote %s in %.1f s%n",
            result.tensors().size(),
            result.values(),
            result.rows(),
            result.path(),
            (System.nanoTime() - start) / 1e9);
    return ExitCode.OK.code();
  }

  /**
   * By default the inputs qdq quantizes on --ops (so the table holds what qdq reads), else
   * --tensors.
   */
  private static CaptureSelection selection(Settings settings) {
    String regex = settings.get(CAPTURE_TENSORS);
    if (regex == null) {
      return CaptureSelection.quantizedBy(
          QdqCommand.options(settings.get(OPS), WeightGranularity.PER_CHANNEL));
    }
    if (settings.given(OPS) != null) {
      throw JobException.usage(
          "Give --tensors REGEX or --ops, not both: --ops picks the inputs qdq quantizes, --tensors"
              + " any activations by name");
    }
    return CaptureSelection.matching(regex);
  }
}
