package dev.qcal.onnx.opset;

import static dev.qcal.onnx.opset.AttributesToInputsTest.op;
import static dev.qcal.onnx.opset.OnnxGraphs.attribute;
import static dev.qcal.onnx.opset.OnnxGraphs.constant;
import static dev.qcal.onnx.opset.OnnxGraphs.f;
import static dev.qcal.onnx.opset.OnnxGraphs.i;
import static dev.qcal.onnx.opset.OnnxGraphs.model;
import static dev.qcal.onnx.opset.OnnxGraphs.node;
import static dev.qcal.onnx.opset.OnnxGraphs.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.onnx.FloatTensors;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.proto.ModelProto;
import dev.qcal.onnx.proto.NodeProto;
import dev.qcal.onnx.proto.TensorProto;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The steps touching one attribute or output, each run by ONNX Runtime before and after. */
class SmallStepsTest {
  private static TensorProto floats(long[] dims, float... values) {
    return FloatTensors.fromFloats("", dims, values).toBuilder().clearName().build();
  }

  private static TensorProto int64s(long[] dims, long... values) {
    TensorProto.Builder t = TensorProto.newBuilder().setDataType(TensorProto.DataType.INT64_VALUE);
    for (long d : dims) {
      t.addDims(d);
    }
    for (long v : values) {
      t.addInt64Data(v);
    }
    return t.build();
  }

  @Test
  void scatterBecomesScatterElementsAt11() throws Exception {
    ModelProto model =
        model(
            9,
            new long[] {3, 4},
            List.of(
                constant("indices", int64s(new long[] {2, 2}, 0, 3, 2, 1)),
                constant("updates", floats(new long[] {2, 2}, 10, 20, 30, 40)),
                node("Scatter", List.of("x", "indices", "updates"), List.of("y"), i("axis", 1))),
            "y");
    for (int target : new int[] {11, 13, 18}) {
      OnnxModel converted = SameOutputs.convertsTheSame(model, target, new long[] {3, 4});
      assertEquals(1, attribute(op(converted, "ScatterElements", 0), "axis").getI());
    }
  }

  @Test
  void batchNormalizationSpatialIsDroppedAt9() throws Exception {
    List<NodeProto> nodes =
        List.of(
            constant("scale", floats(new long[] {3}, 1.5f, 0.5f, 2f)),
            constant("bias", floats(new long[] {3}, 0.1f, -0.2f, 0.3f)),
            constant("mean", floats(new long[] {3}, 0.05f, -0.1f, 0.2f)),
            constant("var", floats(new long[] {3}, 1.2f, 0.8f, 2.5f)),
            node(
                "BatchNormalization",
                List.of("x", "scale", "bias", "mean", "var"),
                List.of("y"),
                i("spatial", 1),
                f("epsilon", 1e-3f)));
    ModelProto model = model(8, new long[] {2, 3, 4, 4}, nodes, "y");
    for (int target : new int[] {9, 14, 15}) {
      OnnxModel converted = SameOutputs.convertsTheSame(model, target, new long[] {2, 3, 4, 4});
      assertNull(attribute(op(converted, "BatchNormalization", 0), "spatial"));
    }
    ModelProto perActivation =
        model.toBuilder()
            .setGraph(
                model.getGraph().toBuilder()
                    .setNode(
                        4,
                        node(
                            "BatchNormalization",
                            List.of("x", "scale", "bias", "mean", "var"),
                            List.of("y"),
                            i("spatial", 0))))
            .build();
    InputFormatException e =
        assertThrows(
            InputFormatException.class,
            () -> OpsetConverter.convert(OnnxModel.of(perActivation, "bn.onnx"), 9));
    assertEquals(
        "bn.onnx: cannot raise the opset from 8 to 9: node 'batchnormalization_y'"
            + " (BatchNormalization): spatial=0 (statistics per activation) was removed at opset 9",
        e.getMessage());
  }

  @Test
  void batchNormalizationTrainingOutputsAreRefusedAt14() {
    ModelProto model =
        model(
            9,
            new long[] {2, 3},
            List.of(
                node(
                    "BatchNormalization",
                    List.of("x", "s", "b", "m", "v"),
                    List.of("y", "running_mean", "running_var"))),
            "y");
    OnnxModel original = OnnxModel.of(model, "train.onnx");
    assertEquals(13, OpsetConverter.convert(original, 13).defaultOpset());
    InputFormatException e =
        assertThrows(InputFormatException.class, () -> OpsetConverter.convert(original, 14));
    assertEquals(
        "train.onnx: cannot raise the opset from 9 to 14: node 'batchnormalization_y'"
            + " (BatchNormalization): it writes training outputs (mean, var, saved_mean,"
            + " saved_var), which BatchNormalization-14 redefined; export the model for inference",
        e.getMessage());
  }

  @Test
  void dropoutMaskIsRefusedAt10() throws Exception {
    ModelProto withMask =
        model(9, new long[] {3}, List.of(node("Dropout", List.of("x"), List.of("y", "mask"))), "y");
    InputFormatException e =
        assertThrows(
            InputFormatException.class,
            () -> OpsetConverter.convert(OnnxModel.of(withMask, "m.onnx"), 10));
    assertEquals(
        "m.onnx: cannot raise the opset from 9 to 10: node 'dropout_y' (Dropout): its mask output"
            + " changes element type at opset 10 (to bool)",
        e.getMessage());
    ModelProto plain =
        model(
            7,
            new long[] {3, 4},
            List.of(node("Dropout", List.of("x"), List.of("y"), f("ratio", 0.2f))),
            "y");
    OnnxModel converted = SameOutputs.convertsTheSame(plain, 13, new long[] {3, 4});
    assertEquals(2, op(converted, "Dropout", 0).getInputCount(), "ratio became an input at 12");
  }

  @Test
  void roiAlignKeepsItsCoordinatesAt16() throws Exception {
    ModelProto model =
        model(
            10,
            new long[] {1, 2, 8, 8},
            List.of(
                constant("rois", floats(new long[] {2, 4}, 0, 0, 4, 4, 1.5f, 1, 7, 6.5f)),
                constant("batch", int64s(new long[] {2}, 0, 0)),
                node(
                    "RoiAlign",
                    List.of("x", "rois", "batch"),
                    List.of("y"),
                    i("output_height", 3),
                    i("output_width", 2),
                    i("sampling_ratio", 2),
                    f("spatial_scale", 1f))),
            "y");
    // 21, not 22: ONNX Runtime 1.29 has no CPU kernel for RoiAlign-22 (bfloat16 added).
    for (int target : new int[] {16, 21}) {
      OnnxModel converted = SameOutputs.convertsTheSame(model, target, new long[] {1, 2, 8, 8});
      assertEquals(
          "output_half_pixel",
          attribute(op(converted, "RoiAlign", 0), "coordinate_transformation_mode")
              .getS()
              .toStringUtf8());
    }
  }

  @Test
  void gridSampleModesAreRenamedAt20() throws Exception {
    TensorProto grid =
        floats(
            new long[] {1, 2, 3, 2},
            -0.9f,
            -0.8f,
            0.1f,
            0.3f,
            0.95f,
            -0.2f,
            0.4f,
            0.7f,
            -0.3f,
            0.9f,
            0.2f,
            -0.6f);
    ModelProto model =
        model(
            16,
            new long[] {1, 2, 4, 5},
            List.of(
                constant("grid", grid),
                node("GridSample", List.of("x", "grid"), List.of("a"), s("mode", "bilinear")),
                node("GridSample", List.of("x", "grid"), List.of("b"), s("mode", "bicubic")),
                node("GridSample", List.of("x", "grid"), List.of("c"), s("mode", "nearest")),
                node("GridSample", List.of("x", "grid"), List.of("d"))),
            "a",
            "b",
            "c",
            "d");
    for (int target : new int[] {20, 22}) {
      OnnxModel converted = SameOutputs.convertsTheSame(model, target, new long[] {1, 2, 4, 5});
      assertEquals(
          "linear", attribute(op(converted, "GridSample", 0), "mode").getS().toStringUtf8());
      assertEquals(
          "cubic", attribute(op(converted, "GridSample", 1), "mode").getS().toStringUtf8());
      assertEquals(
          "nearest", attribute(op(converted, "GridSample", 2), "mode").getS().toStringUtf8());
      assertNull(attribute(op(converted, "GridSample", 3), "mode"), "the default was renamed too");
    }
  }
}
