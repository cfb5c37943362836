/**
 * The command line: picocli commands ({@link dev.qcal.jobs.cli.Commands} and one class per
 * subcommand) over the jobs, and the settings they read.
 *
 * <p><b>Settings are declared once.</b> Every option of every command is a {@link
 * dev.qcal.jobs.cli.Setting} declared in the class of its area ({@code InputOutputSettings}, {@code
 * CalibrationSettings}, {@code DumpSettings}, {@code DumpWritingSettings}, {@code SparkSettings},
 * {@code QdqSettings}), which {@link dev.qcal.jobs.cli.SettingRegistry} lists in help order: name,
 * parser, default, help text, the commands that take it, and whether it is also a {@code
 * spark.qcal.<name>} key. {@link dev.qcal.jobs.cli.SettingOptions} (a picocli model transformer)
 * makes a command's options, help and one-line usage from it; {@link dev.qcal.jobs.cli.Settings}
 * finds a value (flag, else key: {@code --conf} over Spark's configuration over the {@code
 * --config} file, else default), parses it with errors naming the flag and the key, and records the
 * effective job settings for {@code summary.json}. {@code docs/settings.md}'s table, {@code
 * conf/qcal.properties} and the usage synopses of docs/operating.md are checked against the
 * registry by {@code SettingsDocsTest}.
 *
 * <p><b>To add a setting:</b> declare it in its area class beside its kin ({@code
 * Setting.integer("window", "N").keyed().byDefault("128").help("Bins per search
 * window").takenBy(CALIBRATE)} inside {@code AREA.declare(...)}); read it with {@code
 * settings.get(WINDOW)} where the command builds its job; for a keyed one, add it to {@code
 * conf/qcal.properties}, regenerate the table ({@code -Dqcal.docs.update=true} on {@code
 * SettingsDocsTest}) and add it to docs/operating.md's synopsis.
 *
 * <p><b>To add a command:</b> add its name to {@code SettingRegistry}; write {@code @Command(name =
 * SettingRegistry.QDQ, description = "...", modelTransformer = SettingOptions.class)} on a {@code
 * Callable<Integer>} with {@code @Spec CommandSpec spec} whose {@code call()} starts with {@code
 * Settings settings = Settings.of(spec)}; list it in {@code Commands}; name it in {@code takenBy}
 * of the settings it shares and declare its own. It reads flags only unless listed in {@code
 * KEYED_COMMANDS}. Usage errors are {@code JobException.usage} (exit 2), unreadable input {@code
 * JobException.input} (exit 3). Show it in the README or a docs/ page with a command {@code
 * ReadmeCommandsTest} runs. {@code docs/settings.md} says the same with examples.
 */
package dev.qcal.jobs.cli;
