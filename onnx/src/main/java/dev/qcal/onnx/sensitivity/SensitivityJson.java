package dev.qcal.onnx.sensitivity;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qcal.core.io.CanonicalPrettyPrinter;
import dev.qcal.core.io.InputFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sensitivity.json} and {@code sensitivity.csv}: a {@link SensitivityReport}, nodes worst
 * first, numbers rounded to 0.01 dB (and noise shares to 4 digits), no timestamp, so the same
 * measurements give the same bytes.
 *
 * <pre>{@code
 * {
 *   "format": "qcal.sensitivity",
 *   "version": 1,
 *   "model": "rec.onnx", "model_sha256": "3f5c...",
 *   "table": "run/calibration.json", "method": "best", "scheme": "symmetric",
 *   "samples": 40,
 *   "all_quantized_sqnr_db": 12.87,     // every node quantized, as qdq writes it
 *   "suggested_keep_float": ["p2o.Conv.1"],
 *   "nodes": [                          // worst first
 *     {"rank": 1, "node": "p2o.Conv.1", "op": "Conv", "sqnr_db": 14.53, "noise_share": 0.6412},
 *     ...
 *   ]
 * }
 * }</pre>
 *
 * A node whose quantized model gives exactly the float outputs has {@code "sqnr_db": null,
 * "output": "exact"}; one whose output is not finite (NaN or infinite) {@code "sqnr_db": null,
 * "output": "not_finite"}, and ranks first.
 */
public final class SensitivityJson {
  /** The {@code format} field. */
  public static final String FORMAT_NAME = "qcal.sensitivity";

  /** The schema version written and read. */
  public static final int CURRENT_VERSION = 1;

  private static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private SensitivityJson() {}

  /** Writes {@code report} as JSON to {@code out} (UTF-8; flushed, not closed). */
  public static void write(SensitivityReport report, OutputStream out) {
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.setPrettyPrinter(new CanonicalPrettyPrinter());
      g.writeStartObject();
      g.writeStringField("format", FORMAT_NAME);
      g.writeNumberField("version", CURRENT_VERSION);
      g.writeStringField("model", report.model());
      g.writeStringField("model_sha256", report.modelSha256());
      g.writeStringField("table", report.table());
      g.writeStringField("method", report.method());
      g.writeStringField("scheme", report.scheme());
      g.writeNumberField("samples", report.samples());
      g.writeFieldName("all_quantized_sqnr_db");
      decibels(report.allQuantizedDb(), g);
      g.writeArrayFieldStart("suggested_keep_float");
      for (String node : report.worst(report.suggested())) {
        g.writeString(node);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("nodes");
      int rank = 0;
      for (NodeSensitivity s : report.nodes()) {
        g.writeStartObject();
        g.writeNumberField("rank", ++rank);
        g.writeStringField("node", s.node());
        g.writeStringField("op", s.op());
        g.writeFieldName("sqnr_db");
        decibels(s.sqnrDb(), g);
        if (Double.isInfinite(s.sqnrDb())) {
          g.writeStringField("output", s.sqnrDb() > 0 ? "exact" : "not_finite");
        }
        g.writeFieldName("noise_share");
        share(report.noiseShare(s), g);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.writeRaw('\n');
      g.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the sensitivity JSON", e);
    }
  }

  /**
   * Writes {@code report} as CSV (RFC 4180, header {@code rank,node,op,sqnr_db,noise_share}, worst
   * first; an empty {@code sqnr_db} for exact or non-finite outputs) to {@code out} (flushed, not
   * closed).
   */
  public static void writeCsv(SensitivityReport report, OutputStream out) {
    StringBuilder csv = new StringBuilder("rank,node,op,sqnr_db,noise_share\n");
    int rank = 0;
    for (NodeSensitivity s : report.nodes()) {
      csv.append(++rank)
          .append(',')
          .append(csvField(s.node()))
          .append(',')
          .append(csvField(s.op()))
          .append(',')
          .append(Double.isInfinite(s.sqnrDb()) ? "" : decibelText(s.sqnrDb()))
          .append(',')
          .append(shareText(report.noiseShare(s)))
          .append('\n');
    }
    try {
      out.write(csv.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the sensitivity CSV", e);
    }
  }

  /**
   * Reads a {@code sensitivity.json}.
   *
   * @param source the file, named in errors
   * @throws InputFormatException naming {@code source} when it is not JSON, not a qcal sensitivity
   *     report of this version, or misses a field
   */
  public static SensitivityReport read(InputStream in, String source) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(in);
    } catch (JsonProcessingException e) {
      throw new InputFormatException(
          source + " is not JSON (" + e.getOriginalMessage() + "): give qcal sensitivity's file");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + source, e);
    }
    if (root == null || !root.isObject() || !FORMAT_NAME.equals(root.path("format").asText(null))) {
      throw new InputFormatException(
          source
              + " is not a sensitivity report (no \"format\": \""
              + FORMAT_NAME
              + "\"): give the sensitivity.json qcal sensitivity wrote");
    }
    if (root.path("version").asInt(-1) != CURRENT_VERSION) {
      throw new InputFormatException(
          source
              + " is a sensitivity report of version "
              + root.path("version")
              + "; this qcal reads version "
              + CURRENT_VERSION
              + ": run qcal sensitivity again");
    }
    JsonNode nodes = root.path("nodes");
    if (!nodes.isArray()) {
      throw missing(source, "nodes");
    }
    List<NodeSensitivity> read = new ArrayList<>();
    for (JsonNode n : nodes) {
      read.add(
          new NodeSensitivity(text(n, "node", source), text(n, "op", source), decibels(n, source)));
    }
    return new SensitivityReport(
        text(root, "model", source),
        text(root, "model_sha256", source),
        text(root, "table", source),
        text(root, "method", source),
        text(root, "scheme", source),
        root.path("samples").asLong(),
        decibels(root.path("all_quantized_sqnr_db"), "exact", source),
        read);
  }

  private static double decibels(JsonNode node, String source) {
    return decibels(node.path("sqnr_db"), node.path("output").asText("exact"), source);
  }

  private static double decibels(JsonNode value, String output, String source) {
    if (value.isNumber()) {
      return value.asDouble();
    }
    if (value.isNull()) {
      return output.equals("not_finite") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    throw missing(source, "sqnr_db");
  }

  private static String text(JsonNode node, String field, String source) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw missing(source, field);
    }
    return v.asText();
  }

  private static InputFormatException missing(String source, String field) {
    return new InputFormatException(
        source + " has no \"" + field + "\" where qcal sensitivity writes one: is it cut short?");
  }

  private static void decibels(double db, JsonGenerator g) throws IOException {
    if (Double.isInfinite(db) || Double.isNaN(db)) {
      g.writeNull();
    } else {
      g.writeNumber(decibelText(db));
    }
  }

  private static void share(double share, JsonGenerator g) throws IOException {
    if (Double.isInfinite(share) || Double.isNaN(share)) {
      g.writeNull();
    } else {
      g.writeNumber(shareText(share));
    }
  }

  private static String decibelText(double db) {
    String text = String.format(Locale.ROOT, "%.2f", db);
    return text.equals("-0.00") ? "0.00" : text;
  }

  private static String shareText(double share) {
    return Double.isFinite(share) ? String.format(Locale.ROOT, "%.4g", share) : "";
  }

  private static String csvField(String text) {
    if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
      return '"' + text.replace("\"", "\"\"") + '"';
    }
    return text;
  }
}
