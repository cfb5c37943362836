package dev.qcal.jobs.cli;

import static dev.qcal.jobs.cli.SettingRegistry.CAPTURE;
import static dev.qcal.jobs.cli.SettingRegistry.QDQ;
import static dev.qcal.jobs.cli.SettingRegistry.SENSITIVITY;

import dev.qcal.onnx.qdq.QdqOptions;
import dev.qcal.onnx.qdq.QdqScheme;
import dev.qcal.onnx.qdq.WeightGranularity;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code qcal qdq}, a Q/DQ ONNX model from a model and a table (no Spark), and {@code qcal
 * sensitivity}, which measures what qdq's quantization of each node costs and tells qdq which nodes
 * to keep float.
 */
final class QdqSettings {
  private static final SettingGroup AREA = new SettingGroup();

  static final Setting<Path> MODEL =
      AREA.declare(
          Setting.of("model", "MODEL.onnx", Path::of)
              .required()
              .help("The float ONNX model (with --patch: a Q/DQ model)")
              .takenBy(QDQ));

  static final Setting<Path> TABLE =
      AREA.declare(
          Setting.of("table", "calibration.json", Path::of)
              .required()
              .help("The calibration table (calibrate's calibration.json)")
              .takenBy(QDQ, SENSITIVITY));

  static final Setting<String> METHOD =
      AREA.declare(
          Setting.text("method", "KEY")
              .defaultHelp("the table's primary method, its first")
              .help("The table's method whose scales to use")
              .takenBy(QDQ, SENSITIVITY));

  static final Setting<Path> MODEL_OUTPUT =
      AREA.declare(
          Setting.of("output", "OUT.onnx", Path::of)
              .required()
              .help("The Q/DQ model to write")
              .takenBy(QDQ));

  static final Setting<QdqScheme> QDQ_SCHEME =
      AREA.declare(
          Setting.of("scheme", "SCHEME", QdqScheme::of)
              .byDefault("symmetric")
              .help(
                  "symmetric (INT8, TensorRT), affine (UINT8 with zero points, ONNX Runtime CPU) or"
                      + " fp8_e4m3; the table must be calibrated with it")
              .takenBy(QDQ, SENSITIVITY));

  static final Setting<WeightGranularity> WEIGHTS =
      AREA.declare(
          Setting.of("weights", "per-channel|per-tensor", WeightGranularity::of)
              .byDefault("per-channel")
              .help("Weight scales")
              .takenBy(QDQ, SENSITIVITY));

  static final Setting<List<String>> OPS =
      AREA.declare(
          Setting.list("ops", "OP")
              .defaultHelp(String.join(",", QdqOptions.DEFAULT_OPS))
              .help(
                  "The ONNX ops whose inputs get Q/DQ (qdq, sensitivity) or are captured (capture);"
                      + " also Add, Mul, Concat, AveragePool, GlobalAveragePool, MaxPool")
              .takenBy(CAPTURE, QDQ, SENSITIVITY));

  static final Setting<List<String>> KEEP_FLOAT =
      AREA.declare(
          Setting.list("keep-float", "NODE")
              .defaultHelp("none")
              .help(
                  "ONNX node names whose inputs get no Q/DQ, so they run in float whatever their op"
                      + " (as ONNX Runtime's nodes_to_exclude); see docs/onnx-models.md")
              .takenBy(QDQ));

  static final Setting<Path> KEEP_FLOAT_FROM =
      AREA.declare(
          Setting.of("keep-float-from", "sensitivity.json", Path::of)
              .help(
                  "Also keep float the most sensitive nodes of qcal sensitivity's report, chosen"
                      + " by --keep-float-below or --keep-float-worst")
              .takenBy(QDQ));

  static final Setting<Double> KEEP_FLOAT_BELOW =
      AREA.declare(
          Setting.of("keep-float-below", "DB", QdqSettings::decibels)
              .help(
                  "With --keep-float-from: keep float the nodes whose quantization alone leaves"
                      + " an output SQNR below DB")
              .takenBy(QDQ));

  static final Setting<Integer> KEEP_FLOAT_WORST =
      AREA.declare(
          Setting.integer("keep-float-worst", "N")
              .help("With --keep-float-from: keep float the N most sensitive nodes")
              .takenBy(QDQ));

  static final Setting<Integer> SAMPLES =
      AREA.declare(
          Setting.integer("samples", "N")
              .byDefault("64")
              .help("Dataset rows to run each one-node model on: the first N by file and row index")
              .takenBy(SENSITIVITY));

  static final Setting<Boolean> PATCH =
      AREA.declare(
          Setting.flag("patch")
              .help(
                  "Give a model that already has Q/DQ nodes the table's activation scales; its"
                      + " graph stays as it is")
              .takenBy(QDQ));

  static final Setting<Boolean> MODEL_OVERWRITE =
      AREA.declare(Setting.flag("overwrite").help("Replace an existing output file").takenBy(QDQ));

  /** This area's settings, in declaration order. */
  static final List<Setting<?>> ALL = AREA.all();

  private QdqSettings() {}

  /** A finite number of decibels. */
  private static double decibels(String text) {
    double db = Double.parseDouble(text.strip());
    if (!Double.isFinite(db)) {
      throw new IllegalArgumentException("not a finite number of decibels: " + text);
    }
    return db;
  }
}
