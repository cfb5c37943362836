package dev.qcal.jobs.cli;

import static dev.qcal.jobs.cli.SettingRegistry.CALIBRATE;
import static dev.qcal.jobs.cli.SettingRegistry.CAPTURE;
import static dev.qcal.jobs.cli.SettingRegistry.GENERATE;
import static dev.qcal.jobs.cli.SettingRegistry.RECOMPUTE;
import static dev.qcal.jobs.cli.SettingRegistry.SENSITIVITY;

import java.nio.file.Path;
import java.util.List;

/**
 * Where Spark runs and where settings come from (read by {@link Settings} before any other
 * setting).
 */
final class SparkSettings {
  private static final SettingGroup AREA = new SettingGroup();

  static final Setting<String> MASTER =
      AREA.declare(
          Setting.text("master", "URL")
              .defaultHelp("spark-submit's, else local[*]")
              .help("Spark master URL")
              .takenBy(CALIBRATE, RECOMPUTE, CAPTURE, SENSITIVITY, GENERATE));

  static final Setting<List<String>> CONF =
      AREA.declare(
          Setting.repeated("conf", "KEY=VALUE")
              .help(
                  "A Spark setting, or for calibrate and recompute a spark.qcal.* key; repeatable")
              .takenBy(CALIBRATE, RECOMPUTE, CAPTURE, SENSITIVITY, GENERATE));

  static final Setting<Path> CONFIG =
      AREA.declare(
          Setting.of("config", "FILE", Path::of)
              .help(
                  "A properties file of spark.qcal.* and spark.* keys (e.g. conf/qcal.properties)")
              .takenBy(CALIBRATE, RECOMPUTE, CAPTURE, SENSITIVITY, GENERATE));

  /** This area's settings, in declaration order. */
  static final List<Setting<?>> ALL = AREA.all();

  private SparkSettings() {}
}
