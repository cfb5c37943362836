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

/**
 * The job's settings from every source, in increasing precedence: a properties file ({@code
 * --config}), Spark configuration set before the job started (system properties, as spark-submit
 * passes {@code --conf} and {@code spark-defaults.conf}), {@code --conf key=value} on the qcal
 * command line, and finally the flags. Job settings are {@code spark.qcal.<name>} keys, so they
 * survive spark-submit; other {@code spark.*} keys configure the session.
 */
final class Settings {
  static final String PREFIX = "spark.qcal.";

  private final Map<String, String> merged = new LinkedHashMap<>();
  private final Map<String, String> effective = new TreeMap<>();

  Settings(Path configFile, List<String> confPairs) {
    if (configFile != null) {
      merged.putAll(load(configFile));
    }
    System.getProperties()
        .stringPropertyNames()
        .forEach(
            k -> {
              if (k.startsWith("spark.")) {
                merged.put(k, System.getProperty(k));
              }
            });
    for (String pair : confPairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw JobException.usage("Cannot read --conf '" + pair + "': expected key=value");
      }
      merged.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
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
            "Configuration file " + file + " has key '" + k + "': keys must be spark.qcal.* or spark.*");
      }
      out.put(k, p.getProperty(k).trim());
    }
    return out;
  }

  /** Setting {@code name}: the flag when given, else {@code spark.qcal.<name>}, else the default. */
  String get(String name, Object flag, String defaultValue) {
    String value = flag != null ? flag.toString() : merged.getOrDefault(PREFIX + name, defaultValue);
    if (value != null) {
      effective.put(PREFIX + name, value);
    }
    return value;
  }

  /** An integer setting. */
  int getInt(String name, Integer flag, int defaultValue) {
    String v = get(name, flag, Integer.toString(defaultValue));
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw JobException.usage("Setting " + PREFIX + name + " must be an integer, not '" + v + "'");
    }
  }

  /** A boolean setting. */
  boolean getBoolean(String name, Boolean flag) {
    String v = get(name, flag, "false").trim();
    if (!v.equals("true") && !v.equals("false")) {
      throw JobException.usage("Setting " + PREFIX + name + " must be true or false, not '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  /** A Spark (non-job) key as configured, or null. */
  String spark(String key) {
    return merged.get(key);
  }

  /** Spark keys (not spark.qcal.*) from the file and --conf, to configure the session. */
  Map<String, String> sparkOptions() {
    Map<String, String> out = new LinkedHashMap<>();
    merged.forEach(
        (k, v) -> {
          if (!k.startsWith(PREFIX)) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** The job settings as resolved so far (for summary.json). */
  Map<String, String> effective() {
    return new TreeMap<>(effective);
  }
}
