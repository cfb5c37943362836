package dev.qcal.jobs.scan;

import dev.qcal.jobs.JobException;
import java.util.Locale;

/** Which Parquet reader scans the dump ({@code --reader}, {@code spark.qcal.reader}). */
public enum Reader {
  /** The page decoder (every layout). */
  AUTO,
  /** Spark's vectorized Parquet reader (every layout). */
  SPARK,
  /** The page decoder (every layout). */
  PAGES;

  /** The key on the command line. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a key (case-insensitive). */
  public static Reader parse(String key) {
    for (Reader r : values()) {
      if (r.key().equalsIgnoreCase(key.trim())) {
        return r;
      }
    }
    throw JobException.usage("Unknown reader '" + key + "' (valid: auto, spark, pages)");
  }
}
