package dev.qcal.jobs;

/**
 * The process exit codes of every qcal command (documented in docs/operating.md's exit-code table).
 * Codes above 2 mean the same as Spark's and the shell's: 52 is Spark's out-of-memory exit, and a
 * process stopped by signal N exits 128 + N, which is what a scheduler or a shell then reports.
 */
public enum ExitCode {
  /** Success: every output was written, {@code _SUCCESS} last. */
  OK(0),
  /**
   * Anything unexpected (a bug, an executor lost for good; the stack trace is printed), and an
   * output that could not be written (a full disk: the message names the output, nothing of the run
   * is left).
   */
  FAILURE(1),
  /**
   * Usage or configuration error: unknown flag or method, bad value, output exists or appeared
   * during the run, an output that is not writable or not a qcal output, a run id another run
   * holds, a state given twice.
   */
  USAGE(2),
  /**
   * Input error: missing path, nothing readable, missing or wrongly typed column, corrupt file, a
   * file that changed while the run read it.
   */
  INPUT(3),
  /**
   * The drift gate tripped: some tensor moved more than {@code --max-drift} against the baseline.
   * Every output was written ({@code _SUCCESS} included, {@code summary.json} says {@code
   * drift_exceeded}), but a scheduled run's {@code _LATEST} did not move.
   */
  DRIFT(4),
  /**
   * Out of memory (a Java heap, direct buffers or metaspace) in the driver or a task: nothing was
   * committed. Spark's own code for an executor that died of it ({@code SparkExitCode.OOM}).
   */
  OUT_OF_MEMORY(52),
  /** Stopped by SIGHUP (128 + 1), e.g. its terminal closed: nothing was committed. */
  HANGUP(129),
  /** Stopped by SIGINT (128 + 2), Ctrl-C: nothing was committed. */
  INTERRUPTED(130),
  /**
   * Stopped by SIGTERM (128 + 15), as schedulers, {@code kill} and container runtimes stop a
   * process: nothing was committed.
   */
  TERMINATED(143);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The numeric process exit code. */
  public int code() {
    return code;
  }
}
