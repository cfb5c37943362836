package dev.qcal.jobs.dump;

import dev.qcal.jobs.JobException;
import java.util.Locale;

/** How a dump stores its values; see docs/input.md for the schemas. */
public enum Layout {
  /** Decide from the schema of the first file. */
  AUTO,
  /** One row per chunk: {@code tensor} string, {@code values} array&lt;float|double&gt;. */
  LONG,
  /** One row per value: {@code tensor} string, {@code value} float|double. */
  SCALAR,
  /** One column per tensor, float|double or array&lt;float|double&gt;. */
  WIDE;

  /** The lower-case name used on the command line and in configuration. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The layout named {@code key}.
   *
   * @throws JobException (usage) listing the valid names if there is none
   */
  public static Layout parse(String key) {
    for (Layout l : values()) {
      if (l.key().equals(key.trim().toLowerCase(Locale.ROOT))) {
        return l;
      }
    }
    throw JobException.usage("Unknown layout '" + key + "' (valid: auto, long, scalar, wide)");
  }
}
