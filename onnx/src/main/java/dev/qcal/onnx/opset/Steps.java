package dev.qcal.onnx.opset;

import static dev.qcal.onnx.opset.AttributesToInputs.Encoding.FLOATS;
import static dev.qcal.onnx.opset.AttributesToInputs.Encoding.FLOAT_SCALAR;
import static dev.qcal.onnx.opset.AttributesToInputs.Encoding.INTS;
import static dev.qcal.onnx.opset.AttributesToInputs.Encoding.INT_AS_ONE_ELEMENT;
import static dev.qcal.onnx.opset.AttributesToInputs.Encoding.SCALAR_LIKE_DATA;

import dev.qcal.onnx.opset.AttributesToInputs.Move;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The conversion of every schema change of the default domain from opset 8 to {@value
 * OperatorHistory#NEWEST}, keyed {@code Op-V}: the step from the operator's schema before opset V
 * to its schema of opset V. Three kinds:
 *
 * <ul>
 *   <li>an adapter rewriting the node (attributes that became inputs, Softmax's axis, Resize's
 *       coordinate modes, ...);
 *   <li>unchanged: the schema changed in a way that leaves every node valid before with the same
 *       meaning (new element types, negative axes allowed, a new attribute or optional input whose
 *       default is the old behaviour), so the node is kept byte for byte;
 *   <li>refused with the reason: the change needs a conversion qcal does not make.
 * </ul>
 *
 * <p>A step in no list (changes at opset 7 and before: broadcasting, consumed_inputs) is refused
 * too, so no changed operator is ever silently renumbered. Decided from the schemas of ONNX's
 * operator changelog (https://github.com/onnx/onnx/blob/main/docs/Changelog.md), attribute by
 * attribute, input by input.
 */
final class Steps {
  /** One step: its key {@code Op-V}, what changed, and the adapter. */
  record Step(String key, String change, StepAdapter adapter) {}

  private static final Map<String, Step> STEPS = new TreeMap<>();

  private static final String TYPES =
      "element types added (bfloat16, float8, int4, ...) or inputs marked differentiable";

  private static final String WORDING =
      "negative axes or indices allowed, broadcasting generalized, new modes added, or wording"
          + " only";

  private static final String DEFAULTS =
      "an attribute or optional input added whose default is the old behaviour (or that only"
          + " concerns new element types)";

  static {
    unchanged(
        TYPES,
        "Abs-13",
        "Acos-22",
        "Acosh-22",
        "Add-13",
        "Add-14",
        "ArgMax-13",
        "ArgMin-13",
        "Asin-22",
        "Asinh-22",
        "Atan-22",
        "Atanh-22",
        "AveragePool-22",
        "Bernoulli-22",
        "Cast-9",
        "Cast-13",
        "Cast-21",
        "Cast-23",
        "Cast-25",
        "CastLike-21",
        "CastLike-23",
        "CastLike-25",
        "Ceil-13",
        "Clip-12",
        "Clip-13",
        "Concat-13",
        "Constant-9",
        "Constant-13",
        "Constant-19",
        "Constant-21",
        "Constant-23",
        "Constant-24",
        "Constant-25",
        "ConstantOfShape-20",
        "ConstantOfShape-21",
        "ConstantOfShape-23",
        "ConstantOfShape-24",
        "ConstantOfShape-25",
        "Conv-22",
        "ConvTranspose-22",
        "Cos-22",
        "Cosh-22",
        "CumSum-14",
        "DeformConv-22",
        "DepthToSpace-13",
        "DequantizeLinear-24",
        "DequantizeLinear-25",
        "Det-22",
        "Div-13",
        "Div-14",
        "Dropout-13",
        "Dropout-22",
        "Elu-22",
        "Equal-11",
        "Equal-13",
        "Equal-19",
        "Erf-13",
        "Exp-13",
        "Expand-13",
        "EyeLike-22",
        "Flatten-9",
        "Flatten-13",
        "Flatten-21",
        "Flatten-23",
        "Flatten-24",
        "Flatten-25",
        "Floor-13",
        "GRU-22",
        "Gather-13",
        "GatherElements-13",
        "GatherND-13",
        "Gemm-9",
        "Gemm-13",
        "GlobalAveragePool-22",
        "GlobalLpPool-22",
        "GlobalMaxPool-22",
        "Greater-9",
        "Greater-13",
        "GreaterOrEqual-16",
        "GridSample-22",
        "HardSigmoid-22",
        "HardSwish-22",
        "Identity-13",
        "Identity-16",
        "Identity-19",
        "Identity-21",
        "Identity-23",
        "Identity-24",
        "Identity-25",
        "If-13",
        "If-16",
        "If-19",
        "If-21",
        "If-23",
        "If-24",
        "If-25",
        "InstanceNormalization-22",
        "IsInf-20",
        "IsNaN-13",
        "IsNaN-20",
        "LRN-13",
        "LSTM-22",
        "LeakyRelu-16",
        "Less-9",
        "Less-13",
        "LessOrEqual-16",
        "Log-13",
        "Loop-13",
        "Loop-16",
        "Loop-19",
        "Loop-21",
        "Loop-23",
        "Loop-24",
        "Loop-25",
        "LpNormalization-22",
        "LpPool-22",
        "MatMul-9",
        "MatMul-13",
        "Max-12",
        "Max-13",
        "MaxPool-12",
        "MaxPool-22",
        "MaxRoiPool-22",
        "MaxUnpool-22",
        "Mean-13",
        "MeanVarianceNormalization-13",
        "Min-12",
        "Min-13",
        "Mish-22",
        "Mod-13",
        "Mul-13",
        "Mul-14",
        "Multinomial-22",
        "Neg-13",
        "NegativeLogLikelihoodLoss-22",
        "NonZero-13",
        "OptionalGetElement-18",
        "PRelu-9",
        "PRelu-16",
        "Pad-13",
        "Pad-21",
        "Pad-23",
        "Pad-24",
        "Pad-25",
        "Pow-13",
        "Pow-15",
        "QuantizeLinear-24",
        "QuantizeLinear-25",
        "RNN-22",
        "RandomNormal-22",
        "RandomNormalLike-22",
        "RandomUniform-22",
        "RandomUniformLike-22",
        "Reciprocal-13",
        "ReduceL1-13",
        "ReduceL2-13",
        "ReduceLogSum-13",
        "ReduceLogSumExp-13",
        "ReduceMax-12",
        "ReduceMax-13",
        "ReduceMax-20",
        "ReduceMean-13",
        "ReduceMin-12",
        "ReduceMin-13",
        "ReduceMin-20",
        "ReduceProd-13",
        "ReduceSumSquare-13",
        "Relu-13",
        "Relu-14",
        "Reshape-13",
        "Reshape-19",
        "Reshape-21",
        "Reshape-23",
        "Reshape-24",
        "Reshape-25",
        "RoiAlign-22",
        "Round-22",
        "Scan-16",
        "Scan-19",
        "Scan-21",
        "Scan-23",
        "Scan-24",
        "Scan-25",
        "ScatterElements-13",
        "ScatterND-13",
        "Selu-22",
        "Shape-13",
        "Shape-19",
        "Shape-21",
        "Shape-23",
        "Shape-24",
        "Shape-25",
        "Sigmoid-13",
        "Sign-13",
        "Sin-22",
        "Sinh-22",
        "Size-13",
        "Size-19",
        "Size-21",
        "Size-23",
        "Size-24",
        "Size-25",
        "Slice-13",
        "SoftmaxCrossEntropyLoss-13",
        "Softplus-22",
        "Softsign-22",
        "SpaceToDepth-13",
        "SplitToSequence-24",
        "Sqrt-13",
        "Squeeze-21",
        "Squeeze-23",
        "Squeeze-24",
        "Squeeze-25",
        "Sub-13",
        "Sub-14",
        "Sum-13",
        "Tan-22",
        "Tanh-13",
        "ThresholdedRelu-22",
        "Tile-13",
        "TopK-24",
        "Transpose-13",
        "Transpose-21",
        "Transpose-23",
        "Transpose-24",
        "Transpose-25",
        "Unsqueeze-21",
        "Unsqueeze-23",
        "Unsqueeze-24",
        "Unsqueeze-25",
        "Where-16");
    unchanged(
        WORDING,
        "ArgMax-11",
        "ArgMin-11",
        "AveragePool-11",
        "Compress-11",
        "Concat-11",
        "Conv-11",
        "ConvTranspose-11",
        "Flatten-11",
        "Gather-11",
        "Hardmax-11",
        "If-11",
        "LogSoftmax-11",
        "LpPool-11",
        "Max-8",
        "MaxPool-11",
        "MaxUnpool-11",
        "Mean-8",
        "Min-8",
        "NegativeLogLikelihoodLoss-13",
        "NonMaxSuppression-11",
        "OneHot-11",
        "Pad-19",
        "ReduceL1-11",
        "ReduceL2-11",
        "ReduceLogSum-11",
        "ReduceLogSumExp-11",
        "ReduceMax-11",
        "ReduceMean-11",
        "ReduceMin-11",
        "ReduceProd-11",
        "ReduceSum-11",
        "ReduceSumSquare-11",
        "Resize-19",
        "Scan-11",
        "ScatterElements-18",
        "ScatterND-18",
        "Slice-11",
        "Softmax-11",
        "Split-11",
        "Squeeze-11",
        "Sum-8",
        "Unsqueeze-11");
    unchanged(
        DEFAULTS,
        "ArgMax-12",
        "ArgMin-12",
        "AveragePool-10",
        "AveragePool-19",
        "BatchNormalization-15",
        "Cast-19",
        "Cast-24",
        "CastLike-19",
        "CastLike-24",
        "Constant-11",
        "Constant-12",
        "DepthToSpace-11",
        "DequantizeLinear-13",
        "DequantizeLinear-19",
        "DequantizeLinear-21",
        "DequantizeLinear-23",
        "GRU-14",
        "GatherND-12",
        "Gemm-11",
        "Identity-14",
        "LSTM-14",
        "Loop-11",
        "LpPool-18",
        "MaxPool-8",
        "MaxPool-10",
        "OptionalHasElement-18",
        "Pad-18",
        "Pow-12",
        "QLinearMatMul-21",
        "QuantizeLinear-13",
        "QuantizeLinear-19",
        "QuantizeLinear-21",
        "QuantizeLinear-23",
        "RNN-14",
        "Reshape-14",
        "Resize-18",
        "ScatterElements-16",
        "ScatterND-16",
        "Shape-15",
        "TopK-11");

    // Attributes that became inputs.
    adapter(
        "Slice-10",
        "starts, ends and axes attributes became inputs (with steps)",
        AttributesToInputs.of(
            new Move("starts", 1, INTS), new Move("ends", 2, INTS), new Move("axes", 3, INTS)));
    adapter(
        "TopK-10",
        "attribute k became the input K (1-D, one element)",
        AttributesToInputs.of(new Move("k", 1, INT_AS_ONE_ELEMENT)));
    adapter(
        "Upsample-9",
        "attribute scales became an input",
        AttributesToInputs.of(new Move("scales", 1, FLOATS)));
    // An absent bound stays absent: unbounded at 11, where Clip-6 bounded by -+FLT_MAX; the same
    // for float and float16 data, for double data a difference beyond 3.4e38 only.
    adapter(
        "Clip-11",
        "attributes min and max became scalar inputs of the data's type",
        AttributesToInputs.of(
            new Move("min", 1, SCALAR_LIKE_DATA), new Move("max", 2, SCALAR_LIKE_DATA)));
    adapter(
        "Pad-11",
        "attributes pads and value became inputs (pads INT64, constant_value of the data's type)",
        AttributesToInputs.of(new Move("pads", 1, INTS), new Move("value", 2, SCALAR_LIKE_DATA)));
    adapter(
        "Dropout-12",
        "attribute ratio became an input (training_mode added, default off)",
        AttributesToInputs.of(new Move("ratio", 1, FLOAT_SCALAR)));
    adapter("Split-13", "attribute split became an input", AttributesToInputs.ints("split", 1));
    adapter("Squeeze-13", "attribute axes became an input", AttributesToInputs.ints("axes", 1));
    adapter("Unsqueeze-13", "attribute axes became an input", AttributesToInputs.ints("axes", 1));
    adapter("ReduceSum-13", "attribute axes became an input", AttributesToInputs.ints("axes", 1));
    for (String reduce :
        new String[] {
          "ReduceL1",
          "ReduceL2",
          "ReduceLogSum",
          "ReduceLogSumExp",
          "ReduceMax",
          "ReduceMean",
          "ReduceMin",
          "ReduceProd",
          "ReduceSumSquare"
        }) {
      adapter(reduce + "-18", "attribute axes became an input", AttributesToInputs.ints("axes", 1));
    }

    // Meanings that changed.
    SoftmaxAxis softmax = new SoftmaxAxis();
    adapter(
        "Softmax-13",
        "axis names the one axis normalized (was: the 2-D coercion at axis)",
        softmax);
    adapter(
        "LogSoftmax-13",
        "axis names the one axis normalized (was: the 2-D coercion at axis)",
        softmax);
    adapter(
        "Hardmax-13",
        "axis names the one axis normalized (was: the 2-D coercion at axis)",
        softmax);
    adapter(
        "Upsample-10",
        "deprecated for Resize-10 (same inputs and modes)",
        ResizeSteps::upsampleToResize);
    adapter(
        "Resize-11",
        "roi input, coordinate and nearest-rounding modes with new defaults",
        ResizeSteps::resize10to11);
    adapter("Resize-13", "coordinate mode tf_half_pixel_for_nn removed", ResizeSteps::resize11to13);
    adapter(
        "Scatter-11",
        "deprecated for ScatterElements (the same operator)",
        SmallSteps::scatterElements);
    adapter(
        "Split-18",
        "attribute num_outputs required when no split input is given",
        SmallSteps::splitNumOutputs);
    adapter(
        "BatchNormalization-9",
        "attribute spatial removed (1, per channel, kept)",
        SmallSteps::batchNormalizationSpatial);
    adapter(
        "BatchNormalization-14",
        "training outputs redefined",
        SmallSteps::batchNormalizationOutputs);
    adapter("Dropout-10", "mask output became BOOL", SmallSteps::dropoutMask);
    adapter(
        "RoiAlign-16",
        "coordinate_transformation_mode added, default half_pixel (was output_half_pixel)",
        SmallSteps::roiAlignCoordinates);
    adapter(
        "GridSample-20",
        "modes bilinear and bicubic renamed linear and cubic",
        SmallSteps::gridSampleModes);

    // Changes qcal does not convert.
    refused(
        "Scan-9", "Scan-9 replaced the batch axis and directions of Scan-8 with per-input axes");
    refused(
        "GroupNormalization-21",
        "scale and bias changed from one value per group to one per channel");
    refused("DFT-20", "the axis attribute became an input with another default");
    refused(
        "Attention-24",
        "Attention changed at opset 24 (nonpad_kv_seqlen input), not verified by qcal");
    refused(
        "Attention-25",
        "Attention changed at opset 25 (window size attributes), not verified by qcal");
  }

  private Steps() {}

  private static void unchanged(String why, String... keys) {
    for (String key : keys) {
      register(new Step(key, why, StepAdapter.UNCHANGED));
    }
  }

  private static void adapter(String key, String change, StepAdapter adapter) {
    register(new Step(key, change, adapter));
  }

  private static void refused(String key, String why) {
    register(
        new Step(
            key,
            why,
            (node, scope) -> {
              throw new CannotConvert(why);
            }));
  }

  private static void register(Step step) {
    if (STEPS.put(step.key(), step) != null) {
      throw new IllegalStateException("step " + step.key() + " registered twice");
    }
  }

  /** The step into schema {@code op}-{@code version}, if qcal knows it. */
  static Optional<Step> of(String op, int version) {
    return Optional.ofNullable(STEPS.get(op + "-" + version));
  }

  /** Every step by key. */
  static Map<String, Step> all() {
    return Collections.unmodifiableMap(STEPS);
  }
}
