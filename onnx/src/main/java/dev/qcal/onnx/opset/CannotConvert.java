package dev.qcal.onnx.opset;

/**
 * Why one node cannot be converted; the converter adds the model, the node and the opsets and
 * rethrows it as the user-facing {@code InputFormatException}.
 */
final class CannotConvert extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@code reason} completes "cannot convert this node: ...". */
  CannotConvert(String reason) {
    super(reason);
  }
}
