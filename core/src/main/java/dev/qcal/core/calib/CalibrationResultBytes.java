package dev.qcal.core.calib;

import dev.qcal.core.histogram.ByteArrayReader;
import dev.qcal.core.histogram.ByteArrayWriter;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.ScaleRounding;
import dev.qcal.core.quant.Scheme;
import java.util.List;
import java.util.Map;

/**
 * The compact binary form of a {@link CalibrationResult}, part of a report row's ({@code
 * ReportTensorBytes}): every field exactly (doubles by their raw bits), its curves and details in
 * their (sorted) order. The details hold the values calibrators put there: boxed numbers and
 * booleans, strings, primitive number arrays and null; any other value is refused when written,
 * since no form could bring it back as it was.
 */
public final class CalibrationResultBytes {
  // The tag of each detail type the form carries.
  private static final int NULL = 0;
  private static final int STRING = 1;
  private static final int BOOLEAN = 2;
  private static final int BYTE = 3;
  private static final int SHORT = 4;
  private static final int INT = 5;
  private static final int LONG = 6;
  private static final int FLOAT = 7;
  private static final int DOUBLE = 8;
  private static final int INTS = 9;
  private static final int LONGS = 10;
  private static final int FLOATS = 11;
  private static final int DOUBLES = 12;

  private CalibrationResultBytes() {}

  /**
   * Writes {@code r}, a result of tensor {@code tensor} (named in messages).
   *
   * @throws IllegalArgumentException naming the tensor, method and detail if a detail's value is of
   *     a type the form does not carry
   */
  public static void write(ByteArrayWriter out, String tensor, CalibrationResult r) {
    out.putString(r.method());
    out.putDouble(r.range().min());
    out.putDouble(r.range().max());
    writeQuant(out, r.quant());
    QuantParams p = r.params();
    out.putFloat(p.scale());
    out.putSignedVarLong(p.zeroPoint());
    out.putSignedVarLong(p.qmin());
    out.putSignedVarLong(p.qmax());
    out.putDouble(r.objective());
    out.putVarLong(r.curves().size());
    for (Map.Entry<String, List<SearchPoint>> c : r.curves().entrySet()) {
      out.putString(c.getKey());
      out.putVarLong(c.getValue().size());
      for (SearchPoint point : c.getValue()) {
        out.putDouble(point.threshold());
        out.putDouble(point.objective());
      }
    }
    out.putVarLong(r.details().size());
    for (Map.Entry<String, Object> d : r.details().entrySet()) {
      out.putString(d.getKey());
      writeDetail(out, d.getValue(), tensor, r.method(), d.getKey());
    }
    out.putVarLong(r.notes().size());
    for (String note : r.notes()) {
      out.putString(note);
    }
  }

  /** Reads a result written by {@link #write}. */
  public static CalibrationResult read(ByteArrayReader in) {
    String method = in.getString();
    ClipRange range = new ClipRange(in.getDouble(), in.getDouble());
    QuantSpec quant = readQuant(in);
    float scale = in.getFloat();
    int zeroPoint = (int) in.getSignedVarLong();
    long qmin = in.getSignedVarLong();
    long qmax = in.getSignedVarLong();
    CalibrationResult.Builder b =
        CalibrationResult.builder(method, range, quant)
            .params(new QuantParams(scale, zeroPoint, qmin, qmax))
            .objective(in.getDouble());
    for (int c = in.getSize(); c > 0; c--) {
      String name = in.getString();
      SearchPoint[] points = new SearchPoint[in.getSize()];
      for (int i = 0; i < points.length; i++) {
        points[i] = new SearchPoint(in.getDouble(), in.getDouble());
      }
      b.curve(name, List.of(points)); // already immutable: the builder keeps it without a copy
    }
    for (int d = in.getSize(); d > 0; d--) {
      b.detail(in.getString(), readDetail(in));
    }
    for (int n = in.getSize(); n > 0; n--) {
      b.note(in.getString());
    }
    return b.build();
  }

  /** Writes a quantizer: bit width, scheme, scale rounding. */
  public static void writeQuant(ByteArrayWriter out, QuantSpec quant) {
    out.putVarLong(quant.bits());
    out.putByte(quant.scheme().ordinal());
    out.putByte(quant.powerOfTwo().ordinal());
  }

  /** Reads a quantizer written by {@link #writeQuant}. */
  public static QuantSpec readQuant(ByteArrayReader in) {
    int bits = in.getVarInt();
    return new QuantSpec(bits, Scheme.values()[in.getByte()], ScaleRounding.values()[in.getByte()]);
  }

  private static void writeDetail(
      ByteArrayWriter out, Object v, String tensor, String method, String key) {
    if (v == null) {
      out.putByte(NULL);
    } else if (v instanceof String s) {
      out.putByte(STRING);
      out.putString(s);
    } else if (v instanceof Boolean x) {
      out.putByte(BOOLEAN);
      out.putBoolean(x);
    } else if (v instanceof Byte x) {
      out.putByte(BYTE);
      out.putByte(x);
    } else if (v instanceof Short x) {
      out.putByte(SHORT);
      out.putSignedVarLong(x);
    } else if (v instanceof Integer x) {
      out.putByte(INT);
      out.putSignedVarLong(x);
    } else if (v instanceof Long x) {
      out.putByte(LONG);
      out.putSignedVarLong(x);
    } else if (v instanceof Float x) {
      out.putByte(FLOAT);
      out.putFloat(x);
    } else if (v instanceof Double x) {
      out.putByte(DOUBLE);
      out.putDouble(x);
    } else if (v instanceof int[] a) {
      out.putByte(INTS);
      out.putVarLong(a.length);
      for (int x : a) {
        out.putSignedVarLong(x);
      }
    } else if (v instanceof long[] a) {
      out.putByte(LONGS);
      out.putVarLong(a.length);
      for (long x : a) {
        out.putSignedVarLong(x);
      }
    } else if (v instanceof float[] a) {
      out.putByte(FLOATS);
      out.putVarLong(a.length);
      for (float x : a) {
        out.putFloat(x);
      }
    } else if (v instanceof double[] a) {
      out.putByte(DOUBLES);
      out.putDoubles(a);
    } else {
      throw new IllegalArgumentException(
          String.format(
              "Cannot encode detail '%s' of method %s for tensor '%s': %s is not a boxed number,"
                  + " boolean, string, primitive number array or null",
              key, method, tensor, v.getClass().getName()));
    }
  }

  private static Object readDetail(ByteArrayReader in) {
    int tag = in.getByte();
    switch (tag) {
      case NULL:
        return null;
      case STRING:
        return in.getString();
      case BOOLEAN:
        return in.getBoolean();
      case BYTE:
        return (byte) in.getByte();
      case SHORT:
        return (short) in.getSignedVarLong();
      case INT:
        return (int) in.getSignedVarLong();
      case LONG:
        return in.getSignedVarLong();
      case FLOAT:
        return in.getFloat();
      case DOUBLE:
        return in.getDouble();
      case INTS:
        {
          int[] a = new int[in.getSize()];
          for (int i = 0; i < a.length; i++) {
            a[i] = (int) in.getSignedVarLong();
          }
          return a;
        }
      case LONGS:
        {
          long[] a = new long[in.getSize()];
          for (int i = 0; i < a.length; i++) {
            a[i] = in.getSignedVarLong();
          }
          return a;
        }
      case FLOATS:
        {
          float[] a = new float[in.getSize()];
          for (int i = 0; i < a.length; i++) {
            a[i] = in.getFloat();
          }
          return a;
        }
      case DOUBLES:
        return in.getDoubles();
      default:
        throw new IllegalArgumentException("Cannot read a detail: unknown tag " + tag);
    }
  }
}
