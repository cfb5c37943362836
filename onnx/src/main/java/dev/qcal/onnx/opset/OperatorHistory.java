package dev.qcal.onnx.opset;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * When each operator of the default ONNX domain got a new signature: the opset versions that
 * introduced a version of its schema ("since versions"), up to opset {@value #NEWEST}. A node in a
 * model of opset {@code v} follows its operator's newest schema introduced at or before {@code v},
 * so raising a model from opset {@code a} to {@code b} changes the schema of exactly the operators
 * with a since version in {@code (a, b]}: those are the steps an adapter must handle.
 *
 * <p>The versions are those of ONNX's operator changelog
 * (https://github.com/onnx/onnx/blob/main/docs/Changelog.md, ONNX 1.20, the release of opset 25).
 * Experimental operators of opsets 1 to 9 (ImageScaler, Crop, ...) are not listed: ONNX removed
 * them, no later schema exists.
 */
final class OperatorHistory {
  /** The newest opset listed. */
  static final int NEWEST = 25;

  private static final Map<String, int[]> SINCE = new TreeMap<>();

  /**
   * Schemas ONNX deprecated: the operator was removed at that version, and a node of it must become
   * another operator (Upsample became Resize, Scatter ScatterElements).
   */
  private static final Set<String> DEPRECATED = Set.of("Upsample-10", "Scatter-11");

  static {
    op("Abs", 1, 6, 13);
    op("Acos", 7, 22);
    op("Acosh", 9, 22);
    op("Add", 1, 6, 7, 13, 14);
    op("AffineGrid", 20);
    op("And", 1, 7);
    op("ArgMax", 1, 11, 12, 13);
    op("ArgMin", 1, 11, 12, 13);
    op("Asin", 7, 22);
    op("Asinh", 9, 22);
    op("Atan", 7, 22);
    op("Atanh", 9, 22);
    op("Attention", 23, 24, 25);
    op("AveragePool", 1, 7, 10, 11, 19, 22);
    op("BatchNormalization", 1, 6, 7, 9, 14, 15);
    op("Bernoulli", 15, 22);
    op("BitShift", 11);
    op("BitwiseAnd", 18);
    op("BitwiseNot", 18);
    op("BitwiseOr", 18);
    op("BitwiseXor", 18);
    op("BlackmanWindow", 17);
    op("Cast", 1, 6, 9, 13, 19, 21, 23, 24, 25);
    op("CastLike", 15, 19, 21, 23, 24, 25);
    op("Ceil", 1, 6, 13);
    op("Celu", 12);
    op("CenterCropPad", 18);
    op("Clip", 1, 6, 11, 12, 13);
    op("Col2Im", 18);
    op("Compress", 9, 11);
    op("Concat", 1, 4, 11, 13);
    op("ConcatFromSequence", 11);
    op("Constant", 1, 9, 11, 12, 13, 19, 21, 23, 24, 25);
    op("ConstantOfShape", 9, 20, 21, 23, 24, 25);
    op("Conv", 1, 11, 22);
    op("ConvInteger", 10);
    op("ConvTranspose", 1, 11, 22);
    op("Cos", 7, 22);
    op("Cosh", 9, 22);
    op("CumSum", 11, 14);
    op("DFT", 17, 20);
    op("DeformConv", 19, 22);
    op("DepthToSpace", 1, 11, 13);
    op("DequantizeLinear", 10, 13, 19, 21, 23, 24, 25);
    op("Det", 11, 22);
    op("Div", 1, 6, 7, 13, 14);
    op("Dropout", 1, 6, 7, 10, 12, 13, 22);
    op("DynamicQuantizeLinear", 11);
    op("Einsum", 12);
    op("Elu", 1, 6, 22);
    op("Equal", 1, 7, 11, 13, 19);
    op("Erf", 9, 13);
    op("Exp", 1, 6, 13);
    op("Expand", 8, 13);
    op("EyeLike", 9, 22);
    op("Flatten", 1, 9, 11, 13, 21, 23, 24, 25);
    op("Floor", 1, 6, 13);
    op("GRU", 1, 3, 7, 14, 22);
    op("Gather", 1, 11, 13);
    op("GatherElements", 11, 13);
    op("GatherND", 11, 12, 13);
    op("Gelu", 20);
    op("Gemm", 1, 6, 7, 9, 11, 13);
    op("GlobalAveragePool", 1, 22);
    op("GlobalLpPool", 1, 2, 22);
    op("GlobalMaxPool", 1, 22);
    op("Greater", 1, 7, 9, 13);
    op("GreaterOrEqual", 12, 16);
    op("GridSample", 16, 20, 22);
    op("GroupNormalization", 18, 21);
    op("HammingWindow", 17);
    op("HannWindow", 17);
    op("HardSigmoid", 1, 6, 22);
    op("HardSwish", 14, 22);
    op("Hardmax", 1, 11, 13);
    op("Identity", 1, 13, 14, 16, 19, 21, 23, 24, 25);
    op("If", 1, 11, 13, 16, 19, 21, 23, 24, 25);
    op("ImageDecoder", 20);
    op("InstanceNormalization", 1, 6, 22);
    op("IsInf", 10, 20);
    op("IsNaN", 9, 13, 20);
    op("LRN", 1, 13);
    op("LSTM", 1, 7, 14, 22);
    op("LayerNormalization", 17);
    op("LeakyRelu", 1, 6, 16);
    op("Less", 1, 7, 9, 13);
    op("LessOrEqual", 12, 16);
    op("Log", 1, 6, 13);
    op("LogSoftmax", 1, 11, 13);
    op("Loop", 1, 11, 13, 16, 19, 21, 23, 24, 25);
    op("LpNormalization", 1, 22);
    op("LpPool", 1, 2, 11, 18, 22);
    op("MatMul", 1, 9, 13);
    op("MatMulInteger", 10);
    op("Max", 1, 6, 8, 12, 13);
    op("MaxPool", 1, 8, 10, 11, 12, 22);
    op("MaxRoiPool", 1, 22);
    op("MaxUnpool", 9, 11, 22);
    op("Mean", 1, 6, 8, 13);
    op("MeanVarianceNormalization", 9, 13);
    op("MelWeightMatrix", 17);
    op("Min", 1, 6, 8, 12, 13);
    op("Mish", 18, 22);
    op("Mod", 10, 13);
    op("Mul", 1, 6, 7, 13, 14);
    op("Multinomial", 7, 22);
    op("Neg", 1, 6, 13);
    op("NegativeLogLikelihoodLoss", 12, 13, 22);
    op("NonMaxSuppression", 10, 11);
    op("NonZero", 9, 13);
    op("Not", 1);
    op("OneHot", 9, 11);
    op("Optional", 15);
    op("OptionalGetElement", 15, 18);
    op("OptionalHasElement", 15, 18);
    op("Or", 1, 7);
    op("PRelu", 1, 6, 7, 9, 16);
    op("Pad", 1, 2, 11, 13, 18, 19, 21, 23, 24, 25);
    op("Pow", 1, 7, 12, 13, 15);
    op("QLinearConv", 10);
    op("QLinearMatMul", 10, 21);
    op("QuantizeLinear", 10, 13, 19, 21, 23, 24, 25);
    op("RMSNormalization", 23);
    op("RNN", 1, 7, 14, 22);
    op("RandomNormal", 1, 22);
    op("RandomNormalLike", 1, 22);
    op("RandomUniform", 1, 22);
    op("RandomUniformLike", 1, 22);
    op("Range", 11);
    op("Reciprocal", 1, 6, 13);
    op("ReduceL1", 1, 11, 13, 18);
    op("ReduceL2", 1, 11, 13, 18);
    op("ReduceLogSum", 1, 11, 13, 18);
    op("ReduceLogSumExp", 1, 11, 13, 18);
    op("ReduceMax", 1, 11, 12, 13, 18, 20);
    op("ReduceMean", 1, 11, 13, 18);
    op("ReduceMin", 1, 11, 12, 13, 18, 20);
    op("ReduceProd", 1, 11, 13, 18);
    op("ReduceSum", 1, 11, 13);
    op("ReduceSumSquare", 1, 11, 13, 18);
    op("RegexFullMatch", 20);
    op("Relu", 1, 6, 13, 14);
    op("Reshape", 1, 5, 13, 14, 19, 21, 23, 24, 25);
    op("Resize", 10, 11, 13, 18, 19);
    op("ReverseSequence", 10);
    op("RoiAlign", 10, 16, 22);
    op("RotaryEmbedding", 23);
    op("Round", 11, 22);
    op("STFT", 17);
    op("Scan", 8, 9, 11, 16, 19, 21, 23, 24, 25);
    op("Scatter", 9, 11);
    op("ScatterElements", 11, 13, 16, 18);
    op("ScatterND", 11, 13, 16, 18);
    op("Selu", 1, 6, 22);
    op("SequenceAt", 11);
    op("SequenceConstruct", 11);
    op("SequenceEmpty", 11);
    op("SequenceErase", 11);
    op("SequenceInsert", 11);
    op("SequenceLength", 11);
    op("SequenceMap", 17);
    op("Shape", 1, 13, 15, 19, 21, 23, 24, 25);
    op("Shrink", 9);
    op("Sigmoid", 1, 6, 13);
    op("Sign", 9, 13);
    op("Sin", 7, 22);
    op("Sinh", 9, 22);
    op("Size", 1, 13, 19, 21, 23, 24, 25);
    op("Slice", 1, 10, 11, 13);
    op("Softmax", 1, 11, 13);
    op("SoftmaxCrossEntropyLoss", 12, 13);
    op("Softplus", 1, 22);
    op("Softsign", 1, 22);
    op("SpaceToDepth", 1, 13);
    op("Split", 1, 2, 11, 13, 18);
    op("SplitToSequence", 11, 24);
    op("Sqrt", 1, 6, 13);
    op("Squeeze", 1, 11, 13, 21, 23, 24, 25);
    op("StringConcat", 20);
    op("StringNormalizer", 10);
    op("StringSplit", 20);
    op("Sub", 1, 6, 7, 13, 14);
    op("Sum", 1, 6, 8, 13);
    op("Swish", 24);
    op("Tan", 7, 22);
    op("Tanh", 1, 6, 13);
    op("TensorScatter", 24);
    op("TfIdfVectorizer", 9);
    op("ThresholdedRelu", 10, 22);
    op("Tile", 1, 6, 13);
    op("TopK", 1, 10, 11, 24);
    op("Transpose", 1, 13, 21, 23, 24, 25);
    op("Trilu", 14);
    op("Unique", 11);
    op("Unsqueeze", 1, 11, 13, 21, 23, 24, 25);
    op("Upsample", 1, 7, 9, 10);
    op("Where", 9, 16);
    op("Xor", 1, 7);
  }

  private OperatorHistory() {}

  private static void op(String name, int... since) {
    SINCE.put(name, since);
  }

  /** Whether the default domain has (or had) an operator of this name. */
  static boolean isKnown(String op) {
    return SINCE.containsKey(op);
  }

  /**
   * The since version of the schema a node of {@code op} follows in a model of opset {@code opset};
   * empty when the operator did not exist yet at that opset.
   */
  static OptionalInt schemaAt(String op, int opset) {
    int[] since = SINCE.get(op);
    int found = -1;
    if (since != null) {
      for (int v : since) {
        if (v <= opset) {
          found = v;
        }
      }
    }
    return found < 0 ? OptionalInt.empty() : OptionalInt.of(found);
  }

  /**
   * The since version following {@code version} for {@code op}, if one is at most {@code limit}.
   */
  static OptionalInt nextSchema(String op, int version, int limit) {
    for (int v : SINCE.getOrDefault(op, new int[0])) {
      if (v > version && v <= limit) {
        return OptionalInt.of(v);
      }
    }
    return OptionalInt.empty();
  }

  /** The since version before {@code version} (the schema a step from it starts at). */
  static int previousSchema(String op, int version) {
    int[] since = SINCE.get(op);
    int i = Arrays.binarySearch(since, version);
    if (i <= 0) {
      throw new IllegalArgumentException(op + "-" + version + " has no previous schema");
    }
    return since[i - 1];
  }

  /** Whether schema {@code op}-{@code version} is a deprecation (the operator ends there). */
  static boolean isDeprecated(String op, int version) {
    return DEPRECATED.contains(op + "-" + version);
  }

  /** Every operator and its since versions, in name order. */
  static Map<String, int[]> all() {
    return Collections.unmodifiableMap(SINCE);
  }
}
