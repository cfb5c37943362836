package dev.qcal.onnx.opset;

import static dev.qcal.onnx.opset.AttributesToInputsTest.op;
import static dev.qcal.onnx.opset.OnnxGraphs.attribute;
import static dev.qcal.onnx.opset.OnnxGraphs.constant;
import static dev.qcal.onnx.opset.OnnxGraphs.floats;
import static dev.qcal.onnx.opset.OnnxGraphs.model;
import static dev.qcal.onnx.opset.OnnxGraphs.node;
import static dev.qcal.onnx.opset.OnnxGraphs.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.FloatTensors;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Upsample and Resize through their signature changes (Upsample's scales input at 9, Upsample to
 * Resize at 10, Resize's modes at 11, the removed mode at 13), run by ONNX Runtime.
 */
class ResizeStepsTest {
  private static final long[] SHAPE = {1, 2, 5, 6};

  private static TensorProto scales(float... values) {
    return FloatTensors.fromFloats("", new long[] {values.length}, values).toBuilder()
        .clearName()
        .build();
  }

  @Test
  void upsampleBecomesResize() throws Exception {
    ModelProto opset7 =
        model(
            7,
            SHAPE,
            List.of(
                node("Upsample", List.of("x"), List.of("near"), floats("scales", 1, 1, 2, 3)),
                node(
                    "Upsample",
                    List.of("x"),
                    List.of("lin"),
                    floats("scales", 1, 1, 2, 1.5f),
                    s("mode", "linear"))),
            "near",
            "lin");
    for (int target : new int[] {9, 10, 11, 13, 19}) {
      OnnxModel converted = SameOutputs.convertsTheSame(opset7, target, SHAPE);
      assertEquals(
          target >= 10 ? "Resize" : "Upsample",
          converted.graph().getNode(converted.graph().getNodeCount() - 1).getOpType());
    }
    ModelProto opset9 =
        model(
            9,
            SHAPE,
            List.of(
                constant("s", scales(1, 1, 2.5f, 2)),
                node("Upsample", List.of("x", "s"), List.of("near")),
                node("Upsample", List.of("x", "s"), List.of("lin"), s("mode", "linear"))),
            "near",
            "lin");
    for (int target : new int[] {10, 11, 13, 18, 25}) {
      OnnxModel converted = SameOutputs.convertsTheSame(opset9, target, SHAPE);
      NodeProto resize = op(converted, "Resize", 0);
      if (target >= 11) {
        assertEquals(
            "asymmetric",
            attribute(resize, "coordinate_transformation_mode").getS().toStringUtf8());
        assertEquals("floor", attribute(resize, "nearest_mode").getS().toStringUtf8());
        assertEquals(3, resize.getInputCount(), "X, roi, scales");
      }
    }
  }

  /**
   * Upsample-10 is a deprecation: a model of opset 10 that still has one gets Resize; ONNX Runtime
   * cannot load the deprecated node, so the check is against the same graph at opset 9.
   */
  @Test
  void deprecatedUpsampleNodeBecomesResize() throws Exception {
    List<NodeProto> nodes =
        List.of(
            constant("s", scales(1, 1, 2, 2)), node("Upsample", List.of("x", "s"), List.of("y")));
    OnnxModel converted =
        OpsetConverter.convert(OnnxModel.of(model(10, SHAPE, nodes, "y"), "opset 10"), 11);
    assertEquals("Resize", op(converted, "Resize", 0).getOpType());
    SameOutputs.assertSame(
        OnnxModel.of(model(9, SHAPE, nodes, "y"), "").toBytes(), converted.toBytes(), SHAPE, 1, 2);
  }

  /**
   * Resize-10's nearest pixel, as ONNX Runtime computes it: truncated when upsampling (floor),
   * rounded up when downsampling (ceil); linear keeps asymmetric coordinates.
   */
  @Test
  void resize10RoundingAndCoordinates() throws Exception {
    ModelProto model =
        model(
            10,
            SHAPE,
            List.of(
                constant("up", scales(1, 1, 2, 1.5f)),
                constant("down", scales(1, 1, 0.5f, 0.7f)),
                constant("odd", scales(1, 1, 1.3f, 2.7f)),
                node("Resize", List.of("x", "up"), List.of("a")),
                node("Resize", List.of("x", "down"), List.of("b")),
                node("Resize", List.of("x", "odd"), List.of("c"), s("mode", "linear")),
                node("Resize", List.of("x", "down"), List.of("d"), s("mode", "linear"))),
            "a",
            "b",
            "c",
            "d");
    for (int target : new int[] {11, 13, 19}) {
      OnnxModel converted = SameOutputs.convertsTheSame(model, target, SHAPE);
      assertEquals(
          "floor", attribute(op(converted, "Resize", 0), "nearest_mode").getS().toStringUtf8());
      assertEquals(
          "ceil", attribute(op(converted, "Resize", 1), "nearest_mode").getS().toStringUtf8());
      assertEquals(null, attribute(op(converted, "Resize", 2), "nearest_mode"), "linear");
      TensorProto roi = converted.constant(op(converted, "Resize", 0).getInput(1)).orElseThrow();
      assertEquals(0, FloatTensors.elementCount(roi), "an empty roi");
    }
  }

  @Test
  void resize10NearestThatCannotBeConvertedIsRefused() {
    ModelProto mixed =
        model(
            10,
            SHAPE,
            List.of(
                constant("s", scales(1, 1, 2, 0.5f)),
                node("Resize", List.of("x", "s"), List.of("y"))),
            "y");
    InputFormatException e =
        assertThrows(
            InputFormatException.class,
            () -> OpsetConverter.convert(OnnxModel.of(mixed, "mixed.onnx"), 13));
    assertEquals(
        "mixed.onnx: cannot raise the opset from 10 to 13: node 'resize_y' (Resize): nearest mode"
            + " with scales that upsample some axes and downsample others: Resize-10 rounds those"
            + " differently, Resize-11 has one nearest_mode for all axes",
        e.getMessage());

    ModelProto computed =
        model(
            10,
            SHAPE,
            List.of(
                constant("s", scales(1, 1, 2, 2)),
                node("Identity", List.of("s"), List.of("t")),
                node("Resize", List.of("x", "t"), List.of("y"))),
            "y");
    e =
        assertThrows(
            InputFormatException.class,
            () -> OpsetConverter.convert(OnnxModel.of(computed, "computed.onnx"), 11));
    assertTrue(
        e.getMessage()
            .startsWith(
                "computed.onnx: cannot raise the opset from 10 to 11: node 'resize_y' (Resize):"
                    + " nearest mode with scales computed at run time"),
        e.getMessage());
    // Linear needs no rounding: converted whatever the scales.
    ModelProto linear =
        computed.toBuilder()
            .setGraph(
                computed.getGraph().toBuilder()
                    .setNode(
                        2, node("Resize", List.of("x", "t"), List.of("y"), s("mode", "linear"))))
            .build();
    assertEquals(11, OpsetConverter.convert(OnnxModel.of(linear, ""), 11).defaultOpset());
  }

  @Test
  void removedCoordinateModeIsRefusedAt13() throws Exception {
    ModelProto model =
        model(
            11,
            SHAPE,
            List.of(
                constant("roi", scales()),
                constant("s", scales(1, 1, 2, 2)),
                node(
                    "Resize",
                    List.of("x", "roi", "s"),
                    List.of("y"),
                    s("coordinate_transformation_mode", "tf_half_pixel_for_nn"))),
            "y");
    OnnxModel original = OnnxModel.of(model, "tf.onnx");
    assertEquals(12, OpsetConverter.convert(original, 12).defaultOpset(), "still there at 12");
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> OpsetConverter.convert(original, 13));
    assertEquals(
        "tf.onnx: cannot raise the opset from 11 to 13: node 'resize_y' (Resize):"
            + " coordinate_transformation_mode 'tf_half_pixel_for_nn' was removed at opset 13",
        e.getMessage());
  }
}
