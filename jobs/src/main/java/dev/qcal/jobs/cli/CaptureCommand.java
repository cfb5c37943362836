package dev.qcal.jobs.cli;

import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.capture.Capture;
import dev.qcal.jobs.output.OutputDirectory;
import dev.qcal.jobs.output.OutputMode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qcal capture}: the activations of an ONNX model over a dataset of its inputs, computed
 * with ONNX Runtime on the executors and written as a long-layout dump. The model, the tensors and
 * the dataset's columns are checked before Spark starts.
 */
@Command(
    name = "capture",
    mixinStandardHelpOptions = true,
    description = "Run an ONNX model over a Parquet dataset of its inputs and write its activations as a dump.",
    sortOptions = false)
final class CaptureCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL.onnx", description = "The ONNX model, any Hadoop file system path.")
  String model;

  @Option(names = "--inputs", required = true, split = ",", paramLabel = "PATH",
      description = "The dataset: Parquet files, directories or globs with a column per model input (see the README).")
  List<String> inputs;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output directory: the dump.")
  String output;

  @Option(names = "--overwrite", description = "Replace an existing output directory.")
  boolean overwrite;

  @Option(names = "--tensors", paramLabel = "REGEX", description = "Capture the activations whose whole ONNX tensor name matches.")
  String tensors;

  @Option(names = "--values-per-row", defaultValue = "" + Capture.DEFAULT_VALUES_PER_ROW,
      description = "Most values in one dump row (default 16384).")
  int valuesPerRow;

  @Mixin SparkOptions sparkOptions = new SparkOptions();

  @Override
  public Integer call() {
    long start = System.nanoTime();
    Settings settings = sparkOptions.settings();
    Configuration conf = Sessions.hadoopConfiguration(settings);
    OutputDirectory out =
        OutputDirectory.open(output, overwrite ? OutputMode.OVERWRITE : OutputMode.REFUSE_EXISTING, conf);
    Capture capture = Capture.plan(model, inputs, tensors, valuesPerRow, conf);
    PrintWriter err = spec.commandLine().getErr();
    if (!capture.skipped().isEmpty()) {
      err.println("qcal: warning: not captured, not FLOAT tensors: " + String.join(", ", capture.skipped()));
    }
    Capture.Result result;
    try (Sessions.Handle session = Sessions.start("qcal capture", sparkOptions.master, settings)) {
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
}
