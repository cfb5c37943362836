package dev.qcal.jobs.cli;

import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.generate.DumpGenerator;
import dev.qcal.jobs.read.Layout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SaveMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qcal generate}: a seeded synthetic dump, written by a Spark job. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Write a seeded synthetic activation dump (Parquet) for tests and benchmarks.",
    sortOptions = false)
final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output directory.")
  String output;

  @Option(names = "--tensors", required = true, description = "Number of tensors.")
  int tensors;

  @Option(names = "--values", required = true, description = "Values per tensor.")
  long values;

  @Option(names = "--layout", defaultValue = "long", description = "long, scalar or wide (default long).")
  String layout;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default 1).")
  long seed;

  @Option(names = "--values-per-row", defaultValue = "16384", description = "Values per row of the long layout (default 16384).")
  int valuesPerRow;

  @Option(names = "--files", defaultValue = "0", description = "Parquet files to write (default: about 64 MB each).")
  int files;

  @Option(names = "--double", description = "Write float64 values instead of float32.")
  boolean doubles;

  @Option(names = "--overwrite", description = "Replace an existing output directory.")
  boolean overwrite;

  @Option(names = "--master", description = "Spark master URL (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting.")
  List<String> conf = new ArrayList<>();

  @Option(names = "--config", paramLabel = "FILE", description = "A properties file of spark.* keys.")
  Path config;

  @Override
  public Integer call() {
    DumpGenerator generator =
        new DumpGenerator(tensors, values, Layout.parse(layout), seed, valuesPerRow, files, doubles);
    Settings settings = new Settings(config, conf);
    try (Sessions.Handle session = Sessions.start("qcal generate", master, settings)) {
      if (!overwrite) {
        // Checked up front: Spark's own ErrorIfExists failure is a checked Scala exception.
        dev.qcal.jobs.output.OutputDirectory.open(
            output,
            dev.qcal.jobs.output.OutputMode.REFUSE_EXISTING,
            session.spark().sparkContext().hadoopConfiguration());
      }
      generator.write(session.spark(), output, overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists);
    }
    spec.commandLine()
        .getOut()
        .printf("qcal: wrote %d tensors x %d values (%s layout, seed %d) to %s%n", tensors, values, layout, seed, output);
    return ExitCode.OK.code();
  }
}
