package dev.qcal.core.io;

import dev.qcal.core.table.CalibrationTable;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Every output format by its command-line key ({@code --formats
 * trt-cache,ort-flatbuffers,aimet-2}), with its default file name and one way to write it, so the
 * caller treats all formats alike:
 *
 * <pre>{@code
 * for (TableFormat f : TableFormat.parse(keys)) {
 *   Optional<String> refusal = f.refusal(table, method);   // names the tensors and why
 *   if (refusal.isPresent()) { warn(refusal.get()); continue; }   // the others are still written
 *   f.write(table, method, options, out(f.fileName()));
 *   f.omitted(table, method).forEach(...);                 // e.g. zero ranges, reported
 *   f.warnings(table, method).forEach(...);                // written, but a consumer misreads
 * }
 * }</pre>
 *
 * <p>{@link #check} lists the tensors a format cannot carry, and {@link #write} refuses the whole
 * format if there is one (a table with a tensor silently missing is worse than no table). {@link
 * #omitted} lists tensors a format deliberately leaves out (a zero range, which TensorRT rejects).
 * {@link #warnings} lists names that are written verbatim but that one known consumer misreads. The
 * method-independent formats ({@code qcal-json}, {@code csv}) write every method and only check
 * that {@code method} is in the table.
 */
public enum TableFormat {
  /** qcal's canonical JSON, every method ({@link CalibrationJson}). */
  QCAL_JSON("qcal-json", "calibration.json") {
    @Override
    void writeChecked(
        CalibrationTable table, String method, FormatOptions options, OutputStream out) {
      CalibrationJson.write(table, out);
    }
  },
  /** A flat CSV, every method ({@link CalibrationCsv}). */
  CSV("csv", "calibration.csv") {
    @Override
    void writeChecked(
        CalibrationTable table, String method, FormatOptions options, OutputStream out) {
      CalibrationCsv.write(table, out);
    }
  },
  /**
   * The TensorRT calibration cache for {@link FormatOptions#tensorRtVersion} ({@link
   * TensorRtCache}).
   */
  TRT_CACHE("trt-cache", "calibration.cache") {
    @Override
    void writeChecked(
        CalibrationTable table, String method, FormatOptions options, OutputStream out) {
      TensorRtCache.write(table, method, options.tensorRtVersion(), out);
    }

    @Override
    List<TensorIssue> checkNames(CalibrationTable table, String method) {
      return FormatSupport.lineNames(table);
    }

    @Override
    public List<TensorIssue> warnings(CalibrationTable table, String method) {
      FormatSupport.requireMethod(table, method, key());
      return TensorRtCache.nameWarnings(table);
    }

    @Override
    public List<TensorIssue> omitted(CalibrationTable table, String method) {
      FormatSupport.requireMethod(table, method, key());
      return TensorRtCache.omittedIssues(table, method);
    }
  },
  /**
   * TensorRT {@code name:amax} lines for {@code setDynamicRange} ({@link TensorRtDynamicRange}).
   */
  TRT_DYNAMIC_RANGE("trt-dynamic-range", TensorRtDynamicRange.FILE_NAME) {
    @Override
    void writeChecked(
        CalibrationTable table, String method, FormatOptions options, OutputStream out) {
      TensorRtDynamicRange.write(table, method, out);
    }

    @Override
    List<TensorIssue> checkNames(CalibrationTable table, String method) {
      return TensorRtDynamicRange.check(table, method);
    }

    @Override
    public List<TensorIssue> omitted(CalibrationTable table, String method) {
      return TensorRtDynamicRange.omitted(table, method);
    }
  },
  /** ONNX Runtime TensorRT EP table ({@link OrtCalibrationFlatBuffers}, ascending). */
  ORT_FLATBUFFERS("ort-flatbuffers", OrtCalibrationFlatBuffers.FILE_NAME) {
    @Override
    void writeChecked(
        CalibrationTable table, String method, FormatOptions options, OutputStream out) {
      OrtCalibrationFlatBuffers.write(
          table, method, OrtCalibrationFlatBuffers.Order.ASCENDING, out);
    }

    @Override
    public List<TensorIssue> omitted(CalibrationTable table, String method) {
      return OrtCalibrationFlatBuffers.omitted(table, method);
    }
  },
  /** ONNX Runtime's {@code calibration.json} layout ({@link OrtCalibrationJson}). */
  ORT_JSON("ort-json", OrtCalibrationJson.FILE_NAME) {
    @Override
    void writeChecked(
        CalibrationTable table, String method, FormatOptions options, OutputStream out) {
      OrtCalibrationJson.write(table, method, out);
    }

    @Override
    public List<TensorIssue> omitted(CalibrationTable table, String method) {
      return OrtCalibrationJson.omitted(table, method);
    }
  },
  /** ONNX Runtime's {@code calibration.cache} text layout ({@link OrtCalibrationCache}). */
  ORT_CACHE("ort-cache", OrtCalibrationCache.FILE_NAME) {
    @Override
    void writeChecked(
        CalibrationTable table, String method, FormatOptions options, OutputStream out) {
      OrtCalibrationCache.write(table, method, out);
    }

    @Override
    List<TensorIssue> checkNames(CalibrationTable table, String method) {
      return OrtCalibrationCache.check(table, method);
    }

    @Override
    public List<TensorIssue> warnings(CalibrationTable table, String method) {
      return OrtCalibrationCache.warnings(table, method);
    }

    @Override
    public List<TensorIssue> omitted(CalibrationTable table, String method) {
      return OrtCalibrationCache.omitted(table, method);
    }
  },
  /** ORT {@code TensorQuantOverrides} with scale and zero point ({@link OrtQuantOverrides}). */
  ORT_OVERRIDES("ort-overrides", OrtQuantOverrides.FILE_NAME) {
    @Override
    void writeChecked(
        CalibrationTable table, String method, FormatOptions options, OutputStream out) {
      OrtQuantOverrides.write(table, method, OrtQuantOverrides.Mode.SCALE_ZERO_POINT, out);
    }

    @Override
    List<TensorIssue> checkNames(CalibrationTable table, String method) {
      return OrtQuantOverrides.check(table, method);
    }
  },
  /** ORT {@code TensorQuantOverrides} with rmin/rmax ({@link OrtQuantOverrides.Mode#RANGE}). */
  ORT_OVERRIDES_RANGE("ort-overrides-range", OrtQuantOverrides.RANGE_FILE_NAME) {
    @Override
    void writeChecked(
        CalibrationTable table, String method, FormatOptions options, OutputStream out) {
      OrtQuantOverrides.write(table, method, OrtQuantOverrides.Mode.RANGE, out);
    }

    @Override
    List<TensorIssue> checkNames(CalibrationTable table, String method) {
      return OrtQuantOverrides.check(table, method);
    }
  },
  /** AIMET / QNN encodings 0.6.1 ({@link AimetEncodings}). */
  AIMET_0_6_1("aimet-0.6.1", AimetEncodings.Version.V0_6_1),
  /** AIMET / QNN encodings 1.0.0 ({@link AimetEncodings}). */
  AIMET_1("aimet-1", AimetEncodings.Version.V1_0_0),
  /** AIMET / QNN encodings 2.0.0 ({@link AimetEncodings}). */
  AIMET_2("aimet-2", AimetEncodings.Version.V2_0_0),
  /** ncnn's {@code .table} ({@link NcnnTable}). */
  NCNN("ncnn", NcnnTable.FILE_NAME) {
    @Override
    void writeChecked(
        CalibrationTable table, String method, FormatOptions options, OutputStream out) {
      NcnnTable.write(table, method, out);
    }

    @Override
    List<TensorIssue> checkNames(CalibrationTable table, String method) {
      return NcnnTable.check(table, method);
    }

    @Override
    public List<TensorIssue> omitted(CalibrationTable table, String method) {
      return NcnnTable.omitted(table, method);
    }
  },
  /** PPQ's TensorRT JSON with the amax ({@link PpqTensorRtJson.Convention#AMAX}). */
  PPQ_TRT_JSON("ppq-trt-json", PpqTensorRtJson.FILE_NAME) {
    @Override
    void writeChecked(
        CalibrationTable table, String method, FormatOptions options, OutputStream out) {
      PpqTensorRtJson.write(table, method, PpqTensorRtJson.Convention.AMAX, out);
    }

    @Override
    public List<TensorIssue> omitted(CalibrationTable table, String method) {
      return PpqTensorRtJson.omitted(table, method);
    }
  },
  /** PPQ's TensorRT JSON as PPQ's exporter computes it ({@link PpqTensorRtJson.Convention#PPQ}). */
  PPQ_TRT_JSON_PPQ("ppq-trt-json:ppq", PpqTensorRtJson.PPQ_FILE_NAME) {
    @Override
    void writeChecked(
        CalibrationTable table, String method, FormatOptions options, OutputStream out) {
      PpqTensorRtJson.write(table, method, PpqTensorRtJson.Convention.PPQ, out);
    }

    @Override
    public List<TensorIssue> omitted(CalibrationTable table, String method) {
      return PpqTensorRtJson.omitted(table, method);
    }
  };

  private final String key;
  private final String fileName;
  private final AimetEncodings.Version aimet;

  /** The formats that write a per-channel tensor's per-channel results. */
  private static final Set<String> CARRY_CHANNELS =
      Set.of(
          "qcal-json", "aimet-0.6.1", "aimet-1", "aimet-2", "ort-overrides", "ort-overrides-range");

  TableFormat(String key, String fileName) {
    this.key = key;
    this.fileName = fileName;
    this.aimet = null;
  }

  TableFormat(String key, AimetEncodings.Version aimet) {
    this.key = key;
    this.fileName = aimet.fileName();
    this.aimet = aimet;
  }

  /** The command-line key, e.g. {@code ort-flatbuffers}. */
  public String key() {
    return key;
  }

  /** The default file name, e.g. {@code calibration.flatbuffers}; unique among the formats. */
  public String fileName() {
    return fileName;
  }

  /**
   * Writes {@code method}'s results of {@code table} in this format; the stream is flushed, not
   * closed.
   *
   * @throws IllegalArgumentException if the table has no such method, or {@link #check} lists a
   *     tensor (the message is {@link #refusal}'s; nothing is written then)
   */
  public void write(
      CalibrationTable table, String method, FormatOptions options, OutputStream out) {
    Optional<String> refusal = refusal(table, method);
    if (refusal.isPresent()) {
      throw new IllegalArgumentException(refusal.get());
    }
    writeChecked(table, method, options, out);
  }

  void writeChecked(
      CalibrationTable table, String method, FormatOptions options, OutputStream out) {
    AimetEncodings.write(table, method, aimet, options.producerVersion(), out);
  }

  /**
   * The tensors this format cannot carry, and why, in table order (empty if it can carry them all).
   *
   * @throws IllegalArgumentException if the table has no such method
   */
  public List<TensorIssue> check(CalibrationTable table, String method) {
    FormatSupport.requireMethod(table, method, key);
    return List.copyOf(checkNames(table, method));
  }

  List<TensorIssue> checkNames(CalibrationTable table, String method) {
    return aimet == null ? List.of() : AimetEncodings.check(table, method, aimet);
  }

  /**
   * Why this format cannot be written for {@code method}: a table calibrated for another grid than
   * the signed symmetric 8-bit one the TensorRT, ONNX Runtime TensorRT, ncnn and PPQ tables carry
   * ({@link Int8Formats}), or every tensor in the way; empty if it can.
   */
  public Optional<String> refusal(CalibrationTable table, String method) {
    return FormatRefusal.of(this, table, method);
  }

  /**
   * The tensors written verbatim that a known consumer of this format misreads, and why.
   *
   * @throws IllegalArgumentException if the table has no such method
   */
  public List<TensorIssue> warnings(CalibrationTable table, String method) {
    FormatSupport.requireMethod(table, method, key);
    return List.of();
  }

  /**
   * The tensors this format deliberately leaves out (zero or non-float32 ranges), and why.
   *
   * @throws IllegalArgumentException if the table has no such method
   */
  public List<TensorIssue> omitted(CalibrationTable table, String method) {
    FormatSupport.requireMethod(table, method, key);
    return List.of();
  }

  /**
   * True when this format writes per-channel results (qcal-json, the AIMET encodings, ORT
   * overrides).
   */
  public boolean carriesChannels() {
    return CARRY_CHANNELS.contains(key);
  }

  /**
   * The per-channel tensors this format writes with their per-tensor result only, and why: every
   * per-channel tensor for a format with one range per tensor (the TensorRT and ONNX Runtime
   * tables, ncnn, PPQ, CSV), and for the formats that carry channels the tensors whose {@code
   * method} has no per-channel result (a method that runs per tensor only, e.g. entropy).
   *
   * @throws IllegalArgumentException if the table has no such method
   */
  public List<TensorIssue> perTensorOnly(CalibrationTable table, String method) {
    FormatSupport.requireMethod(table, method, key);
    return FormatSupport.perTensorOnly(this, table, method);
  }

  /**
   * The format of a key, case-insensitive.
   *
   * @throws IllegalArgumentException naming the key and listing the known ones if there is none
   */
  public static TableFormat of(String key) {
    String k = key == null ? "" : key.trim().toLowerCase(Locale.ROOT);
    for (TableFormat f : values()) {
      if (f.key.equals(k)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        String.format("Cannot use output format '%s': known formats are %s", key, keys()));
  }

  /**
   * The formats of a comma-separated list of keys, in the order given, each once; {@code all}
   * stands for every format.
   *
   * @throws IllegalArgumentException if the list is empty or a key is unknown
   */
  public static List<TableFormat> parse(String keys) {
    Set<TableFormat> out = new LinkedHashSet<>();
    for (String part : (keys == null ? "" : keys).split(",", -1)) {
      String k = part.trim();
      if (k.isEmpty()) {
        continue;
      }
      if (k.equalsIgnoreCase("all")) {
        out.addAll(List.of(values()));
      } else {
        out.add(of(k));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          String.format("Cannot use output formats '%s': name at least one of %s", keys, keys()));
    }
    return List.copyOf(out);
  }

  /** Every key, in declaration order. */
  public static List<String> keys() {
    List<String> out = new ArrayList<>();
    for (TableFormat f : values()) {
      out.add(f.key);
    }
    return out;
  }
}
