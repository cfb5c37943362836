package dev.qcal.jobs.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The contents of {@code state/_STATE.json}: what a state holds and how its histograms were laid
 * out, read before any Parquet file so a foreign or incompatible state is refused up front.
 *
 * @param qcalVersion the qcal version that wrote it
 * @param bins the {@code --bins} of the run
 * @param layout the histogram layout
 * @param domains the histogram domains stored per tensor
 * @param inputs the dumps the state covers (a merged state lists every dump)
 * @param values values read, NaN and ±Inf included
 * @param tensors tensors stored
 */
public record StateMeta(
    String qcalVersion,
    int bins,
    HistogramLayout layout,
    Set<Domain> domains,
    List<String> inputs,
    long values,
    int tensors) {

  /** The {@code format} field. */
  public static final String FORMAT = "qcal.state";

  /** The state format version this qcal writes and reads. */
  public static final int VERSION = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  /** Copies the collections. */
  public StateMeta {
    domains = domains.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(domains));
    inputs = List.copyOf(inputs);
  }

  /** The domains, in {@link Domain} order. */
  public Set<Domain> domainSet() {
    return domains.isEmpty() ? EnumSet.noneOf(Domain.class) : EnumSet.copyOf(domains);
  }

  /** Writes the JSON form. */
  public void write(OutputStream out) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("state_version", VERSION);
    root.put("qcal_version", qcalVersion);
    root.put("bins", bins);
    root.put("histogram_layout", layout.key());
    ArrayNode d = root.putArray("domains");
    domainSet().forEach(x -> d.add(x.key()));
    ArrayNode in = root.putArray("inputs");
    inputs.forEach(in::add);
    root.put("values", values);
    root.put("tensors", tensors);
    ObjectNode columns = root.putObject("columns");
    columns.put(StateFiles.TENSOR, "tensor name");
    columns.put(StateFiles.STATS, "RangeStats.toBytes (version 2; version 1 is read too)");
    for (Domain x : Domain.values()) {
      columns.put(x.key(), "Histogram.toBytes, null when not built");
    }
    MAPPER.writeValue(out, root);
    out.write('\n');
  }

  /**
   * Reads the JSON form of {@code file}.
   *
   * @throws IllegalArgumentException naming the file and the field when it is not a qcal state of
   *     this version
   */
  public static StateMeta read(InputStream in, String file) {
    JsonNode root;
    try {
      root = MAPPER.readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read the qcal state " + file + ": not JSON (" + e.getMessage() + ")");
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException(
          "Cannot read the qcal state " + file + ": not a qcal state (no \"format\": \"" + FORMAT + "\")");
    }
    int version = root.path("state_version").asInt(-1);
    if (version != VERSION) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot read the qcal state %s: state version %s, this qcal reads version %d"
                  + " (recompute it with the qcal that wrote it, or rerun calibrate)",
              file, root.path("state_version"), VERSION));
    }
    try {
      List<Domain> domains = new ArrayList<>();
      for (JsonNode d : required(root, "domains", file)) {
        domains.add(Domain.valueOf(d.asText().toUpperCase(Locale.ROOT)));
      }
      List<String> inputs = new ArrayList<>();
      for (JsonNode i : required(root, "inputs", file)) {
        inputs.add(i.asText());
      }
      return new StateMeta(
          required(root, "qcal_version", file).asText(),
          required(root, "bins", file).asInt(),
          HistogramLayout.parse(required(root, "histogram_layout", file).asText()),
          domains.isEmpty() ? EnumSet.noneOf(Domain.class) : EnumSet.copyOf(domains),
          inputs,
          required(root, "values", file).asLong(),
          required(root, "tensors", file).asInt());
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("Cannot read the qcal state")) {
        throw e;
      }
      throw new IllegalArgumentException("Cannot read the qcal state " + file + ": " + e.getMessage());
    }
  }

  private static JsonNode required(JsonNode root, String field, String file) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      throw new IllegalArgumentException("Cannot read the qcal state " + file + ": no \"" + field + "\" field");
    }
    return n;
  }
}
