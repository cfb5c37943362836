package dev.qcal.onnx.qdq;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.OnnxModel;

/**
 * The operator set and IR version the Q/DQ nodes need, and the one place a model is raised to
 * them: QuantizeLinear and DequantizeLinear exist from opset 10 (INT8/UINT8, one scale per
 * tensor), DequantizeLinear's per-channel {@code axis} from 13, the FLOAT8 types from opset 19 and
 * IR version 9.
 */
final class QdqOpset {
  /**
   * The newest opset whose QuantizeLinear/DequantizeLinear qcal writes for (TensorRT 11's parser
   * reads up to 25); a newer model may have changed them, so it is refused, named.
   */
  static final int MAX_OPSET = 25;

  private QdqOpset() {}

  /** The opset Q/DQ of {@code scheme} needs, with or without per-channel weights. */
  static int required(QdqScheme scheme, boolean perChannel) {
    return perChannel ? scheme.perChannelOpset() : scheme.minOpset();
  }

  /**
   * {@code model} at an opset of at least {@code opset} and an IR version of at least {@code
   * irVersion}: itself when it already is, else raised.
   *
   * @throws InputFormatException naming the model and opsets when its opset is newer than {@link
   *     #MAX_OPSET}, or lower than {@code opset} and cannot be converted
   */
  static OnnxModel atLeast(OnnxModel model, int opset, int irVersion) {
    long current = model.defaultOpset();
    if (current > MAX_OPSET) {
      throw new InputFormatException(
          model.source() + ": opset " + current + " is newer than the opsets qcal writes Q/DQ for (up to "
              + MAX_OPSET + ")");
    }
    OnnxModel raised = current < opset ? convert(model, current, opset) : model;
    if (raised.irVersion() < irVersion) {
      // IR versions only add to the file format; raising the number changes no meaning.
      raised = OnnxModel.of(raised.proto().toBuilder().setIrVersion(irVersion).build(), raised.source());
    }
    return raised;
  }

  /**
   * The opset conversion: a real conversion of the ops whose signatures changed between {@code
   * from} and {@code to} (Slice, Clip, Squeeze, Split, Resize, Softmax, Reduce*...), not a new
   * version number. It lives in {@code dev.qcal.onnx.opset.OpsetConverter} (its own branch); until
   * it is merged here, this is the single call to replace with {@code
   * OpsetConverter.convert(model, to)}, and a model below the needed opset is refused, named.
   */
  private static OnnxModel convert(OnnxModel model, long from, int to) {
    throw new InputFormatException(
        model.source() + ": opset " + from + ", and Q/DQ here needs opset " + to
            + " (QuantizeLinear 10, per-channel weights 13, FP8 19); this qcal cannot convert a model's"
            + " opset yet: convert it first (onnx.version_converter), or for INT8 at opset 10 to 12 use"
            + " --weights per-tensor");
  }
}
