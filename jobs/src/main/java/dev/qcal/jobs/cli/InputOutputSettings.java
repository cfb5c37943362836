package dev.qcal.jobs.cli;

import static dev.qcal.jobs.cli.SettingRegistry.CALIBRATE;
import static dev.qcal.jobs.cli.SettingRegistry.CAPTURE;
import static dev.qcal.jobs.cli.SettingRegistry.GENERATE;
import static dev.qcal.jobs.cli.SettingRegistry.HISTOGRAM;
import static dev.qcal.jobs.cli.SettingRegistry.RECOMPUTE;
import static dev.qcal.jobs.cli.SettingRegistry.SENSITIVITY;

import dev.qcal.jobs.output.Schedule;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Where a run reads and writes, and the settings of scheduled runs (run ids, baseline, drift gate).
 */
final class InputOutputSettings {
  private static final SettingGroup AREA = new SettingGroup();

  // Where a run reads and writes.

  static final Setting<List<String>> INPUT =
      AREA.declare(
          Setting.list("input", "PATH")
              .keyed()
              .required()
              .help("Parquet files, directories or globs, any Hadoop file system")
              .takenBy(CALIBRATE));

  static final Setting<List<String>> STATE =
      AREA.declare(
          Setting.list("state", "DIR")
              .keyed()
              .required()
              .help("Output directories of earlier runs (or their state/), any Hadoop file system")
              .takenBy(RECOMPUTE));

  static final Setting<Path> HISTOGRAM_FILE =
      AREA.declare(
          Setting.of("input", "FILE.json", Path::of)
              .required()
              .help("Histogram JSON file")
              .takenBy(HISTOGRAM));

  static final Setting<String> CAPTURE_MODEL =
      AREA.declare(
          Setting.text("model", "MODEL.onnx")
              .required()
              .help("The float ONNX model, any Hadoop file system path")
              .takenBy(CAPTURE, SENSITIVITY));

  static final Setting<List<String>> CAPTURE_INPUTS =
      AREA.declare(
          Setting.list("inputs", "PATH")
              .required()
              .help(
                  "The dataset: Parquet files, directories or globs with a column per model input"
                      + " (docs/onnx-models.md, Capturing)")
              .takenBy(CAPTURE, SENSITIVITY));

  static final Setting<String> OUTPUT =
      AREA.declare(
          Setting.text("output", "DIR")
              .keyed()
              .required()
              .help("Output directory")
              .takenBy(CALIBRATE, RECOMPUTE, CAPTURE, SENSITIVITY, GENERATE));

  static final Setting<Boolean> OVERWRITE =
      AREA.declare(
          Setting.flag("overwrite")
              .keyed()
              .help("Replace an existing output directory")
              .takenBy(CALIBRATE, RECOMPUTE));

  // Scheduled runs.

  static final Setting<String> RUN_ID =
      AREA.declare(
          Setting.text("run-id", "ID")
              .keyed()
              .help(
                  "Write under OUTPUT/run_id=ID/ (a rerun of the same id replaces it) and move"
                      + " OUTPUT/_LATEST to it on success; letters, digits, '.', '_', '-'")
              .takenBy(CALIBRATE, RECOMPUTE));

  static final Setting<String> BASELINE =
      AREA.declare(
          Setting.text("baseline", "PATH|latest")
              .keyed()
              .help(
                  "Compare with an earlier table: its calibration.json, its run directory, or"
                      + " 'latest' (the run OUTPUT/_LATEST names; needs --run-id); writes"
                      + " drift.json")
              .takenBy(CALIBRATE, RECOMPUTE));

  static final Setting<OptionalDouble> MAX_DRIFT =
      AREA.declare(
          Setting.of("max-drift", "FRACTION", Schedule::parseMaxDrift)
              .keyed()
              .defaultHelp("report only")
              .help(
                  "Exit 4 (outputs written, _LATEST not moved) if a tensor's relative change"
                      + " exceeds this, e.g. 0.10")
              .takenBy(CALIBRATE, RECOMPUTE));

  /** This area's settings, in declaration order. */
  static final List<Setting<?>> ALL = AREA.all();

  private InputOutputSettings() {}
}
