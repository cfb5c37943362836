package dev.qcal.jobs;

/**
 * A failure the user can act on, with the exit code it maps to. The message says what went wrong,
 * names the file or column, and what to do.
 */
public class JobException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  /** A failure with the given code. */
  public JobException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** A failure with the given code and cause. */
  public JobException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A usage or configuration error (exit 2). */
  public static JobException usage(String message) {
    return new JobException(ExitCode.USAGE, message);
  }

  /** A usage or configuration error (exit 2) with its cause. */
  public static JobException usage(String message, Throwable cause) {
    return new JobException(ExitCode.USAGE, message, cause);
  }

  /** An input error (exit 3). */
  public static JobException input(String message) {
    return new JobException(ExitCode.INPUT, message);
  }

  /** An input error (exit 3) with its cause. */
  public static JobException input(String message, Throwable cause) {
    return new JobException(ExitCode.INPUT, message, cause);
  }

  /** The exit code this failure maps to. */
  public ExitCode exitCode() {
    return exitCode;
  }
}
