package dev.qcal.onnx;

import dev.qcal.onnx.proto.TensorProto;
import dev.qcal.onnx.proto.TensorShapeProto;
import dev.qcal.onnx.proto.TypeProto;
import dev.qcal.onnx.proto.ValueInfoProto;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The element type and shape a model declares for one of its values (usually a graph input), and
 * the concrete shape of a tensor fed to it. A dim is known (a {@code dim_value}) or unknown (a
 * {@code dim_param} such as {@code batch}, or nothing); a value may also declare no shape at all
 * (any rank).
 */
public final class DeclaredShape implements Serializable {
  private static final long serialVersionUID = 1L;

  /** An unknown dim in {@link #dims()}. */
  public static final long UNKNOWN = -1;

  private final String name;
  private final int elementType;
  private final long[] dims;

  private DeclaredShape(String name, int elementType, long[] dims) {
    this.name = name;
    this.elementType = elementType;
    this.dims = dims;
  }

  /** What {@code value} declares; a value that is not a tensor has element type UNDEFINED. */
  public static DeclaredShape of(ValueInfoProto value) {
    TypeProto.Tensor tensor = value.getType().getTensorType();
    long[] dims = null;
    if (tensor.hasShape()) {
      List<TensorShapeProto.Dimension> declared = tensor.getShape().getDimList();
      dims = new long[declared.size()];
      for (int i = 0; i < dims.length; i++) {
        TensorShapeProto.Dimension d = declared.get(i);
        dims[i] = d.hasDimValue() && d.getDimValue() >= 0 ? d.getDimValue() : UNKNOWN;
      }
    }
    return new DeclaredShape(value.getName(), tensor.getElemType(), dims);
  }

  /** The value's name. */
  public String name() {
    return name;
  }

  /** Whether the value is a FLOAT tensor. */
  public boolean isFloat() {
    return elementType == TensorProto.DataType.FLOAT_VALUE;
  }

  /** The element type's name as ONNX spells it (FLOAT, INT64, ...). */
  public String elementTypeName() {
    TensorProto.DataType type = TensorProto.DataType.forNumber(elementType);
    return type == null ? "data type " + elementType : type.name();
  }

  /** Whether the rank is declared. */
  public boolean hasRank() {
    return dims != null;
  }

  /** The declared dims, {@link #UNKNOWN} where unknown; empty of meaning when there is no rank. */
  public long[] dims() {
    return dims == null ? new long[0] : dims.clone();
  }

  /** How many dims are unknown; every dim counts when the rank itself is unknown. */
  public int unknownDims() {
    if (dims == null) {
      return Integer.MAX_VALUE;
    }
    int n = 0;
    for (long d : dims) {
      if (d == UNKNOWN) {
        n++;
      }
    }
    return n;
  }

  /**
   * Whether the shape of a tensor of {@code length} elements follows from the declaration alone:
   * every dim known, or one unknown (inferred from the length, as numpy's {@code reshape(-1)}).
   */
  public boolean impliesShape() {
    return unknownDims() <= 1;
  }

  /**
   * The concrete shape of a tensor of {@code length} elements fed to this value: {@code given} when
   * not null, checked against the declaration, else the declared dims with the one unknown dim
   * inferred from the length.
   *
   * @throws IllegalArgumentException saying what does not fit (the caller names the input)
   */
  public long[] resolve(long[] given, long length) {
    if (given != null) {
      for (long d : given) {
        if (d < 0) {
          throw new IllegalArgumentException("shape " + text(given) + " has a negative dim");
        }
      }
      if (dims != null) {
        boolean fits = given.length == dims.length;
        for (int i = 0; fits && i < dims.length; i++) {
          fits = dims[i] == UNKNOWN || dims[i] == given[i];
        }
        if (!fits) {
          throw new IllegalArgumentException(
              "shape " + text(given) + " does not fit the model's " + text());
        }
      }
      long count = elements(given);
      if (count != length) {
        throw new IllegalArgumentException(
            "shape " + text(given) + " gives " + count + " values, the row has " + length);
      }
      return given.clone();
    }
    if (!impliesShape()) {
      throw new IllegalArgumentException("the model's shape " + text() + " needs the row's shape");
    }
    long[] shape = dims.clone();
    long known = 1;
    int unknown = -1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == UNKNOWN) {
        unknown = i;
      } else {
        known *= shape[i];
      }
    }
    if (unknown >= 0 && known > 0 && length % known == 0) {
      shape[unknown] = length / known;
    } else if (unknown >= 0 || known != length) {
      throw new IllegalArgumentException(
          "the row has " + length + " values, which the model's shape " + text() + " cannot hold");
    }
    return shape;
  }

  /** The declared shape as {@code [?, 3, 48, ?]}, or {@code [any rank]}. */
  public String text() {
    if (dims == null) {
      return "[any rank]";
    }
    List<String> parts = new ArrayList<>();
    for (long d : dims) {
      parts.add(d == UNKNOWN ? "?" : Long.toString(d));
    }
    return "[" + String.join(", ", parts) + "]";
  }

  /** A concrete shape as {@code [1, 3, 48, 320]}. */
  public static String text(long[] shape) {
    return Arrays.toString(shape);
  }

  private static long elements(long[] shape) {
    long n = 1;
    try {
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("shape " + text(shape) + " has too many elements");
    }
    return n;
  }

  @Override
  public String toString() {
    return name + " " + elementTypeName() + " " + text();
  }
}
