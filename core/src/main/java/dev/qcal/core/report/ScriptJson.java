package dev.qcal.core.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Data for the page's script, as JSON text safe inside {@code <script type="application/json">}:
 * every non-ASCII character is written as a {@code \\uXXXX} escape (so U+2028/2029 and unpaired
 * surrogates survive, and the block is pure ASCII), and {@code <}, {@code >} and {@code &} are
 * written as {@code \\u003c}, {@code \\u003e}, {@code \\u0026}, so no string can close the block
 * ({@code </script>}) or open a comment ({@code <!--}). {@code JSON.parse} reads back the original
 * strings.
 */
final class ScriptJson {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private ScriptJson() {}

  /** A JSON object of named string lists, in the given order, made safe for a script block. */
  static String of(List<String> keys, List<List<String>> values) {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(text)) {
      g.writeStartObject();
      for (int k = 0; k < keys.size(); k++) {
        g.writeArrayFieldStart(keys.get(k));
        for (String s : values.get(k)) {
          g.writeString(s);
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return safe(text.toString());
  }

  /** {@code json} with {@code < > &} (which JSON only has inside strings) as unicode escapes. */
  static String safe(String json) {
    StringBuilder out = new StringBuilder(json.length() + 16);
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      switch (c) {
        case '<':
          out.append("\\u003c");
          break;
        case '>':
          out.append("\\u003e");
          break;
        case '&':
          out.append("\\u0026");
          break;
        case '\u2028':
          out.append("\\u2028");
          break;
        case '\u2029':
          out.append("\\u2029");
          break;
        default:
          out.append(c);
      }
    }
    return out.toString();
  }
}
