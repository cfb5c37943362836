package dev.qcal.jobs.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.jobs.dump.InputFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The contents of {@code state/_STATE.json}: what a state holds and how its histograms were laid
 * out, read before any Parquet file so a foreign or incompatible state is refused up front.
 *
 * <p>Version 2 adds what makes a state safe to merge: the data files it covers ({@code
 * input_files}: path, length and modification time of every dump file folded in, transitively
 * through merged states), its Parquet file's name and SHA-256 ({@code data_file}, {@code
 * data_sha256}), and {@code state_id}, the SHA-256 of every other field. The id is a function of
 * the contents, so a rerun on the same dump writes the same bytes; a field edited by hand no longer
 * matches it, and a data file changed after writing no longer matches its digest ({@link
 * StateFiles#open} checks both).
 *
 * @param qcalVersion the qcal version that wrote it
 * @param bins the {@code --bins} of the run
 * @param layout the histogram layout
 * @param domains the histogram domains stored per tensor
 * @param inputs the dumps the state covers, as given (a merged state lists every dump)
 * @param files the data files the state covers, sorted (a merged state lists every file)
 * @param values values read, NaN and ±Inf included
 * @param tensors tensors stored
 * @param channelBins the {@code --channel-bins} of the per-channel state in the {@code channels}
 *     column, or 0 when no tensor was calibrated per channel (no such column)
 */
public record StateMeta(
    String qcalVersion,
    int bins,
    HistogramLayout layout,
    Set<Domain> domains,
    List<String> inputs,
    List<InputFile> files,
    long values,
    int tensors,
    int channelBins) {

  /** The {@code format} field. */
  public static final String FORMAT = "qcal.state";

  /** The state format version this qcal writes and reads. */
  public static final int VERSION = 2;

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  /** Whether the state holds per-channel tensors (its {@code channels} column). */
  public boolean hasChannels() {
    return channelBins > 0;
  }

  /** Copies the collections. */
  public StateMeta {
    domains = domains.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(domains));
    inputs = List.copyOf(inputs);
    files = List.copyOf(files);
  }

  /** The domains, in {@link Domain} order. */
  public Set<Domain> domainSet() {
    return domains.isEmpty() ? EnumSet.noneOf(Domain.class) : EnumSet.copyOf(domains);
  }

  /**
   * What identifies a written state: its id, and its data file with that file's digest.
   *
   * @param stateId {@code sha256:} and the hex SHA-256 of every other field of {@code _STATE.json}
   * @param dataFile the Parquet file's name in the state directory
   * @param dataSha256 the hex SHA-256 of the Parquet file's bytes
   */
  public record Identity(String stateId, String dataFile, String dataSha256) {}

  /**
   * Writes the JSON form, with the data file {@code dataFile} whose SHA-256 is {@code dataSha256};
   * returns the identity written.
   */
  public Identity write(OutputStream out, String dataFile, String dataSha256) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("state_version", VERSION);
    root.put("qcal_version", qcalVersion);
    root.put("bins", bins);
    if (hasChannels()) {
      root.put("channel_bins", channelBins);
    }
    root.put("histogram_layout", layout.key());
    ArrayNode d = root.putArray("domains");
    domainSet().forEach(x -> d.add(x.key()));
    ArrayNode in = root.putArray("inputs");
    inputs.forEach(in::add);
    root.put("values", values);
    root.put("tensors", tensors);
    root.put("data_file", dataFile);
    root.put("data_sha256", dataSha256);
    ObjectNode columns = root.putObject("columns");
    columns.put(StateFiles.TENSOR, "tensor name");
    columns.put(StateFiles.STATS, "RangeStats.toBytes (version 2; version 1 is read too)");
    for (Domain x : Domain.values()) {
      columns.put(x.key(), "Histogram.toBytes, null when not built");
    }
    if (hasChannels()) {
      columns.put(
          StateFiles.CHANNELS, "ChannelStates.toBytes, null for a tensor calibrated per tensor");
    }
    ArrayNode f = root.putArray("input_files");
    for (InputFile file : files) {
      f.addArray().add(file.path()).add(file.length()).add(file.modified());
    }
    String id = id(root);
    // The id first, for people reading the file; it is computed without itself.
    ObjectNode ordered = MAPPER.createObjectNode();
    ordered.put("format", FORMAT);
    ordered.put("state_version", VERSION);
    ordered.put("state_id", id);
    ordered.setAll(root);
    MAPPER.writeValue(out, ordered);
    out.write('\n');
    return new Identity(id, dataFile, dataSha256);
  }

  /**
   * {@code sha256:} and the SHA-256 of the compact JSON of {@code root} without {@code state_id}.
   */
  private static String id(ObjectNode root) {
    ObjectNode copy = root.deepCopy();
    copy.remove("state_id");
    try {
      return "sha256:" + sha256(new ObjectMapper().writeValueAsBytes(copy));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The hex SHA-256 of {@code bytes}. */
  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  /** A fresh SHA-256 digest. */
  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** A state as read: what it says and what identifies it. */
  public record Stored(StateMeta meta, Identity identity) {}

  /**
   * Reads the JSON form of {@code file}, checking that its {@code state_id} matches its fields.
   *
   * @throws IllegalArgumentException naming the file and the field when it is not a qcal state of
   *     this version, or when a field was changed after it was written
   */
  public static Stored read(InputStream in, String file) {
    JsonNode root;
    try {
      root = MAPPER.readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot read the qcal state " + file + ": not JSON (" + e.getMessage() + ")");
    }
    if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException(
          "Cannot read the qcal state "
              + file
              + ": not a qcal state (no \"format\": \""
              + FORMAT
              + "\")");
    }
    int version = root.path("state_version").asInt(-1);
    if (version != VERSION) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot read the qcal state %s: state version %s, this qcal reads version %d (%s)",
              file,
              root.path("state_version"),
              VERSION,
              version >= 1 && version < VERSION
                  ? "version "
                      + version
                      + " states carry no identity or digest: rerun calibrate on its dump with"
                      + " this qcal"
                  : "recompute it with the qcal that wrote it, or rerun calibrate"));
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
      List<InputFile> files = new ArrayList<>();
      for (JsonNode f : required(root, "input_files", file)) {
        if (!f.isArray()
            || f.size() != 3
            || !f.get(1).canConvertToLong()
            || !f.get(2).canConvertToLong()) {
          throw new IllegalArgumentException(
              "an entry of \"input_files\" is not [path, length, modified]: " + f);
        }
        files.add(new InputFile(f.get(0).asText(), f.get(1).asLong(), f.get(2).asLong()));
      }
      String stateId = required(root, "state_id", file).asText();
      String computed = id((ObjectNode) root);
      if (!computed.equals(stateId)) {
        throw new IllegalArgumentException(
            "its fields were changed after it was written (its state_id "
                + stateId
                + " does not match them, "
                + computed
                + "): a state edited by hand could merge wrongly; use the state as qcal wrote it");
      }
      StateMeta meta =
          new StateMeta(
              required(root, "qcal_version", file).asText(),
              required(root, "bins", file).asInt(),
              HistogramLayout.parse(required(root, "histogram_layout", file).asText()),
              domains.isEmpty() ? EnumSet.noneOf(Domain.class) : EnumSet.copyOf(domains),
              inputs,
              files,
              required(root, "values", file).asLong(),
              required(root, "tensors", file).asInt(),
              root.path("channel_bins").asInt(0));
      return new Stored(
          meta,
          new Identity(
              stateId,
              required(root, "data_file", file).asText(),
              required(root, "data_sha256", file).asText()));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("Cannot read the qcal state")) {
        throw e;
      }
      throw new IllegalArgumentException(
          "Cannot read the qcal state " + file + ": " + e.getMessage());
    }
  }

  private static JsonNode required(JsonNode root, String field, String file) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      throw new IllegalArgumentException(
          "Cannot read the qcal state " + file + ": no \"" + field + "\" field");
    }
    return n;
  }
}
