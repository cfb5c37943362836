package dev.qcal.core.io;

import static dev.qcal.core.testing.Throwing.assertThrowsSaying;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qcal.core.testing.ReferenceVector;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Python's float repr and json string escaping, against Python 3.11's own output. */
class PythonFloatTest {
  @Test
  void printsFloat32ValuesAsTheVectorsPythonDid() {
    // formats.json onnxruntime_calibration_cache_text.python_repr_of_float32: key = the Python
    // literal, rounded to float32; value = repr(float(np.float32(literal))).
    JsonNode reprs =
        ReferenceVector.load("formats.json")
            .json()
            .get("onnxruntime_calibration_cache_text")
            .get("python_repr_of_float32");
    int n = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = reprs.fields(); it.hasNext(); n++) {
      Map.Entry<String, JsonNode> e = it.next();
      float f = Float.parseFloat(e.getKey());
      assertEquals(e.getValue().asText(), PythonFloat.repr(f), e.getKey());
    }
    assertEquals(9, n);
  }

  // Expected strings printed by python3 (repr) for these doubles.
  @ParameterizedTest
  @CsvSource({
    "1e16, 1e+16",
    "1e15, 1000000000000000.0",
    "0.0001, 0.0001",
    "0.00001, 1e-05",
    "4.9E-324, 5e-324", // Java prints 4.9E-324: two digits where one suffices
    "1.5e300, 1.5e+300",
    "-2.5, -2.5",
    "2e23, 2e+23", // Java prints 2.0E23
    "1e22, 1e+22",
    "9007199254740993, 9007199254740992.0",
    "0.1, 0.1",
    "1234567890123456.7, 1234567890123456.8",
    "12345678901234567, 1.2345678901234568e+16",
    "100, 100.0",
    "0, 0.0",
    "-0.0, -0.0",
    "3.4028234663852886e38, 3.4028234663852886e+38",
    "1.401298464324817e-45, 1.401298464324817e-45"
  })
  void printsLikePythonRepr(double value, String expected) {
    assertEquals(expected, PythonFloat.repr(value));
  }

  @Test
  void refusesNonFiniteNumbers() {
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> PythonFloat.repr(Double.NaN),
        "non-finite number: NaN");
    assertThrowsSaying(
        IllegalArgumentException.class,
        () -> PythonFloat.repr(Double.POSITIVE_INFINITY),
        "non-finite number: Infinity");
  }

  @Test
  void escapesStringsLikeJsonDumps() {
    // python3 -c 'print(json.dumps("a \"b\"\\ c\n\r\t\b\f\x00\x1f\x7f é 日本 \U0001F600 :"))'
    String name = "a \"b\"\\ c\n\r\t\b\f\u0000\u001f\u007f é 日本 \uD83D\uDE00 :";
    assertEquals(
        "\"a \\\"b\\\"\\\\ c\\n"
            + "\\r"
            + "\\t\\b\\f\\u0000\\u001f\\u007f \\u00e9 \\u65e5\\u672c \\ud83d\\ude00 :\"",
        PythonFloat.jsonString(name));
  }
}
