package dev.qcal.core.io;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.MaxCalibrator;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * The TensorRT INT8 calibration cache ({@code IInt8Calibrator::readCalibrationCache}, {@code
 * trtexec --calib}, Polygraphy {@code --calibration-cache}; docs/design/formats.md §2): a header
 * line {@code TRT-<version code>-<Algorithm>}, then one line {@code <name>: <scale>} per tensor,
 * where the scale is {@code float32(amax) / 127f} computed in float32 ({@link
 * QuantSpec#tensorRtScale}) and written as the 8 lowercase hex digits of its IEEE-754 bits, most
 * significant first. ASCII (UTF-8 for non-ASCII names), LF, sorted by name so the file diffs;
 * TensorRT needs no order.
 *
 * <p>Names are written verbatim: the format has no escaping. A name with a line break therefore
 * cannot be written (it would forge a line), nor an empty name (a scale keyed by nothing); {@link
 * #write} refuses the whole table rather than drop the tensor silently. Names with {@code ": "} are
 * written as they are: robust readers (and {@link #read}) split at the last {@code ": "}; ONNX
 * Runtime's TensorRT EP splits at the first {@code ':'} and misreads them (docs/design/formats.md
 * §2.1), and NVIDIA ModelOpt's {@code calibration_cache_path} reader splits at every {@code ": "}
 * and rejects the file ({@link TableFormat#TRT_CACHE} warns of both).
 *
 * <p><b>Zero ranges are omitted.</b> A tensor whose amax is 0 (all zeros, or no finite value) would
 * need scale 0, which TensorRT rejects ("Tensor X is uniformly zero; network calibration failed").
 * Writing a tiny made-up scale instead would invent a range the data never had. Without a line,
 * TensorRT warns "Missing scale and zero-point for tensor X" and runs the layers touching it in
 * higher precision, which is the right outcome for a tensor with no usable range. The omitted
 * tensors are listed by {@link #omitted} so the job can report them; they remain in the JSON and
 * CSV outputs with their flags. The same applies to an amax whose float32 scale is not a finite
 * positive number (an amax beyond float32's range, or so small the scale underflows to 0).
 *
 * <p>The cache is deprecated since TensorRT 10.1 and gone in 11 (explicit Q/DQ replaces it).
 */
public final class TensorRtCache {
  private static final Pattern HEADER = Pattern.compile("TRT-[0-9]+-[A-Za-z0-9]+");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{1,8}");
  private static final String SEPARATOR = ": ";

  /** The calibrator class named in the header; TensorRT compares it with the one it builds with. */
  public enum Algorithm {
    /** {@code IInt8EntropyCalibrator2}: TensorRT's default and the one DLA requires. */
    ENTROPY_CALIBRATION_2("EntropyCalibration2"),
    /** {@code IInt8MinMaxCalibrator}. */
    MIN_MAX_CALIBRATION("MinMaxCalibration");

    private final String header;

    Algorithm(String header) {
      this.header = header;
    }

    /** The spelling in the header, e.g. {@code EntropyCalibration2}. */
    public String header() {
      return header;
    }

    /**
     * The algorithm a qcal method's cache is labelled with: {@code MinMaxCalibration} for {@code
     * max}, otherwise {@code EntropyCalibration2} (the calibrator class users build with by
     * default; TensorRT only reads the scales, it does not redo the search).
     */
    public static Algorithm forMethod(String method) {
      return MaxCalibrator.NAME.equals(method) ? MIN_MAX_CALIBRATION : ENTROPY_CALIBRATION_2;
    }
  }

  private TensorRtCache() {}

  /**
   * Writes the cache of {@code method}'s results for TensorRT {@code version}, labelled with {@link
   * Algorithm#forMethod}; the stream is flushed, not closed.
   *
   * @throws IllegalArgumentException if the table has no such method, or a tensor name is empty or
   *     holds a line break (nothing is written then)
   */
  public static void write(
      CalibrationTable table, String method, TensorRtVersion version, OutputStream out) {
    write(table, method, version, Algorithm.forMethod(method), out);
  }

  /**
   * Writes the cache of {@code method}'s results with an explicit header algorithm.
   *
   * @throws IllegalArgumentException if the table has no such method, or a tensor name is empty or
   *     holds a line break (nothing is written then)
   */
  public static void write(
      CalibrationTable table,
      String method,
      TensorRtVersion version,
      Algorithm algorithm,
      OutputStream out) {
    if (!table.methods().contains(method)) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot write the TensorRT cache of method %s: the table has %s",
              method, table.methods()));
    }
    StringBuilder text = new StringBuilder();
    text.append("TRT-").append(version.code()).append('-').append(algorithm.header()).append('\n');
    for (TensorCalibration t : table.tensors()) {
      checkName(t.name());
      float scale = scale(t.result(method));
      if (writable(scale)) {
        text.append(t.name()).append(SEPARATOR).append(hex(scale)).append('\n');
      }
    }
    try {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the TensorRT calibration cache", e);
    }
  }

  /** The cache text {@link #write} writes. */
  public static String toText(CalibrationTable table, String method, TensorRtVersion version) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    write(table, method, version, buf);
    return buf.toString(StandardCharsets.UTF_8);
  }

  /**
   * The tensors {@link #write} leaves out for {@code method} (amax 0, or a scale that is not a
   * finite positive float32), sorted by name.
   */
  public static List<String> omitted(CalibrationTable table, String method) {
    List<String> out = new ArrayList<>();
    for (TensorCalibration t : table.tensors()) {
      if (!writable(scale(t.result(method)))) {
        out.add(t.name());
      }
    }
    return out;
  }

  /** {@link #omitted} with the reason, for {@link TableFormat#omitted}. */
  static List<TensorIssue> omittedIssues(CalibrationTable table, String method) {
    List<TensorIssue> out = new ArrayList<>();
    for (String name : omitted(table, method)) {
      out.add(
          new TensorIssue(
              name,
              "amax gives no finite positive float32 scale (0 is rejected by TensorRT as uniformly"
                  + " zero)"));
    }
    return out;
  }

  /**
   * The tensors whose name one of the cache's readers takes wrongly ({@link TableFormat#warnings}):
   * a ':' (ONNX Runtime's TensorRT EP with its native calibration table splits each line at the
   * first ':'), ': ' or '_scale' (NVIDIA ModelOpt's {@code calibration_cache_path}, as run on
   * qcal's caches: vectors/modelopt_calibration_cache_read.json).
   */
  static List<TensorIssue> nameWarnings(CalibrationTable table) {
    List<TensorIssue> out = new ArrayList<>();
    for (TensorCalibration t : table.tensors()) {
      StringJoiner why = new StringJoiner("; ");
      if (t.name().indexOf(':') >= 0) {
        why.add(
            "a ':' in the name: TensorRT reads it, but ONNX Runtime's TensorRT EP with"
                + " trt_int8_use_native_calibration_table=1 splits at the first ':' and misreads"
                + " it (use ort-flatbuffers for the EP)");
      }
      if (t.name().contains(": ")) {
        why.add(
            "': ' in the name: ModelOpt's calibration_cache_path reader splits each line at every"
                + " ': ' and rejects the whole file");
      }
      if (t.name().contains("_scale")) {
        why.add(
            "'_scale' in the name: ModelOpt removes every '_scale' from the cached names when it"
                + " picks the nodes to quantize, so it does not pick the nodes this tensor feeds");
      }
      if (why.length() > 0) {
        out.add(new TensorIssue(t.name(), why.toString()));
      }
    }
    return out;
  }

  private static float scale(CalibrationResult r) {
    return QuantSpec.tensorRtScale(r.amax());
  }

  private static boolean writable(float scale) {
    return scale > 0 && Float.isFinite(scale);
  }

  private static void checkName(String name) {
    if (name.isEmpty() || FormatSupport.hasLineBreak(name)) {
      throw new IllegalArgumentException(
          "Cannot write the TensorRT calibration cache: tensor "
              + JsonInput.quote(name)
              + (name.isEmpty()
                  ? " has an empty name, and a cache line keyed by nothing (': <scale>') names no"
                      + " tensor"
                  : " has a line break in its name, and the cache format has no escaping")
              + "; rename the tensor or skip this output (the JSON and CSV outputs still carry"
              + " it)");
    }
  }

  /**
   * The 8 lowercase hex digits of the float's bits (zero-padded, unlike NVIDIA's Python writers).
   */
  public static String hex(float scale) {
    // Not String.format: a Formatter per tensor costs far more than the 8 characters it writes.
    String digits = Integer.toHexString(Float.floatToRawIntBits(scale));
    return "00000000".substring(digits.length()) + digits;
  }

  /**
   * The dynamic range a reader derives from a scale: {@code scale · 127} in float32 (ORT TensorRT
   * EP).
   */
  public static float amax(float scale) {
    return scale * 127f;
  }

  /**
   * A cache as read back: its header and the scales by name in file order.
   *
   * @param header the first line, e.g. {@code TRT-8601-EntropyCalibration2}
   * @param scales scale by tensor name, in file order (unmodifiable)
   */
  public record Contents(String header, Map<String, Float> scales) {
    /** Copies the map. */
    public Contents {
      scales = Collections.unmodifiableMap(new LinkedHashMap<>(scales));
    }

    /** The version code of the header, e.g. 8601. */
    public int versionCode() {
      return Integer.parseInt(header.split("-")[1]);
    }

    /** The algorithm of the header, e.g. {@code EntropyCalibration2}. */
    public String algorithm() {
      return header.split("-")[2];
    }
  }

  /** The scales of a cache, by name in file order; see {@link #readContents}. */
  public static Map<String, Float> read(InputStream in) {
    return readContents(in, "calibration cache").scales();
  }

  /**
   * Reads a cache: the header must look like {@code TRT-<digits>-<Algorithm>}; each later line is
   * split at its last {@code ": "} (names may contain {@code ": "}), the hex field has 1 to 8
   * digits (NVIDIA's Python writers drop leading zeros), CR before LF and blank lines are ignored.
   *
   * @throws InputFormatException naming the source and line if the header or a line is malformed or
   *     a name appears twice
   */
  public static Contents readContents(InputStream in, String source) {
    String text;
    try {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + source, e);
    }
    String[] lines = text.split("\n", -1);
    String header = stripCr(lines[0]);
    if (!HEADER.matcher(header).matches()) {
      throw new InputFormatException(
          String.format(
              "%s: line 1: expected a header TRT-<version>-<algorithm>, not '%s'", source, header));
    }
    Map<String, Float> scales = new LinkedHashMap<>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String line = stripCr(lines[i]);
      if (line.isEmpty()) {
        continue;
      }
      int at = line.lastIndexOf(SEPARATOR);
      String hex = at < 0 ? "" : line.substring(at + SEPARATOR.length());
      if (at < 0 || !HEX.matcher(hex).matches()) {
        throw new InputFormatException(
            String.format(
                "%s: line %d: expected '<tensor name>: <hex scale>', not '%s'",
                source, i + 1, line));
      }
      String name = line.substring(0, at);
      Integer seen = firstLine.putIfAbsent(name, i + 1);
      if (seen != null) {
        throw new InputFormatException(
            String.format(
                "%s: line %d: tensor %s appears twice (first on line %d)",
                source, i + 1, JsonInput.quote(name), seen));
      }
      scales.put(name, Float.intBitsToFloat(Integer.parseUnsignedInt(hex, 16)));
    }
    return new Contents(header, scales);
  }

  private static String stripCr(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
