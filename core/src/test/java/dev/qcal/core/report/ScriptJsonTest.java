package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScriptJsonTest {
  private static String literal(String s) {
    StringBuilder out = new StringBuilder();
    ScriptJson.stringTo(out, s);
    return out.toString();
  }

  /**
   * What the page wrote before the escapes were spelled out: Jackson's generator with {@code
   * ESCAPE_NON_ASCII}, then {@code < > &} and U+2028/2029 as lower-case unicode escapes.
   */
  private static String jackson(String s) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator g =
        JsonFactory.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build()
            .createGenerator(text)) {
      g.writeString(s);
    }
    return text.toString()
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029");
  }

  @Test
  void nothingCanCloseTheScriptBlock() throws Exception {
    String hostile = "</script><!-- & \u2028\u2029 ü \"q\" \\ \n";
    String json = literal(hostile);
    assertEquals(
        "\"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 \\u00FC \\\"q\\\" \\\\ \\n\"",
        json);
    // Pure ASCII, and it reads back exactly.
    assertEquals(json.length(), json.chars().filter(c -> c < 128).count());
    assertEquals(hostile, new ObjectMapper().readTree(json).asText());
  }

  @Test
  void everyCharacterAsJacksonWroteIt() throws IOException {
    for (int c = 0; c <= 0xFFFF; c++) {
      String s = "a" + (char) c + "b";
      assertEquals(jackson(s), literal(s), () -> "U+" + Integer.toHexString(s.charAt(1)));
    }
  }

  @Test
  void randomStringsAsJacksonWroteThem() throws IOException {
    Random random = new Random(13);
    char[] pool = {
      'a', 'Z', '0', ' ', '<', '>', '&', '"', '\\', '/', '\n', '\u0001', '\u007f', '\u00b7',
      '\u2605', '\u2028', '\ud83d', '\ude00', '\uffff'
    };
    for (int i = 0; i < 2000; i++) {
      StringBuilder s = new StringBuilder();
      for (int k = random.nextInt(12); k > 0; k--) {
        s.append(
            random.nextBoolean()
                ? pool[random.nextInt(pool.length)]
                : (char) random.nextInt(0x10000));
      }
      assertEquals(jackson(s.toString()), literal(s.toString()));
    }
  }
}
