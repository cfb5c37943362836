package dev.qcal.jobs.dump;

/**
 * A row of the dump that cannot be read as asked (a per-channel row with no channel, a negative
 * channel, a shape that does not match its values), thrown on an executor. Its message names the
 * file, the row and the tensor; the job reports it as an input error (exit 3, {@link InputErrors}).
 */
public final class DumpRowException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure with its full message. */
  public DumpRowException(String message) {
    super(message);
  }
}
