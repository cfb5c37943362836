package dev.qcal.jobs.cli;

import static dev.qcal.jobs.cli.SettingRegistry.CAPTURE;
import static dev.qcal.jobs.cli.SettingRegistry.GENERATE;
import static dev.qcal.jobs.cli.SettingRegistry.SENSITIVITY;

import dev.qcal.jobs.dump.Layout;
import java.util.List;

/** The commands that write a dump: {@code capture} (a model's activations) and {@code generate}. */
final class DumpWritingSettings {
  private static final SettingGroup AREA = new SettingGroup();

  // capture: an ONNX model's activations over a dataset of its inputs, as a dump.

  static final Setting<String> CAPTURE_TENSORS =
      AREA.declare(
          Setting.text("tensors", "REGEX")
              .defaultHelp("the inputs qdq quantizes on --ops")
              .help(
                  "Capture instead the activations whose whole ONNX tensor name matches this Java"
                      + " regex (not with --ops)")
              .takenBy(CAPTURE));

  // generate: a synthetic dump.

  static final Setting<Integer> DUMP_TENSORS =
      AREA.declare(
          Setting.integer("tensors", "N").required().help("Number of tensors").takenBy(GENERATE));

  static final Setting<Long> DUMP_VALUES =
      AREA.declare(
          Setting.longInteger("values", "N")
              .required()
              .help("Values per tensor")
              .takenBy(GENERATE));

  static final Setting<Layout> DUMP_LAYOUT =
      AREA.declare(
          Setting.of("layout", "LAYOUT", Layout::parse)
              .byDefault("long")
              .help("long, scalar or wide")
              .takenBy(GENERATE));

  static final Setting<Long> SEED =
      AREA.declare(
          Setting.longInteger("seed", "S")
              .byDefault("1")
              .help("Seed of the dump")
              .takenBy(GENERATE));

  static final Setting<Integer> VALUES_PER_ROW =
      AREA.declare(
          Setting.integer("values-per-row", "N")
              .byDefault("16384")
              .help("Values per row of the long layout")
              .takenBy(CAPTURE, GENERATE));

  static final Setting<Integer> DUMP_FILES =
      AREA.declare(
          Setting.integer("files", "N")
              .byDefault("0")
              .defaultHelp("about 64 MB each")
              .help("Parquet files to write")
              .takenBy(GENERATE));

  static final Setting<Boolean> DOUBLE =
      AREA.declare(
          Setting.flag("double").help("Write float64 values instead of float32").takenBy(GENERATE));

  static final Setting<Boolean> DUMP_OVERWRITE =
      AREA.declare(
          Setting.flag("overwrite")
              .help("Replace an existing output directory")
              .takenBy(CAPTURE, SENSITIVITY, GENERATE));

  /** This area's settings, in declaration order. */
  static final List<Setting<?>> ALL = AREA.all();

  private DumpWritingSettings() {}
}
