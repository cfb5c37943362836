package dev.qcal.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptJsonTest {
  @Test
  void nothingCanCloseTheScriptBlock() throws Exception {
    String hostile = "</script><!-- & \u2028\u2029 ü \"q\" \\ \n";
    String json = ScriptJson.of(List.of("names"), List.of(List.of(hostile)));
    assertEquals(
        "{\"names\":[\"\\u003C/script\\u003E\\u003C!-- \\u0026 \\u2028\\u2029 \\u00FC \\\"q\\\""
            + " \\\\ \\n"
            + "\"]}",
        json.replace("\\u003c", "\\u003C").replace("\\u003e", "\\u003E"));
    // Pure ASCII, and it reads back exactly.
    assertEquals(json.length(), json.chars().filter(c -> c < 128).count());
    assertEquals(hostile, new ObjectMapper().readTree(json).get("names").get(0).asText());
  }

  @Test
  void safeEscapesOnlyTheDangerousCharacters() {
    assertEquals("\\u003c\\u003e\\u0026\\u2028\\u2029{}", ScriptJson.safe("<>&\u2028\u2029{}"));
  }
}
