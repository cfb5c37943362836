package dev.qcal.jobs.output;

import dev.qcal.jobs.JobException;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * The scheduling options of a run: its run id ({@code --run-id}: output under {@code
 * OUTPUT/run_id=ID/}, and {@code OUTPUT/_LATEST} moved on success), and the drift gate ({@code
 * --baseline}, {@code --max-drift}). Validated here, before any Spark session or scan.
 *
 * @param runId the run id, or null for a plain output directory
 * @param baseline the baseline: a {@code calibration.json}, a run directory holding one, or {@link
 *     #LATEST}; null for no drift check
 * @param maxDrift the largest relative change allowed; empty to report drift only
 */
public record Schedule(String runId, String baseline, OptionalDouble maxDrift) {
  /** What a run id may hold: it becomes one path segment on any Hadoop file system. */
  public static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  /** {@code --baseline latest}: the run {@code OUTPUT/_LATEST} names, if any. */
  public static final String LATEST = "latest";

  /** No run id and no drift check. */
  public static final Schedule NONE = new Schedule(null, null, OptionalDouble.empty());

  /** Validates the combination; blank strings count as absent. */
  public Schedule {
    runId = blankToNull(runId);
    baseline = blankToNull(baseline);
    if (runId != null) {
      checkRunId(runId, "--run-id");
    }
    if (maxDrift == null) {
      maxDrift = OptionalDouble.empty();
    }
    if (maxDrift.isPresent()) {
      double m = maxDrift.getAsDouble();
      if (!(m >= 0) || !Double.isFinite(m)) {
        throw JobException.usage(
            "Cannot check drift: --max-drift must be a finite fraction >= 0, e.g. 0.10 for 10 % ("
                + m
                + ")");
      }
      if (baseline == null) {
        throw JobException.usage(
            "Cannot check drift: --max-drift "
                + m
                + " needs a --baseline (a calibration.json, a run directory,"
                + " or 'latest' with --run-id)");
      }
    }
    if (LATEST.equals(baseline) && runId == null) {
      throw JobException.usage(
          "Cannot use --baseline latest without --run-id: 'latest' is the run OUTPUT/_LATEST names;"
              + " give --run-id, or the baseline's calibration.json");
    }
  }

  /**
   * Parses {@code --max-drift}; null or blank gives none.
   *
   * @throws JobException (usage) naming the value if it is not a number
   */
  public static OptionalDouble parseMaxDrift(String text) {
    if (text == null || text.isBlank()) {
      return OptionalDouble.empty();
    }
    try {
      return OptionalDouble.of(Double.parseDouble(text.trim()));
    } catch (NumberFormatException e) {
      throw JobException.usage(
          "Cannot check drift: --max-drift must be a fraction such as 0.10 (10 %), not '"
              + text.trim()
              + "'");
    }
  }

  /**
   * Checks that {@code id} is a run id; {@code what} names its source in the message.
   *
   * @throws JobException (usage) otherwise
   */
  static void checkRunId(String id, String what) {
    if (!RUN_ID.matcher(id).matches()) {
      throw JobException.usage(
          String.format(
              Locale.ROOT,
              "Cannot use run id '%s' (%s): a run id is 1 to 128 letters, digits, '.', '_' or '-',"
                  + " e.g. 2026-11-22 (in Airflow {{ ds }} or {{ ts_nodash }}, not {{ run_id }})",
              id,
              what));
    }
  }

  /** Whether the run writes under {@code OUTPUT/run_id=ID/}. */
  public boolean hasRunId() {
    return runId != null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
