package dev.qcal.core.io;

/**
 * Why one tensor cannot be written to a format, is left out of it, or may be misread by one of its
 * consumers (see {@link TableFormat#check}, {@link TableFormat#omitted}, {@link
 * TableFormat#warnings}).
 *
 * @param tensor the tensor name, verbatim
 * @param reason what is wrong, for a person (no trailing period)
 */
public record TensorIssue(String tensor, String reason) {
  /** Validates that both parts are present. */
  public TensorIssue {
    if (tensor == null || reason == null) {
      throw new IllegalArgumentException(
          "Cannot build a tensor issue: tensor and reason are required");
    }
  }

  /** {@code tensor '<name>': <reason>}, with control characters in the name escaped. */
  public String message() {
    return "tensor " + JsonInput.quote(tensor) + ": " + reason;
  }
}
