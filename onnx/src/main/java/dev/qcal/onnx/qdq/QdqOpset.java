package dev.qcal.onnx.qdq;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.opset.OpsetConverter;

/**
 * The operator set and IR version the Q/DQ nodes need, and the one place a model is raised to them:
 * QuantizeLinear and DequantizeLinear exist from opset 10 (INT8/UINT8, one scale per tensor),
 * DequantizeLinear's per-channel {@code axis} from 13, the FLOAT8 types from opset 19 and IR
 * version 9.
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
          model.source()
              + ": opset "
              + current
              + " is newer than the opsets qcal writes Q/DQ for (up to "
              + MAX_OPSET
              + ")");
    }
    OnnxModel raised = current < opset ? convert(model, opset) : model;
    if (raised.irVersion() < irVersion) {
      // IR versions only add to the file format; raising the number changes no meaning.
      raised =
          OnnxModel.of(raised.proto().toBuilder().setIrVersion(irVersion).build(), raised.source());
    }
    return raised;
  }

  /**
   * The opset conversion: a real conversion of the ops whose signatures changed between the model's
   * opset and {@code to} (Slice, Clip, Squeeze, Split, Resize, Softmax, Reduce*...), not a new
   * version number ({@link OpsetConverter}); an op it cannot convert is named in its error.
   */
  private static OnnxModel convert(OnnxModel model, int to) {
    return OpsetConverter.convert(model, to);
  }
}
