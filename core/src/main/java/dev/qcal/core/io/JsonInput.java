package dev.qcal.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Parsing and field access shared by the JSON readers; every failure becomes an {@link
 * InputFormatException} whose message starts with the context ({@code "hist.json: tensor 'x'"}).
 */
final class JsonInput {
  // A repeated key is an error rather than "last one wins": in a hand-edited histogram file it is
  // almost always a copy-paste slip, and silently dropping one tensor's data would be worse.
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private JsonInput() {}

  /** The whole document; {@code source} names it in messages. */
  static JsonNode parse(InputStream in, String source) {
    try (JsonParser p = MAPPER.createParser(in)) {
      JsonNode root = MAPPER.readTree(p);
      if (root == null || root.isMissingNode()) {
        throw new InputFormatException(source + ": empty input, expected a JSON object");
      }
      if (p.nextToken() != null) {
        throw new InputFormatException(
            source + ": unexpected content after the JSON value" + where(p.currentLocation()));
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new InputFormatException(
          source + ": not valid JSON: " + e.getOriginalMessage() + where(e.getLocation()), e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + source, e);
    }
  }

  private static String where(JsonLocation loc) {
    return loc == null
        ? ""
        : String.format(" (line %d, column %d)", loc.getLineNr(), loc.getColumnNr());
  }

  /** The required field {@code name} of {@code node}. */
  static JsonNode required(JsonNode node, String name, String context) {
    JsonNode v = node.get(name);
    if (v == null) {
      throw new InputFormatException(context + ": missing '" + name + "'");
    }
    return v;
  }

  /** The required object field {@code name}. */
  static JsonNode object(JsonNode node, String name, String context) {
    JsonNode v = required(node, name, context);
    if (!v.isObject()) {
      throw new InputFormatException(
          context + ": '" + name + "' must be an object, not " + describe(v));
    }
    return v;
  }

  /** The required array field {@code name}. */
  static JsonNode array(JsonNode node, String name, String context) {
    JsonNode v = required(node, name, context);
    if (!v.isArray()) {
      throw new InputFormatException(
          context + ": '" + name + "' must be an array, not " + describe(v));
    }
    return v;
  }

  /** The required string field {@code name}. */
  static String text(JsonNode node, String name, String context) {
    JsonNode v = required(node, name, context);
    if (!v.isTextual()) {
      throw new InputFormatException(
          context + ": '" + name + "' must be a string, not " + describe(v));
    }
    return v.textValue();
  }

  /** The required integer field {@code name} (a JSON integer, or a number with no fraction). */
  static long integer(JsonNode node, String name, String context) {
    return integerValue(required(node, name, context), "'" + name + "'", context);
  }

  /** {@code v} as a long; {@code what} names it in the message. */
  static long integerValue(JsonNode v, String what, String context) {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v.isFloatingPointNumber()) {
      double d = v.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
        return (long) d;
      }
    }
    throw new InputFormatException(
        context + ": " + what + " must be an integer, not " + describe(v));
  }

  /** The required number field {@code name}. */
  static double number(JsonNode node, String name, String context) {
    return numberValue(required(node, name, context), "'" + name + "'", context);
  }

  /** {@code v} as a finite double; {@code what} names it in the message. */
  static double numberValue(JsonNode v, String what, String context) {
    if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
      throw new InputFormatException(
          context + ": " + what + " must be a finite number, not " + describe(v));
    }
    return v.doubleValue();
  }

  /** A short description of a value for messages: its JSON text, cut at 40 characters. */
  static String describe(JsonNode v) {
    String s = v.toString();
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  /**
   * A tensor name quoted for messages, with control characters escaped so the message stays on one
   * line.
   */
  static String quote(String name) {
    StringBuilder b = new StringBuilder("'");
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('\'').toString();
  }
}
