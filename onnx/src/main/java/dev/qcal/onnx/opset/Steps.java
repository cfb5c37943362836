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
 *   <li>unchanged ({@link UnchangedSteps}): the schema changed in a way that leaves every node
 *       valid before with the same meaning (new element types, negative axes allowed, a new
 *       attribute or optional input whose default is the old behaviour), so the node is kept byte
 *       for byte;
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

  static {
    UnchangedSteps.all().forEach(Steps::register);

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
