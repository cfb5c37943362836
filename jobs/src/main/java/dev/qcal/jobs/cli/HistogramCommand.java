package dev.qcal.jobs.cli;

import static dev.qcal.jobs.cli.CalibrationSettings.METHODS;
import static dev.qcal.jobs.cli.InputOutputSettings.HISTOGRAM_FILE;

import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.io.HistogramJson;
import dev.qcal.core.io.InputFormatException;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.JobException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code qcal histogram}: the calibration table of histograms given as JSON, printed to stdout as
 * canonical calibration JSON. No Spark is started: this is the bridge for histograms collected
 * elsewhere (a training loop, another tool).
 */
@Command(
    name = SettingRegistry.HISTOGRAM,
    description = "Calibrate histograms from a JSON file and print calibration JSON (no Spark).",
    modelTransformer = SettingOptions.class)
final class HistogramCommand implements Callable<Integer> {
  /** Where the JSON goes; System.out unless a test redirects it. */
  static PrintStream stdout = System.out;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Settings settings = Settings.of(spec);
    Path input = settings.get(HISTOGRAM_FILE);
    List<String> keys = settings.get(METHODS);
    QuantSpec quant = TableSettings.quant(settings);
    TensorCalibrator calibrator;
    try {
      calibrator = new TensorCalibrator(keys, quant);
    } catch (IllegalArgumentException e) {
      throw JobException.usage(e.getMessage());
    }
    Map<String, TensorStatistics> histograms;
    try (InputStream in = Files.newInputStream(input)) {
      histograms = HistogramJson.read(in, input.toString());
    } catch (NoSuchFileException e) {
      throw JobException.input("Histogram file " + input + " does not exist");
    } catch (InputFormatException e) {
      // A malformed histogram file is a usage error of this command (exit 2), like a bad flag: the
      // user wrote the file for qcal; a missing file is an input error (exit 3), as for calibrate.
      throw JobException.usage(e.getMessage());
    } catch (IOException e) {
      throw JobException.input("Cannot read histogram file " + input + ": " + e.getMessage(), e);
    }
    // Another tool's histogram may lack what a method needs (a domain, whole counts): say so, exit
    // 2.
    histograms.forEach(
        (name, stats) ->
            calibrator
                .inputProblem("tensor '" + name + "' in " + input, stats)
                .ifPresent(
                    m -> {
                      throw JobException.usage(m);
                    }));
    List<TensorCalibration> rows = new ArrayList<>();
    histograms.forEach((name, stats) -> rows.add(calibrator.calibrate(name, stats)));
    CalibrationTable table = CalibrationTable.of(rows, keys, quant);
    OutputStream out = stdout;
    CalibrationJson.write(table, out);
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ExitCode.OK.code();
  }
}
