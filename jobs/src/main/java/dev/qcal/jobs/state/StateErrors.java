package dev.qcal.jobs.state;

import dev.qcal.jobs.JobException;

/**
 * What a failure to read a persisted state tells the user: a record that cannot be decoded or
 * merged is the state's fault (a usage error, exit 2, naming the file and tensor), whatever Spark
 * wrapped it in; anything else stays as it is.
 */
public final class StateErrors {
  private StateErrors() {}

  /** The start of every message about an undecodable state record. */
  public static final String CORRUPT = "Cannot read the qcal state";

  /**
   * {@code e} as a usage error (exit 2) when a state record could not be decoded or merged
   * (messages from {@code StateFiles}' decoding and {@code Histogram.regrid}, found among Spark's
   * causes), else {@code e}.
   */
  public static Exception classify(Exception e) {
    if (e instanceof JobException || dev.qcal.jobs.Failures.isOutOfMemory(e)) {
      return e;
    }
    // The deepest cause carrying the message (on a cluster only the text may come back).
    String found = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      for (String start : new String[] {CORRUPT, "Cannot merge histograms"}) {
        int i = m.indexOf(start);
        if (i >= 0) {
          found = firstLine(m.substring(i));
        }
      }
    }
    return found != null ? JobException.usage(found, e) : e;
  }

  /** The first line of {@code s} ("" for null). */
  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
