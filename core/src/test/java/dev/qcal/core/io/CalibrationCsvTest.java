package dev.qcal.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalibrationCsvTest {

  // Tables.threeTensors, one row per (tensor, method), tensors sorted, methods in requested order.
  // Values as in CalibrationJsonTest (conv1 max scale 2.5f/127f, entropy 2.0f/127f; zero ranges
  // scale 1). Symmetric ranges print min = -amax; the all-zero range (-0.0, 0.0) prints 0.0.
  // The awkward name holds a quote (doubled), a newline and a comma, so it is quoted; so is each
  // note holding a comma. Objective NaN/+Inf → empty field.
  private static final String GOLDEN =
      "tensor,method,min,max,amax,scale,zero_point,bits,objective,count,nan,pos_inf,neg_inf,flags,notes\n"
          + "conv1,max,-2.5,2.5,2.5,0.019685039296746254,0,8,,4,1,0,0,has_nan,\n"
          + "conv1,entropy,-2.0,2.0,2.0,0.015748031437397003,0,8,0.125,4,1,0,0,has_nan,hand-made\n"
          + "\"fc \"\"out\"\"\n"
          + "2, b\",max,0.0,0.0,0.0,1.0,0,8,,2,0,0,0,all_zero,\"all-zero tensor: zero range, scale"
          + " set to 1\"\n"
          + "\"fc \"\"out\"\"\n"
          + "2, b\",entropy,0.0,0.0,0.0,1.0,0,8,,2,0,0,0,all_zero,\n"
          + "nan_only,max,0.0,0.0,0.0,1.0,0,8,,1,1,0,0,no_finite_values has_nan,\"no finite values:"
          + " range set to [0, 0]\"\n"
          + "nan_only,entropy,0.0,0.0,0.0,1.0,0,8,,1,1,0,0,no_finite_values has_nan,\n";

  @Test
  void writesTheGoldenCsv() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CalibrationCsv.write(Tables.threeTensors(), out);
    assertEquals(GOLDEN, out.toString(StandardCharsets.UTF_8));
    assertEquals(GOLDEN, CalibrationCsv.toCsv(Tables.threeTensors()));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "conv1|conv1",
        "a,b|\"a,b\"",
        "say \"hi\"|\"say \"\"hi\"\"\"",
        "a\\nb|\"a\\nb\"",
        "a\\rb|\"a\\rb\"",
        "/model.0/act/Mul_output_0|/model.0/act/Mul_output_0",
        "(Unnamed Layer* 3) [Constant]_output|(Unnamed Layer* 3) [Constant]_output",
        "café|café",
      })
  void quotesFieldsAsRfc4180(String value, String field) {
    // CsvSource cannot hold a raw line break, so the cases spell CR and LF as \r and \n.
    assertEquals(unescape(field), CalibrationCsv.field(unescape(value)));
  }

  private static String unescape(String s) {
    return s.replace("\\n", "\n").replace("\\r", "\r");
  }
}
