package dev.qcal.jobs.cli;

import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.channel.ChannelSpecs;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.io.TableFormat;
import dev.qcal.core.io.TensorRtVersion;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.Scheme;
import dev.qcal.jobs.calibrate.Calibration;
import dev.qcal.jobs.output.CalibrationOutput;
import dev.qcal.jobs.output.Schedule;
import dev.qcal.jobs.read.Layout;
import dev.qcal.jobs.scan.Reader;
import dev.qcal.onnx.qdq.QdqOptions;
import dev.qcal.onnx.qdq.QdqScheme;
import dev.qcal.onnx.qdq.WeightGranularity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every setting of every command, each declared once, in the order help lists them. A command's
 * options are the settings that name it in {@code takenBy}; see {@code package-info} for how to add
 * a setting or a command.
 */
final class SettingRegistry {
  /** {@code qcal calibrate}. */
  static final String CALIBRATE = "calibrate";

  /** {@code qcal recompute}. */
  static final String RECOMPUTE = "recompute";

  /** {@code qcal histogram}. */
  static final String HISTOGRAM = "histogram";

  /** {@code qcal generate}. */
  static final String GENERATE = "generate";

  /** {@code qcal qdq}. */
  static final String QDQ = "qdq";

  /** {@code qcal capture}. */
  static final String CAPTURE = "capture";

  /**
   * The commands that also read their settings from {@code spark.qcal.*} keys (a {@code --config}
   * file, Spark's configuration, {@code --conf}); the others take flags only.
   */
  static final Set<String> KEYED_COMMANDS = Set.of(CALIBRATE, RECOMPUTE);

  /**
   * Filled by {@link #declare} as the fields below are initialized, in textual order (JLS 12.4.2).
   */
  private static final List<Setting<?>> DECLARED = new ArrayList<>();

  // Where a run reads and writes.

  static final Setting<List<String>> INPUT =
      declare(
          Setting.list("input", "PATH")
              .keyed()
              .required()
              .help("Parquet files, directories or globs, any Hadoop file system")
              .takenBy(CALIBRATE));

  static final Setting<List<String>> STATE =
      declare(
          Setting.list("state", "DIR")
              .keyed()
              .required()
              .help("Output directories of earlier runs (or their state/), any Hadoop file system")
              .takenBy(RECOMPUTE));

  static final Setting<Path> HISTOGRAM_FILE =
      declare(
          Setting.of("input", "FILE.json", Path::of)
              .required()
              .help("Histogram JSON file")
              .takenBy(HISTOGRAM));

  static final Setting<String> CAPTURE_MODEL =
      declare(
          Setting.text("model", "MODEL.onnx")
              .required()
              .help("The float ONNX model, any Hadoop file system path")
              .takenBy(CAPTURE));

  static final Setting<List<String>> CAPTURE_INPUTS =
      declare(
          Setting.list("inputs", "PATH")
              .required()
              .help(
                  "The dataset: Parquet files, directories or globs with a column per model input"
                      + " (docs/onnx-models.md, Capturing)")
              .takenBy(CAPTURE));

  static final Setting<String> OUTPUT =
      declare(
          Setting.text("output", "DIR")
              .keyed()
              .required()
              .help("Output directory")
              .takenBy(CALIBRATE, RECOMPUTE, CAPTURE, GENERATE));

  static final Setting<Boolean> OVERWRITE =
      declare(
          Setting.flag("overwrite")
              .keyed()
              .help("Replace an existing output directory")
              .takenBy(CALIBRATE, RECOMPUTE));

  // Scheduled runs.

  static final Setting<String> RUN_ID =
      declare(
          Setting.text("run-id", "ID")
              .keyed()
              .help(
                  "Write under OUTPUT/run_id=ID/ (a rerun of the same id replaces it) and move"
                      + " OUTPUT/_LATEST to it on success; letters, digits, '.', '_', '-'")
              .takenBy(CALIBRATE, RECOMPUTE));

  static final Setting<String> BASELINE =
      declare(
          Setting.text("baseline", "PATH|latest")
              .keyed()
              .help(
                  "Compare with an earlier table: its calibration.json, its run directory, or"
                      + " 'latest' (the run OUTPUT/_LATEST names; needs --run-id); writes"
                      + " drift.json")
              .takenBy(CALIBRATE, RECOMPUTE));

  static final Setting<OptionalDouble> MAX_DRIFT =
      declare(
          Setting.of("max-drift", "FRACTION", Schedule::parseMaxDrift)
              .keyed()
              .defaultHelp("report only")
              .help(
                  "Exit 4 (outputs written, _LATEST not moved) if a tensor's relative change"
                      + " exceeds this, e.g. 0.10")
              .takenBy(CALIBRATE, RECOMPUTE));

  // The tables.

  static final Setting<List<String>> METHODS =
      declare(
          Setting.of("methods", "KEY[,KEY...]", Setting::splitList)
              .keyed()
              .byDefault(String.join(",", Calibration.DEFAULT_METHODS))
              .help("Calibration methods, primary first")
              .keysListed(
                  "Method keys",
                  () ->
                      String.join(", ", Calibrators.names())
                          + "; with a parameter as KEY@VALUE (percentile@99.9): "
                          + String.join(", ", Calibrators.parameterizedNames()))
              .takenBy(CALIBRATE, RECOMPUTE, HISTOGRAM));

  static final Setting<Integer> BITS =
      declare(
          Setting.integer("bits", "N")
              .keyed()
              .byDefault(String.valueOf(QuantSpec.DEFAULT_BITS))
              .help("Bit width, 2..16")
              .takenBy(CALIBRATE, RECOMPUTE, HISTOGRAM));

  static final Setting<Scheme> SCHEME =
      declare(
          Setting.of("scheme", "NAME", SettingRegistry::scheme)
              .keyed()
              .byDefault(Scheme.SYMMETRIC.key())
              .help("Quantization scheme: " + keys(Scheme.values(), Scheme::key))
              .takenBy(CALIBRATE, RECOMPUTE, HISTOGRAM));

  static final Setting<TensorRtVersion> TRT_VERSION =
      declare(
          Setting.of("trt-version", "VERSION", TensorRtVersion::parse)
              .keyed()
              .byDefault(TensorRtVersion.DEFAULT.toString())
              .help(
                  "TensorRT version of the cache header: TensorRT skips a cache of another version")
              .takenBy(CALIBRATE, RECOMPUTE));

  static final Setting<List<TableFormat>> FORMATS =
      declare(
          Setting.of("formats", "KEY[,KEY...]", TableFormat::parse)
              .keyed()
              .byDefault(
                  CalibrationOutput.DEFAULT_FORMATS.stream()
                      .map(TableFormat::key)
                      .collect(Collectors.joining(",")))
              .help(
                  "Output formats of the primary method, or all; calibration.json is always"
                      + " written")
              .keysListed("Format keys", () -> String.join(", ", TableFormat.keys()))
              .takenBy(CALIBRATE, RECOMPUTE));

  static final Setting<Boolean> NO_REPORT =
      declare(
          Setting.flag("no-report")
              .keyed()
              .help("Do not write report.html")
              .takenBy(CALIBRATE, RECOMPUTE));

  // Histograms and states.

  static final Setting<Integer> BINS =
      declare(
          Setting.integer("bins", "N")
              .keyed()
              .byDefault(String.valueOf(HistogramSpec.DEFAULT_BINS))
              .defaultHelp(HistogramSpec.DEFAULT_BINS + "; recompute: the fewest among the states")
              .help("Histogram bins of the absolute and signed domains")
              .takenBy(CALIBRATE, RECOMPUTE));

  static final Setting<HistogramLayout> HISTOGRAM_LAYOUT =
      declare(
          Setting.of("histogram-layout", "LAYOUT", HistogramLayout::parse)
              .keyed()
              .byDefault(HistogramLayout.GRID.key())
              .help(
                  "Histogram layout: grid (power-of-two bin widths, states merge exactly) or range"
                      + " (NVIDIA's torch.histc layout)")
              .takenBy(CALIBRATE));

  static final Setting<List<String>> MERGE_STATE =
      declare(
          Setting.list("merge-state", "DIR")
              .keyed()
              .help(
                  "Add the states of earlier runs (their output directories or state/) to this"
                      + " scan")
              .takenBy(CALIBRATE));

  static final Setting<Set<Domain>> STATE_DOMAINS =
      declare(
          Setting.of("state-domains", "DOMAIN[,DOMAIN...]", SettingRegistry::domains)
              .keyed()
              .help(
                  "Histogram domains to keep in state/ beyond the methods': "
                      + keys(Domain.values(), Domain::key))
              .takenBy(CALIBRATE));

  // The dump.

  static final Setting<Layout> LAYOUT =
      declare(
          Setting.of("layout", "LAYOUT", Layout::parse)
              .keyed()
              .byDefault(Layout.AUTO.key())
              .help("Dump layout: " + keys(Layout.values(), Layout::key))
              .takenBy(CALIBRATE));

  static final Setting<String> TENSOR_COLUMN =
      declare(
          Setting.text("tensor-column", "NAME")
              .keyed()
              .defaultHelp("tensor")
              .help("Tensor-name column")
              .takenBy(CALIBRATE));

  static final Setting<String> VALUES_COLUMN =
      declare(
          Setting.text("values-column", "NAME")
              .keyed()
              .defaultHelp("values, or value for scalar")
              .help("Values column")
              .takenBy(CALIBRATE));

  static final Setting<String> TENSORS =
      declare(
          Setting.text("tensors", "REGEX")
              .keyed()
              .help("Calibrate only tensors whose whole name matches this Java regex")
              .takenBy(CALIBRATE));

  static final Setting<Integer> CHUNK_VALUES =
      declare(
          Setting.integer("chunk-values", "N")
              .keyed()
              .byDefault(String.valueOf(Calibration.DEFAULT_CHUNK_VALUES))
              .help("Values per chunk for one-value-per-row layouts: scalar, wide float columns")
              .takenBy(CALIBRATE));

  static final Setting<Reader> READER =
      declare(
          Setting.of("reader", "READER", Reader::parse)
              .keyed()
              .byDefault(Reader.AUTO.key())
              .help(
                  "Parquet reader: auto (qcal's page decoder for long float/double arrays, else"
                      + " Spark's), pages or spark")
              .takenBy(CALIBRATE));

  // Per-channel ranges.

  static final Setting<String> CHANNEL_COLUMN =
      declare(
          Setting.text("channel-column", "NAME")
              .keyed()
              .help("Also calibrate per channel, each row's channel read from this integer column")
              .takenBy(CALIBRATE));

  static final Setting<Integer> CHANNEL_AXIS =
      declare(
          Setting.integer("channel-axis", "N")
              .keyed()
              .help(
                  "Also calibrate per channel, splitting each row along axis N of its shape column"
                      + " (negative counts from the end); with --channel-column, only the axis"
                      + " written to the outputs, 0 by default")
              .takenBy(CALIBRATE));

  static final Setting<String> SHAPE_COLUMN =
      declare(
          Setting.text("shape-column", "NAME")
              .keyed()
              .defaultHelp("shape")
              .help("Shape column for --channel-axis, array<int> or array<bigint>")
              .takenBy(CALIBRATE));

  static final Setting<String> PER_CHANNEL_TENSORS =
      declare(
          Setting.text("per-channel-tensors", "REGEX")
              .keyed()
              .defaultHelp("all")
              .help("Calibrate per channel only tensors whose whole name matches, e.g. '.*weight'")
              .takenBy(CALIBRATE));

  static final Setting<Integer> CHANNEL_BINS =
      declare(
          Setting.integer("channel-bins", "N")
              .keyed()
              .byDefault(String.valueOf(ChannelSpecs.DEFAULT_BINS))
              .help(
                  "Histogram bins per channel; a task holds channels x bins x 8 bytes per domain"
                      + " and tensor")
              .takenBy(CALIBRATE));

  // capture: an ONNX model's activations over a dataset of its inputs, as a dump.

  static final Setting<String> CAPTURE_TENSORS =
      declare(
          Setting.text("tensors", "REGEX")
              .defaultHelp("the inputs qdq quantizes on --ops")
              .help(
                  "Capture instead the activations whose whole ONNX tensor name matches this Java"
                      + " regex (not with --ops)")
              .takenBy(CAPTURE));

  // generate: a synthetic dump.

  static final Setting<Integer> DUMP_TENSORS =
      declare(
          Setting.integer("tensors", "N").required().help("Number of tensors").takenBy(GENERATE));

  static final Setting<Long> DUMP_VALUES =
      declare(
          Setting.longInteger("values", "N")
              .required()
              .help("Values per tensor")
              .takenBy(GENERATE));

  static final Setting<Layout> DUMP_LAYOUT =
      declare(
          Setting.of("layout", "LAYOUT", Layout::parse)
              .byDefault("long")
              .help("long, scalar or wide")
              .takenBy(GENERATE));

  static final Setting<Long> SEED =
      declare(
          Setting.longInteger("seed", "S")
              .byDefault("1")
              .help("Seed of the dump")
              .takenBy(GENERATE));

  static final Setting<Integer> VALUES_PER_ROW =
      declare(
          Setting.integer("values-per-row", "N")
              .byDefault("16384")
              .help("Values per row of the long layout")
              .takenBy(CAPTURE, GENERATE));

  static final Setting<Integer> DUMP_FILES =
      declare(
          Setting.integer("files", "N")
              .byDefault("0")
              .defaultHelp("about 64 MB each")
              .help("Parquet files to write")
              .takenBy(GENERATE));

  static final Setting<Boolean> DOUBLE =
      declare(
          Setting.flag("double").help("Write float64 values instead of float32").takenBy(GENERATE));

  static final Setting<Boolean> DUMP_OVERWRITE =
      declare(
          Setting.flag("overwrite")
              .help("Replace an existing output directory")
              .takenBy(CAPTURE, GENERATE));

  // Where Spark runs and where settings come from (read by Settings before any other setting).

  static final Setting<String> MASTER =
      declare(
          Setting.text("master", "URL")
              .defaultHelp("spark-submit's, else local[*]")
              .help("Spark master URL")
              .takenBy(CALIBRATE, RECOMPUTE, CAPTURE, GENERATE));

  static final Setting<List<String>> CONF =
      declare(
          Setting.repeated("conf", "KEY=VALUE")
              .help(
                  "A Spark setting, or for calibrate and recompute a spark.qcal.* key; repeatable")
              .takenBy(CALIBRATE, RECOMPUTE, CAPTURE, GENERATE));

  // qdq: a Q/DQ ONNX model from a model and a table (no Spark).

  static final Setting<Path> MODEL =
      declare(
          Setting.of("model", "MODEL.onnx", Path::of)
              .required()
              .help("The float ONNX model (with --patch: a Q/DQ model)")
              .takenBy(QDQ));

  static final Setting<Path> TABLE =
      declare(
          Setting.of("table", "calibration.json", Path::of)
              .required()
              .help("The calibration table (calibrate's calibration.json)")
              .takenBy(QDQ));

  static final Setting<String> METHOD =
      declare(
          Setting.text("method", "KEY")
              .defaultHelp("the table's primary method, its first")
              .help("The table's method whose scales to use")
              .takenBy(QDQ));

  static final Setting<Path> MODEL_OUTPUT =
      declare(
          Setting.of("output", "OUT.onnx", Path::of)
              .required()
              .help("The Q/DQ model to write")
              .takenBy(QDQ));

  static final Setting<QdqScheme> QDQ_SCHEME =
      declare(
          Setting.of("scheme", "SCHEME", QdqScheme::of)
              .byDefault("symmetric")
              .help(
                  "symmetric (INT8, TensorRT), affine (UINT8 with zero points, ONNX Runtime CPU) or"
                      + " fp8_e4m3; the table must be calibrated with it")
              .takenBy(QDQ));

  static final Setting<WeightGranularity> WEIGHTS =
      declare(
          Setting.of("weights", "per-channel|per-tensor", WeightGranularity::of)
              .byDefault("per-channel")
              .help("Weight scales")
              .takenBy(QDQ));

  static final Setting<List<String>> OPS =
      declare(
          Setting.list("ops", "OP")
              .defaultHelp(String.join(",", QdqOptions.DEFAULT_OPS))
              .help(
                  "The ONNX ops whose inputs get Q/DQ (qdq) or are captured (capture); also Add,"
                      + " Mul, Concat, AveragePool, GlobalAveragePool, MaxPool")
              .takenBy(CAPTURE, QDQ));

  static final Setting<List<String>> KEEP_FLOAT =
      declare(
          Setting.list("keep-float", "NODE")
              .defaultHelp("none")
              .help(
                  "ONNX node names whose inputs get no Q/DQ, so they run in float whatever their op"
                      + " (as ONNX Runtime's nodes_to_exclude); see docs/onnx-models.md")
              .takenBy(QDQ));

  static final Setting<Boolean> PATCH =
      declare(
          Setting.flag("patch")
              .help(
                  "Give a model that already has Q/DQ nodes the table's activation scales; its"
                      + " graph stays as it is")
              .takenBy(QDQ));

  static final Setting<Boolean> MODEL_OVERWRITE =
      declare(Setting.flag("overwrite").help("Replace an existing output file").takenBy(QDQ));

  static final Setting<Path> CONFIG =
      declare(
          Setting.of("config", "FILE", Path::of)
              .help(
                  "A properties file of spark.qcal.* and spark.* keys (e.g. conf/qcal.properties)")
              .takenBy(CALIBRATE, RECOMPUTE, CAPTURE, GENERATE));

  /** Every setting, in declaration order (the order of help). */
  static final List<Setting<?>> ALL = Collections.unmodifiableList(DECLARED);

  private SettingRegistry() {}

  /** The settings {@code command} takes, in help order. */
  static List<Setting<?>> of(String command) {
    List<Setting<?>> out = new ArrayList<>();
    for (Setting<?> s : ALL) {
      if (s.commands().contains(command)) {
        out.add(s);
      }
    }
    return out;
  }

  /** Whether {@code command} reads {@code spark.qcal.*} keys as well as flags. */
  static boolean readsKeys(String command) {
    return KEYED_COMMANDS.contains(command);
  }

  /** The job settings: those with a {@code spark.qcal.*} key. */
  static List<Setting<?>> keyed() {
    return ALL.stream().filter(Setting::keyed).toList();
  }

  private static <T> Setting<T> declare(Setting<T> setting) {
    DECLARED.add(setting);
    return setting;
  }

  private static <E> String keys(E[] values, Function<E, String> key) {
    return Arrays.stream(values).map(key).collect(Collectors.joining(", "));
  }

  private static Scheme scheme(String key) {
    for (Scheme s : Scheme.values()) {
      if (s.key().equalsIgnoreCase(key.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "Unknown scheme '" + key + "' (valid: " + keys(Scheme.values(), Scheme::key) + ")");
  }

  private static Set<Domain> domains(String keys) {
    Set<Domain> out = EnumSet.noneOf(Domain.class);
    for (String k : Setting.splitList(keys)) {
      try {
        out.add(Domain.valueOf(k.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Unknown histogram domain '"
                + k
                + "' (valid: "
                + keys(Domain.values(), Domain::key)
                + ")",
            e);
      }
    }
    return out;
  }
}
