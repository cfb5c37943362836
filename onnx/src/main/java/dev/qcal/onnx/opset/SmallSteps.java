package dev.qcal.onnx.opset;

import dev.qcal.onnx.proto.NodeProto;
import java.util.List;
import java.util.Set;

/** The steps that touch one attribute or output of one operator. */
final class SmallSteps {
  private SmallSteps() {}

  /**
   * BatchNormalization-9 removed {@code spatial}: its default 1 (statistics per channel) is what
   * every later version does; spatial=0 (per activation) has no equivalent.
   */
  static List<NodeProto> batchNormalizationSpatial(NodeProto node, GraphScope scope) {
    long spatial = Attributes.integer(node, "spatial", 1);
    if (spatial != 1) {
      throw new CannotConvert(
          "spatial=" + spatial + " (statistics per activation) was removed at opset 9");
    }
    return List.of(
        Attributes.has(node, "spatial")
            ? Attributes.without(node, Set.of("spatial")).build()
            : node);
  }

  /**
   * BatchNormalization-14 changed the optional training outputs (running mean and variance only,
   * with training_mode=1; saved mean and variance gone). An inference node (output Y alone) is
   * unchanged.
   */
  static List<NodeProto> batchNormalizationOutputs(NodeProto node, GraphScope scope) {
    for (int i = 1; i < node.getOutputCount(); i++) {
      if (!node.getOutput(i).isEmpty()) {
        throw new CannotConvert(
            "it writes training outputs (mean, var, saved_mean, saved_var), which"
                + " BatchNormalization-14 redefined; export the model for inference");
      }
    }
    return List.of(node);
  }

  /**
   * Dropout-10 made the mask output BOOL (it had the data's type): refused when the mask is used.
   */
  static List<NodeProto> dropoutMask(NodeProto node, GraphScope scope) {
    if (node.getOutputCount() > 1 && !node.getOutput(1).isEmpty()) {
      throw new CannotConvert("its mask output changes element type at opset 10 (to bool)");
    }
    return List.of(node);
  }

  /** Scatter was deprecated at 11 for ScatterElements, the same operator renamed. */
  static List<NodeProto> scatterElements(NodeProto node, GraphScope scope) {
    return List.of(node.toBuilder().setOpType("ScatterElements").build());
  }

  /**
   * RoiAlign-16 added coordinate_transformation_mode with default half_pixel; the earlier behaviour
   * is output_half_pixel, written explicitly.
   */
  static List<NodeProto> roiAlignCoordinates(NodeProto node, GraphScope scope) {
    if (Attributes.has(node, "coordinate_transformation_mode")) {
      return List.of(node);
    }
    return List.of(
        node.toBuilder()
            .addAttribute(
                Attributes.ofString("coordinate_transformation_mode", "output_half_pixel"))
            .build());
  }

  /** GridSample-20 renamed the modes bilinear and bicubic to linear and cubic. */
  static List<NodeProto> gridSampleModes(NodeProto node, GraphScope scope) {
    String mode = Attributes.string(node, "mode", "");
    if (mode.equals("bilinear") || mode.equals("bicubic")) {
      return List.of(
          Attributes.withString(node, "mode", mode.equals("bilinear") ? "linear" : "cubic"));
    }
    // Absent: the default changed from bilinear to linear, the same mode renamed.
    return List.of(node);
  }

  /**
   * Split-18: without a {@code split} input, the new attribute {@code num_outputs} must say how
   * many equal parts (the number of outputs, as before).
   */
  static List<NodeProto> splitNumOutputs(NodeProto node, GraphScope scope) {
    if ((node.getInputCount() > 1 && !node.getInput(1).isEmpty())
        || Attributes.has(node, "num_outputs")) {
      return List.of(node);
    }
    return List.of(
        node.toBuilder()
            .addAttribute(Attributes.ofInt("num_outputs", node.getOutputCount()))
            .build());
  }
}
