package dev.qcal.jobs.cli;

import static dev.qcal.jobs.cli.CalibrationSettings.BITS;
import static dev.qcal.jobs.cli.CalibrationSettings.NO_REPORT;
import static dev.qcal.jobs.cli.CalibrationSettings.SCHEME;
import static dev.qcal.jobs.cli.CalibrationSettings.TRT_VERSION;
import static dev.qcal.jobs.cli.InputOutputSettings.BASELINE;
import static dev.qcal.jobs.cli.InputOutputSettings.MAX_DRIFT;
import static dev.qcal.jobs.cli.InputOutputSettings.OVERWRITE;
import static dev.qcal.jobs.cli.InputOutputSettings.RUN_ID;

import dev.qcal.core.io.FormatOptions;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.ScaleRounding;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.Version;
import dev.qcal.jobs.output.CalibrationOutput;
import dev.qcal.jobs.output.OutputMode;
import dev.qcal.jobs.output.Schedule;

/**
 * What the commands that write a calibration table derive alike from their settings: the quantizer,
 * how the output is written and scheduled, the report and the writers' options.
 */
final class TableSettings {
  private TableSettings() {}

  /** The quantizer of {@code --scheme} and {@code --bits}. */
  static QuantSpec quant(Settings settings) {
    try {
      return new QuantSpec(settings.get(BITS), settings.get(SCHEME), ScaleRounding.EXACT);
    } catch (IllegalArgumentException e) {
      throw JobException.usage(e.getMessage());
    }
  }

  /** Whether an existing output is replaced ({@code --overwrite}) or refused. */
  static OutputMode outputMode(Settings settings) {
    return settings.get(OVERWRITE) ? OutputMode.OVERWRITE : OutputMode.REFUSE_EXISTING;
  }

  /** The run id and the drift gate, validated before any Spark session. */
  static Schedule schedule(Settings settings) {
    return new Schedule(settings.get(RUN_ID), settings.get(BASELINE), settings.get(MAX_DRIFT));
  }

  /** Whether report.html is written. */
  static CalibrationOutput.Report report(Settings settings) {
    return settings.get(NO_REPORT) ? CalibrationOutput.Report.NONE : CalibrationOutput.Report.HTML;
  }

  /** The writers' options (TensorRT version, producer). */
  static FormatOptions formatOptions(Settings settings) {
    return FormatOptions.defaults()
        .withTensorRtVersion(settings.get(TRT_VERSION))
        .withProducerVersion(Version.qcal());
  }
}
