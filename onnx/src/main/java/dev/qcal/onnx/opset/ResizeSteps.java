package dev.qcal.onnx.opset;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.FloatTensors;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import java.util.List;

/**
 * Upsample and Resize: Upsample (scales an input since 9) was deprecated at 10 for Resize-10, which
 * takes the same inputs and modes; Resize-11 added a roi input and explicit coordinate and rounding
 * modes whose defaults differ from Resize-10's behaviour; Resize-13 dropped one mode.
 */
final class ResizeSteps {
  private ResizeSteps() {}

  /**
   * Upsample (7 or 9) to Resize-10: the same inputs (X, scales) and mode. ONNX Runtime runs both
   * with one kernel, which is also how Resize-10 came to be.
   */
  static List<NodeProto> upsampleToResize(NodeProto node, GraphScope scope) {
    String mode = Attributes.string(node, "mode", "nearest");
    if (!mode.equals("nearest") && !mode.equals("linear")) {
      throw new CannotConvert("mode '" + mode + "' has no Resize equivalent (nearest or linear)");
    }
    return List.of(node.toBuilder().setOpType("Resize").build());
  }

  /**
   * Resize-10 to 11. Resize-10 maps an output coordinate x to x / scale in the input ("asymmetric",
   * while 11's default is half_pixel) and picks the nearest pixel the way ONNX Runtime's Resize-10
   * does, the reference here: truncating when the axis is upsampled (scale >= 1), rounding up when
   * it is downsampled. Resize-11 has one nearest_mode for all axes, so the scales must be constant
   * and all upsample ("floor") or all downsample ("ceil"); otherwise the node is refused. roi
   * (ignored unless tf_crop_and_resize) is an empty constant, as Paddle2ONNX writes it.
   */
  static List<NodeProto> resize10to11(NodeProto node, GraphScope scope) {
    String mode = Attributes.string(node, "mode", "nearest");
    if (!mode.equals("nearest") && !mode.equals("linear")) {
      throw new CannotConvert("mode '" + mode + "' is not one of Resize-10's (nearest, linear)");
    }
    String base = node.getOutput(0);
    NodeProto roi = scope.constant(base + "_roi", ConstantNodes.floats(new float[0]));
    NodeProto.Builder resize =
        node.toBuilder()
            .clearInput()
            .addInput(node.getInput(0))
            .addInput(roi.getOutput(0))
            .addInput(node.getInput(1))
            .addAttribute(Attributes.ofString("coordinate_transformation_mode", "asymmetric"));
    if (mode.equals("nearest")) {
      resize.addAttribute(Attributes.ofString("nearest_mode", nearestRounding(node, scope)));
    }
    return List.of(roi, resize.build());
  }

  private static String nearestRounding(NodeProto node, GraphScope scope) {
    TensorProto scales =
        scope
            .constant(node.getInput(1))
            .orElseThrow(
                () ->
                    new CannotConvert(
                        "nearest mode with scales computed at run time: Resize-10 rounds each axis"
                            + " by whether it is up- or downsampled, which Resize-11 cannot express"
                            + " without knowing the scales"));
    float[] values;
    try {
      values = FloatTensors.toFloats(scales);
    } catch (InputFormatException e) {
      throw new CannotConvert("its scales cannot be read: " + e.getMessage());
    }
    boolean up = false;
    boolean down = false;
    for (float s : values) {
      up |= s > 1;
      down |= s < 1;
    }
    if (up && down) {
      throw new CannotConvert(
          "nearest mode with scales that upsample some axes and downsample others: Resize-10"
              + " rounds those differently, Resize-11 has one nearest_mode for all axes");
    }
    return down ? "ceil" : "floor";
  }

  /**
   * Resize-11 to 13: the coordinate mode tf_half_pixel_for_nn was removed; every other node keeps
   * its meaning (roi and scales became optional).
   */
  static List<NodeProto> resize11to13(NodeProto node, GraphScope scope) {
    String coordinates = Attributes.string(node, "coordinate_transformation_mode", "half_pixel");
    if (coordinates.equals("tf_half_pixel_for_nn")) {
      throw new CannotConvert(
          "coordinate_transformation_mode 'tf_half_pixel_for_nn' was removed at opset 13");
    }
    return List.of(node);
  }
}
