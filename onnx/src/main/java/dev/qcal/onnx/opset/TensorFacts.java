package dev.qcal.onnx.opset;

import dev.qcal.onnx.proto.TensorShapeProto;
import dev.qcal.onnx.proto.TypeProto;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * What is known of a value before running the model: its element type ({@code TensorProto.DataType}
 * number, 0 when unknown) and its shape ({@code null} when even the rank is unknown; a dim of
 * {@value #UNKNOWN_DIM} when that dim is unknown). Immutable.
 */
final class TensorFacts {
  /** A dim whose size is not known. */
  static final long UNKNOWN_DIM = -1;

  /** Nothing known. */
  static final TensorFacts NONE = new TensorFacts(0, null);

  private final int elemType;
  private final long[] dims;

  private TensorFacts(int elemType, long[] dims) {
    this.elemType = elemType;
    this.dims = dims;
  }

  /**
   * A value of element type {@code elemType} (0: unknown) and shape {@code dims} (null: unknown
   * rank).
   */
  static TensorFacts of(int elemType, long[] dims) {
    return new TensorFacts(elemType, dims == null ? null : dims.clone());
  }

  /** A value of element type {@code elemType} and rank {@code rank}, every dim unknown. */
  static TensorFacts ofRank(int elemType, int rank) {
    long[] dims = new long[rank];
    Arrays.fill(dims, UNKNOWN_DIM);
    return new TensorFacts(elemType, dims);
  }

  /** What a declared type says (a graph input, output or value_info): NONE for a non-tensor. */
  static TensorFacts declared(TypeProto type) {
    if (!type.hasTensorType()) {
      return NONE;
    }
    TypeProto.Tensor tensor = type.getTensorType();
    if (!tensor.hasShape()) {
      return new TensorFacts(tensor.getElemType(), null);
    }
    long[] dims = new long[tensor.getShape().getDimCount()];
    for (int i = 0; i < dims.length; i++) {
      TensorShapeProto.Dimension d = tensor.getShape().getDim(i);
      dims[i] = d.hasDimValue() && d.getDimValue() >= 0 ? d.getDimValue() : UNKNOWN_DIM;
    }
    return new TensorFacts(tensor.getElemType(), dims);
  }

  /** The element type number, 0 when unknown. */
  int elemType() {
    return elemType;
  }

  /** The rank, when known. */
  OptionalInt rank() {
    return dims == null ? OptionalInt.empty() : OptionalInt.of(dims.length);
  }

  /** The dims ({@link #UNKNOWN_DIM} where unknown), or null when the rank is unknown. */
  long[] dims() {
    return dims == null ? null : dims.clone();
  }

  /** Dim {@code i}, {@link #UNKNOWN_DIM} when it or the rank is unknown. */
  long dim(int i) {
    return dims == null || i < 0 || i >= dims.length ? UNKNOWN_DIM : dims[i];
  }

  /** The same shape with another element type. */
  TensorFacts withElemType(int type) {
    return new TensorFacts(type, dims);
  }

  /** The same element type with the shape of {@code other}. */
  TensorFacts withShapeOf(TensorFacts other) {
    return new TensorFacts(elemType, other.dims);
  }

  /**
   * These facts completed by {@code inferred}: a declared element type or shape wins, inference
   * fills what the declaration leaves out.
   */
  TensorFacts orElse(TensorFacts inferred) {
    return new TensorFacts(
        elemType != 0 ? elemType : inferred.elemType, dims != null ? dims : inferred.dims);
  }

  @Override
  public String toString() {
    return "type " + elemType + " dims " + (dims == null ? "?" : Arrays.toString(dims));
  }
}
