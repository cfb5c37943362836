package dev.qcal.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The commands, and every setting of every command in the order help lists them. Each setting is
 * declared once, in the class of its area: {@link InputOutputSettings}, {@link
 * CalibrationSettings}, {@link DumpSettings}, {@link DumpWritingSettings}, {@link SparkSettings},
 * {@link QdqSettings}. A command's options are the settings that name it in {@code takenBy}; see
 * {@code package-info} for how to add a setting or a command.
 */
final class SettingRegistry {
  /** {@code qcal calibrate}. */
  static final String CALIBRATE = "calibrate";

  /** {@code qcal recompute}. */
  static final String RECOMPUTE = "recompute";

  /** {@code qcal histogram}. */
  static final String HISTOGRAM = "histogram";

  /** {@code qcal generate}. */
  static final String GENERATE = "generate";

  /** {@code qcal qdq}. */
  static final String QDQ = "qdq";

  /** {@code qcal capture}. */
  static final String CAPTURE = "capture";

  /** {@code qcal sensitivity}. */
  static final String SENSITIVITY = "sensitivity";

  /**
   * The commands that also read their settings from {@code spark.qcal.*} keys (a {@code --config}
   * file, Spark's configuration, {@code --conf}); the others take flags only.
   */
  static final Set<String> KEYED_COMMANDS = Set.of(CALIBRATE, RECOMPUTE);

  /** Every setting, area by area, each in declaration order: the order of help. */
  static final List<Setting<?>> ALL =
      Stream.of(
              InputOutputSettings.ALL,
              CalibrationSettings.ALL,
              DumpSettings.ALL,
              DumpWritingSettings.ALL,
              SparkSettings.ALL,
              QdqSettings.ALL)
          .flatMap(List::stream)
          .toList();

  private SettingRegistry() {}

  /** The settings {@code command} takes, in help order. */
  static List<Setting<?>> of(String command) {
    List<Setting<?>> out = new ArrayList<>();
    for (Setting<?> s : ALL) {
      if (s.commands().contains(command)) {
        out.add(s);
      }
    }
    return out;
  }

  /** Whether {@code command} reads {@code spark.qcal.*} keys as well as flags. */
  static boolean readsKeys(String command) {
    return KEYED_COMMANDS.contains(command);
  }

  /** The job settings: those with a {@code spark.qcal.*} key. */
  static List<Setting<?>> keyed() {
    return ALL.stream().filter(Setting::keyed).toList();
  }
}
