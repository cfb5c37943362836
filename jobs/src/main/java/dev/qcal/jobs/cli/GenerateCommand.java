package dev.qcal.jobs.cli;

import static dev.qcal.jobs.cli.DumpWritingSettings.DOUBLE;
import static dev.qcal.jobs.cli.DumpWritingSettings.DUMP_FILES;
import static dev.qcal.jobs.cli.DumpWritingSettings.DUMP_LAYOUT;
import static dev.qcal.jobs.cli.DumpWritingSettings.DUMP_OVERWRITE;
import static dev.qcal.jobs.cli.DumpWritingSettings.DUMP_TENSORS;
import static dev.qcal.jobs.cli.DumpWritingSettings.DUMP_VALUES;
import static dev.qcal.jobs.cli.DumpWritingSettings.SEED;
import static dev.qcal.jobs.cli.DumpWritingSettings.VALUES_PER_ROW;
import static dev.qcal.jobs.cli.InputOutputSettings.OUTPUT;
import static dev.qcal.jobs.cli.SparkSettings.MASTER;

import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.dump.Layout;
import dev.qcal.jobs.generate.DumpGenerator;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SaveMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code qcal generate}: a seeded synthetic dump, written by a Spark job. */
@Command(
    name = SettingRegistry.GENERATE,
    description = "Write a seeded synthetic activation dump (Parquet) for tests and benchmarks.",
    modelTransformer = SettingOptions.class)
final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Settings settings = Settings.of(spec);
    String output = settings.get(OUTPUT);
    int tensors = settings.get(DUMP_TENSORS);
    long values = settings.get(DUMP_VALUES);
    Layout layout = settings.get(DUMP_LAYOUT);
    long seed = settings.get(SEED);
    boolean overwrite = settings.get(DUMP_OVERWRITE);
    DumpGenerator generator =
        new DumpGenerator(
            tensors,
            values,
            layout,
            seed,
            settings.get(VALUES_PER_ROW),
            settings.get(DUMP_FILES),
            settings.get(DOUBLE));
    try (Sessions.Handle session =
        Sessions.start("qcal generate", settings.get(MASTER), settings)) {
      if (!overwrite) {
        // Checked up front: Spark's own ErrorIfExists failure is a checked Scala exception.
        dev.qcal.jobs.output.OutputDirectory.open(
            output,
            dev.qcal.jobs.output.OutputMode.REFUSE_EXISTING,
            session.spark().sparkContext().hadoopConfiguration());
      }
      generator.write(
          session.spark(), output, overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists);
    }
    spec.commandLine()
        .getOut()
        .printf(
            "qcal: wrote %d tensors x %d values (%s layout, seed %d) to %s%n",
            tensors, values, layout.key(), seed, output);
    return ExitCode.OK.code();
  }
}
