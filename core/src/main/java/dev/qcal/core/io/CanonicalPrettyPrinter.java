package dev.qcal.core.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.IOException;

/**
 * The layout of qcal's JSON: two-space indentation, LF, {@code "name": value}, one array element
 * per line, and {@code []}/{@code {}} for empty containers. Jackson's {@code DefaultPrettyPrinter}
 * differs in small ways ({@code "name" : value}, {@code [ ]}, the platform line separator in older
 * versions), and a golden-file format must not drift with the Jackson version, so the layout is
 * spelled out here (the onnx module's {@code sensitivity.json} uses it too). Stateful: one instance
 * per document.
 */
public final class CanonicalPrettyPrinter implements PrettyPrinter {
  /** A line break and the indentation of each depth, written in one call. */
  private static final String[] NEWLINES = new String[16];

  static {
    for (int d = 0; d < NEWLINES.length; d++) {
      NEWLINES[d] = "\n" + "  ".repeat(d);
    }
  }

  private int depth;

  private void newline(JsonGenerator g) throws IOException {
    if (depth < NEWLINES.length) {
      g.writeRaw(NEWLINES[depth]);
      return;
    }
    g.writeRaw('\n');
    for (int i = 0; i < depth; i++) {
      g.writeRaw("  ");
    }
  }

  @Override
  public void writeRootValueSeparator(JsonGenerator g) throws IOException {
    g.writeRaw('\n');
  }

  @Override
  public void writeStartObject(JsonGenerator g) throws IOException {
    g.writeRaw('{');
    depth++;
  }

  @Override
  public void beforeObjectEntries(JsonGenerator g) throws IOException {
    newline(g);
  }

  @Override
  public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
    g.writeRaw(": ");
  }

  @Override
  public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
    g.writeRaw(',');
    newline(g);
  }

  @Override
  public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
    depth--;
    if (nrOfEntries > 0) {
      newline(g);
    }
    g.writeRaw('}');
  }

  @Override
  public void writeStartArray(JsonGenerator g) throws IOException {
    g.writeRaw('[');
    depth++;
  }

  @Override
  public void beforeArrayValues(JsonGenerator g) throws IOException {
    newline(g);
  }

  @Override
  public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
    g.writeRaw(',');
    newline(g);
  }

  @Override
  public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
    depth--;
    if (nrOfValues > 0) {
      newline(g);
    }
    g.writeRaw(']');
  }
}
