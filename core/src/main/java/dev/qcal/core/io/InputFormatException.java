package dev.qcal.core.io;

/**
 * A malformed input file (histogram JSON, calibration JSON, TensorRT cache). The message names the
 * source, the tensor and the field, e.g. {@code hist.json: tensor 'conv1': 'counts' has 10 values
 * but 'edges' has 10 (need 11)}. The command line maps it to its bad-input exit code.
 */
public final class InputFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** An error with the complete message. */
  public InputFormatException(String message) {
    super(message);
  }

  /** An error with the complete message and the parser's exception as cause. */
  public InputFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
