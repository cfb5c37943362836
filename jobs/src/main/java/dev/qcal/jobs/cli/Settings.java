package dev.qcal.jobs.cli;

import dev.qcal.jobs.JobException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The values of the settings of one command run. A setting's value is its flag when given; in
 * commands that read keys ({@link SettingRegistry#KEYED_COMMANDS}) it is otherwise its {@code
 * spark.qcal.<name>} key from, in increasing precedence, a properties file ({@code --config}),
 * Spark configuration set before the job started (system properties, as spark-submit passes {@code
 * --conf} and {@code spark-defaults.conf}) and {@code --conf key=value} on the qcal command line;
 * else its default. Job settings are {@code spark.qcal.*} keys so that they survive spark-submit;
 * other {@code spark.*} keys configure the session.
 */
final class Settings {
  private final CommandSpec command;
  private final boolean readsKeys;
  private final Map<String, String> merged = new LinkedHashMap<>();
  private final Map<String, String> effective = new TreeMap<>();

  private Settings(CommandSpec command) {
    this.command = command;
    this.readsKeys = SettingRegistry.readsKeys(command.name());
  }

  /** The settings of {@code command}, after picocli parsed its arguments. */
  static Settings of(CommandSpec command) {
    Settings settings = new Settings(command);
    Map<String, String> merged = settings.merged;
    Path configFile =
        settings.takes(SparkSettings.CONFIG) ? settings.get(SparkSettings.CONFIG) : null;
    if (configFile != null) {
      merged.putAll(load(configFile));
    }
    if (settings.takes(SparkSettings.CONF)) {
      System.getProperties()
          .stringPropertyNames()
          .forEach(
              k -> {
                if (k.startsWith("spark.")) {
                  merged.put(k, System.getProperty(k));
                }
              });
      for (String pair : settings.values(SparkSettings.CONF)) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw JobException.usage("Cannot read --conf '" + pair + "': expected key=value");
        }
        merged.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return settings;
  }

  private static Map<String, String> load(Path file) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw JobException.usage("Configuration file " + file + " does not exist");
    } catch (IOException | IllegalArgumentException e) {
      throw JobException.usage("Cannot read configuration file " + file + ": " + e.getMessage());
    }
    Map<String, String> out = new TreeMap<>();
    for (String k : p.stringPropertyNames()) {
      if (!k.startsWith("spark.")) {
        throw JobException.usage(
            "Configuration file "
                + file
                + " has key '"
                + k
                + "': keys must be spark.qcal.* or spark.*");
      }
      out.put(k, p.getProperty(k).trim());
    }
    return out;
  }

  /** Whether this command takes {@code setting}. */
  boolean takes(Setting<?> setting) {
    return setting.commands().contains(command.name());
  }

  /**
   * The value of {@code setting}: the flag, else (job settings of commands that read keys) the key,
   * else the default; null when there is none.
   *
   * @throws JobException (usage) naming the flag and the key when the text cannot be read, or when
   *     a required setting has no value
   */
  <T> T get(Setting<T> setting) {
    return resolve(setting, true);
  }

  /**
   * The value of {@code setting} when the run gives one (the flag, or the key), ignoring its
   * default: for a command that computes its own (recompute's {@code --bins}).
   */
  <T> T given(Setting<T> setting) {
    return resolve(setting, false);
  }

  /** Every value given to a repeatable flag ({@code --conf}), each as given. */
  List<String> values(Setting<List<String>> setting) {
    check(setting, setting.shape() == Setting.Shape.REPEATED, "get");
    return SettingOptions.flagValues(command, setting);
  }

  private void check(Setting<?> setting, boolean readable, String instead) {
    if (!takes(setting)) {
      throw new IllegalStateException(
          "qcal " + command.name() + " does not take " + setting.flag());
    }
    if (!readable) {
      throw new IllegalStateException("read " + setting.flag() + " with Settings." + instead);
    }
  }

  private <T> T resolve(Setting<T> setting, boolean orDefault) {
    check(setting, setting.shape() != Setting.Shape.REPEATED, "values");
    boolean withKey = readsKeys && setting.keyed();
    String text = SettingOptions.flagText(command, setting);
    if (text == null && withKey) {
      text = merged.get(setting.key());
    }
    if (text == null && orDefault) {
      text = setting.defaultText();
    }
    if (setting.required() && (text == null || text.isBlank())) {
      throw JobException.usage(
          "No "
              + setting.name()
              + " given: pass "
              + setting.usage()
              + (withKey ? " (or " + setting.key() + ")" : ""));
    }
    if (text == null) {
      return null;
    }
    if (withKey) {
      effective.put(setting.key(), text);
    }
    return setting.parse(text, withKey);
  }

  /**
   * Spark keys (not spark.qcal.*) from the file, Spark's configuration and --conf, for the session.
   */
  Map<String, String> sparkOptions() {
    Map<String, String> out = new LinkedHashMap<>();
    merged.forEach(
        (k, v) -> {
          if (!k.startsWith(Setting.KEY_PREFIX)) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** The job settings as resolved so far, by key (for summary.json). */
  Map<String, String> effective() {
    return new TreeMap<>(effective);
  }
}
