package dev.qcal.jobs;

/** The process exit codes of every qcal command (documented in the README). */
public enum ExitCode {
  /** Success: every output was written, {@code _SUCCESS} last. */
  OK(0),
  /** Anything unexpected (a bug, an executor lost for good, an unwritable output). */
  FAILURE(1),
  /** Usage or configuration error: unknown flag or method, bad value, output exists. */
  USAGE(2),
  /** Input error: missing path, nothing readable, missing or wrongly typed column, corrupt file. */
  INPUT(3),
  /**
   * The drift gate tripped: some tensor moved more than {@code --max-drift} against the baseline.
   * Every output was written ({@code _SUCCESS} included, {@code summary.json} says {@code
   * drift_exceeded}), but a scheduled run's {@code _LATEST} did not move.
   */
  DRIFT(4);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The numeric process exit code. */
  public int code() {
    return code;
  }
}
