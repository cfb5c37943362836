package dev.qcal.onnx.qdq;

/**
 * A Q/DQ request that does not fit its model or table: a method the table does not hold, a table
 * calibrated for another scheme, an op qcal places no Q/DQ on, {@code --patch} on a model without
 * Q/DQ nodes (or a Q/DQ model without it). The files are fine; the choice must change. The command
 * line maps it to its usage exit code, and a malformed file ({@code InputFormatException}) to its
 * input exit code.
 */
public final class QdqUsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** An error with the complete message. */
  public QdqUsageException(String message) {
    super(message);
  }
}
