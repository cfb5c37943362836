package dev.qcal.onnx.opset;

import java.util.Set;

/**
 * The operators whose output facts follow from their inputs' by a rule they share, one constant a
 * rule ({@link FactInference} applies it); an operator with a rule of its own is in none. The
 * operators are default-domain op types.
 */
enum ShapeFamily {
  /** Output 0 has the shape and element type of input 0. */
  SAME_AS_INPUT(
      Set.of(
          "Abs",
          "Acos",
          "Acosh",
          "Asin",
          "Asinh",
          "Atan",
          "Atanh",
          "BatchNormalization",
          "Ceil",
          "Celu",
          "Clip",
          "Cos",
          "Cosh",
          "CumSum",
          "Dropout",
          "Elu",
          "Erf",
          "Exp",
          "Floor",
          "Gelu",
          "GroupNormalization",
          "HardSigmoid",
          "HardSwish",
          "Hardmax",
          "Identity",
          "InstanceNormalization",
          "LRN",
          "LayerNormalization",
          "LeakyRelu",
          "Log",
          "LogSoftmax",
          "LpNormalization",
          "MeanVarianceNormalization",
          "Mish",
          "Neg",
          "PRelu",
          "Reciprocal",
          "Relu",
          "Round",
          "Scatter",
          "ScatterElements",
          "ScatterND",
          "Selu",
          "Shrink",
          "Sigmoid",
          "Sign",
          "Sin",
          "Sinh",
          "Softmax",
          "Softplus",
          "Softsign",
          "Sqrt",
          "Tan",
          "Tanh",
          "ThresholdedRelu",
          "Trilu")),

  /** Output 0 has the element type and rank of input 0; its dims may differ. */
  SAME_RANK(
      Set.of(
          "AveragePool",
          "Conv",
          "ConvTranspose",
          "DepthToSpace",
          "GlobalAveragePool",
          "GlobalLpPool",
          "GlobalMaxPool",
          "LpPool",
          "MaxPool",
          "MaxRoiPool",
          "Pad",
          "Resize",
          "SpaceToDepth",
          "Tile",
          "Upsample")),

  /** Multidirectional broadcasting: the output rank is the largest input rank. */
  BROADCAST(
      Set.of("Add", "BitShift", "Div", "Max", "Mean", "Min", "Mod", "Mul", "Pow", "Sub", "Sum")),

  /** Broadcasting comparisons and logic: a BOOL output. */
  BROADCAST_BOOL(
      Set.of("And", "Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual", "Or", "Xor"));

  private final Set<String> operators;

  ShapeFamily(Set<String> operators) {
    this.operators = operators;
  }

  /** Whether operator {@code op} follows this rule. */
  boolean contains(String op) {
    return operators.contains(op);
  }
}
