package dev.qcal.core.io;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr} of a float (a double), for the formats whose reference writer is a Python
 * program that prints {@code str(float)} or {@code json.dumps}: ONNX Runtime's {@code
 * write_calibration_table} ({@code calibration.cache}, {@code calibration.flatbuffers}, {@code
 * calibration.json}) and PPQ's TensorRT JSON. Byte-identical output needs Python's digits and
 * Python's layout, which differ from Java's {@code Double.toString}: {@code 1e-05} not {@code
 * 1.0E-5}, {@code 1e+16} not {@code 1.0E16}, and for the few doubles whose shortest decimal has one
 * digit Java 19+ may print two (JDK-4511638 fix: {@code 4.9E-324} where Python prints {@code
 * 5e-324}).
 *
 * <p>Digits: the shortest decimal that reads back as the same double, the one nearest the double
 * when several have that length (CPython {@code float_repr_style = 'short'}, David Gay's {@code
 * dtoa} mode 0). Found here by rounding the exact binary value to 1, 2, … 17 significant digits
 * (half-even) and taking the first that round-trips: the nearest p-digit decimal round-trips
 * whenever any p-digit decimal does. Layout ({@code Python/pystrtod.c}, {@code 'r'} format): with
 * the decimal exponent e (value = 0.d1d2… × 10^e), fixed notation when −4 < e ≤ 16, always with a
 * fractional part ({@code 100.0}); otherwise {@code d[.ddd]e±XX} with at least two exponent digits.
 */
final class PythonFloat {
  private PythonFloat() {}

  /** {@code repr(value)}; NaN and infinities are refused (JSON and these tables have none). */
  static String repr(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("Cannot format a non-finite number: " + value);
    }
    if (value == 0) {
      return Double.doubleToRawLongBits(value) == 0 ? "0.0" : "-0.0";
    }
    BigDecimal exact = new BigDecimal(value);
    BigDecimal shortest = exact;
    for (int p = 1; p <= 17; p++) {
      BigDecimal candidate = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (candidate.doubleValue() == value) {
        shortest = candidate;
        break;
      }
    }
    shortest = shortest.stripTrailingZeros();
    String digits = shortest.unscaledValue().abs().toString();
    // value = 0.digits × 10^decpt
    int decpt = digits.length() - shortest.scale();
    StringBuilder b = new StringBuilder(value < 0 ? "-" : "");
    if (decpt > -4 && decpt <= 16) {
      if (decpt <= 0) {
        b.append("0.").append("0".repeat(-decpt)).append(digits);
      } else if (decpt >= digits.length()) {
        b.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
      } else {
        b.append(digits, 0, decpt).append('.').append(digits.substring(decpt));
      }
    } else {
      b.append(digits.charAt(0));
      if (digits.length() > 1) {
        b.append('.').append(digits.substring(1));
      }
      int exponent = decpt - 1;
      b.append(exponent < 0 ? "e-" : "e+");
      int abs = Math.abs(exponent);
      b.append(abs < 10 ? "0" : "").append(abs);
    }
    return b.toString();
  }

  /** {@code repr} of a float32 value as Python sees it after {@code float(np.float32(v))}. */
  static String repr(float value) {
    return repr((double) value);
  }

  /**
   * A JSON string as Python's {@code json.dumps} writes it with its default {@code
   * ensure_ascii=True}: {@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code \t}, {@code \b},
   * {@code \f}, and {@code \}{@code uXXXX} (lowercase hex, UTF-16 code units, so a character beyond
   * U+FFFF becomes a surrogate pair) for everything outside printable ASCII (0x20–0x7E). The name
   * still reads back verbatim: only its spelling in the file is escaped.
   */
  static String jsonString(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        case '\b':
          b.append("\\b");
          break;
        case '\f':
          b.append("\\f");
          break;
        default:
          if (c >= 0x20 && c <= 0x7e) {
            b.append(c);
          } else {
            b.append(String.format("\\u%04x", (int) c));
          }
      }
    }
    return b.append('"').toString();
  }
}
