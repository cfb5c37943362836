package dev.qcal.jobs.cli;

import static dev.qcal.jobs.cli.QdqSettings.KEEP_FLOAT;
import static dev.qcal.jobs.cli.QdqSettings.KEEP_FLOAT_BELOW;
import static dev.qcal.jobs.cli.QdqSettings.KEEP_FLOAT_FROM;
import static dev.qcal.jobs.cli.QdqSettings.KEEP_FLOAT_WORST;
import static dev.qcal.jobs.cli.QdqSettings.METHOD;
import static dev.qcal.jobs.cli.QdqSettings.MODEL;
import static dev.qcal.jobs.cli.QdqSettings.MODEL_OUTPUT;
import static dev.qcal.jobs.cli.QdqSettings.MODEL_OVERWRITE;
import static dev.qcal.jobs.cli.QdqSettings.OPS;
import static dev.qcal.jobs.cli.QdqSettings.PATCH;
import static dev.qcal.jobs.cli.QdqSettings.QDQ_SCHEME;
import static dev.qcal.jobs.cli.QdqSettings.TABLE;
import static dev.qcal.jobs.cli.QdqSettings.WEIGHTS;

import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.io.CalibrationTableDocument;
import dev.qcal.core.io.InputFormatException;
import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.JobException;
import dev.qcal.onnx.OnnxModel;
import dev.qcal.onnx.qdq.ActivationScales;
import dev.qcal.onnx.qdq.QdqOptions;
import dev.qcal.onnx.qdq.QdqPatcher;
import dev.qcal.onnx.qdq.QdqResult;
import dev.qcal.onnx.qdq.QdqScheme;
import dev.qcal.onnx.qdq.QdqUsageException;
import dev.qcal.onnx.qdq.QdqWriter;
import dev.qcal.onnx.qdq.WeightGranularity;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code qcal qdq}: an ONNX model with explicit QuantizeLinear/DequantizeLinear nodes from a float
 * model and a {@code calibration.json}, or (with {@code --patch}) a Q/DQ model given the table's
 * scales. No Spark is started; the work is {@link QdqWriter} and {@link QdqPatcher}.
 */
@Command(
    name = SettingRegistry.QDQ,
    description =
        "Write a Q/DQ ONNX model (TensorRT 11, ONNX Runtime) from a model and a calibration table"
            + " (no Spark).",
    modelTransformer = SettingOptions.class)
final class QdqCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private Path model;
  private Path table;
  private Path output;
  private boolean patch;

  @Override
  public Integer call() {
    Settings settings = Settings.of(spec);
    model = settings.get(MODEL);
    table = settings.get(TABLE);
    output = settings.get(MODEL_OUTPUT);
    patch = settings.get(PATCH);
    QdqScheme qdqScheme = settings.get(QDQ_SCHEME);
    if (patch
        && (settings.given(OPS) != null
            || settings.given(WEIGHTS) != null
            || settings.given(KEEP_FLOAT) != null
            || settings.given(KEEP_FLOAT_FROM) != null)) {
      throw JobException.usage(
          "--patch keeps the model's Q/DQ placement and weights: drop --ops, --weights,"
              + " --keep-float and --keep-float-from");
    }
    SensitiveNodes sensitive =
        SensitiveNodes.of(
            settings.get(KEEP_FLOAT_FROM),
            settings.get(KEEP_FLOAT_BELOW),
            settings.get(KEEP_FLOAT_WORST));
    List<String> keepFloat = new ArrayList<>();
    if (settings.get(KEEP_FLOAT) != null) {
      keepFloat.addAll(settings.get(KEEP_FLOAT));
    }
    if (Files.exists(output) && !settings.get(MODEL_OVERWRITE)) {
      throw JobException.usage(
          "Output "
              + output
              + " already exists: give --overwrite to replace it, or another --output");
    }
    ActivationScales scales = scales(table, settings.get(METHOD), qdqScheme);
    keepFloat.addAll(sensitive.nodes(model, scales, spec.commandLine().getErr()));
    QdqOptions options = options(settings.get(OPS), settings.get(WEIGHTS)).keepingFloat(keepFloat);
    QdqResult result;
    try {
      OnnxModel onnx = readModel();
      result = patch ? QdqPatcher.patch(onnx, scales) : QdqWriter.quantize(onnx, scales, options);
    } catch (QdqUsageException e) {
      throw JobException.usage(e.getMessage());
    } catch (InputFormatException e) {
      throw JobException.input(e.getMessage(), e);
    }
    try {
      Files.createDirectories(output.toAbsolutePath().getParent());
      result.model().write(output);
    } catch (IOException e) {
      throw new JobException(ExitCode.FAILURE, "Cannot write " + output + ": " + e, e);
    }
    warn(result, spec.commandLine().getErr());
    spec.commandLine().getOut().println(summary(result, qdqScheme, options));
    return ExitCode.OK.code();
  }

  /**
   * The Q/DQ options of {@code --ops} (null: the default ops) and {@code weights}, shared with
   * {@code capture}, which captures the inputs these options quantize.
   *
   * @throws JobException (usage) naming an op qdq does not quantize
   */
  static QdqOptions options(List<String> ops, WeightGranularity weights) {
    try {
      return QdqOptions.of(ops == null ? QdqOptions.DEFAULT_OPS : ops, weights);
    } catch (QdqUsageException e) {
      throw JobException.usage(e.getMessage());
    }
  }

  private OnnxModel readModel() {
    try {
      return OnnxModel.read(model);
    } catch (NoSuchFileException e) {
      throw JobException.input("Model file " + model + " does not exist");
    } catch (IOException e) {
      throw JobException.input("Cannot read model file " + model + ": " + e, e);
    }
  }

  /**
   * The activation scales of {@code method} (null: the table's primary) for {@code scheme} in the
   * {@code calibration.json} at {@code table}; shared with {@code sensitivity}.
   *
   * @throws JobException (input) when the table is missing or unreadable, (usage) when it was
   *     calibrated for another scheme or has no such method
   */
  static ActivationScales scales(Path table, String method, QdqScheme scheme) {
    try {
      return ActivationScales.from(readTable(table), method, scheme, table.toString());
    } catch (QdqUsageException e) {
      throw JobException.usage(e.getMessage());
    } catch (InputFormatException e) {
      throw JobException.input(e.getMessage(), e);
    }
  }

  private static CalibrationTableDocument readTable(Path table) {
    try (InputStream in = Files.newInputStream(table)) {
      return CalibrationJson.read(in, table.toString());
    } catch (NoSuchFileException e) {
      throw JobException.input("Calibration table " + table + " does not exist");
    } catch (IOException | UncheckedIOException e) {
      throw JobException.input("Cannot read calibration table " + table + ": " + e, e);
    }
  }

  private void warn(QdqResult r, PrintWriter err) {
    String left = patch ? "keep the model's scales" : "stay float";
    if (!r.notInTable().isEmpty()) {
      err.printf(
          "qcal: warning: %d tensors the quantized ops read are not in %s and %s: %s%n",
          r.notInTable().size(), table, left, String.join(", ", r.notInTable()));
    }
    if (!r.degenerate().isEmpty()) {
      List<String> named = new ArrayList<>();
      for (Map.Entry<String, String> e : r.degenerate().entrySet()) {
        named.add(e.getKey() + " (" + e.getValue() + ")");
      }
      err.printf(
          "qcal: warning: %d tensors are degenerate in %s and %s: %s%n",
          r.degenerate().size(), table, left, String.join(", ", named));
    }
  }

  private String summary(QdqResult r, QdqScheme qdqScheme, QdqOptions options) {
    String type = qdqScheme.activationType().name().toLowerCase(Locale.ROOT);
    if (patch) {
      return String.format(
          Locale.ROOT,
          "qcal: wrote %s: %d activation scales patched (%s, %s); %d kept",
          output,
          r.activations().size(),
          type,
          qdqScheme.key(),
          r.notInTable().size() + r.degenerate().size());
    }
    return String.format(
        Locale.ROOT,
        "qcal: wrote %s: %d activations (%s %s) and %d weights (%s) quantized on %s%s, opset %d%s;"
            + " %d tensors left float",
        output,
        r.activations().size(),
        type,
        qdqScheme.key(),
        r.weights().size(),
        options.weights().key(),
        String.join(",", options.ops()),
        options.keepFloat().isEmpty()
            ? ""
            : " (nodes kept float: " + String.join(",", options.keepFloat()) + ")",
        r.opsetAfter(),
        r.opsetAfter() != r.opsetBefore() ? " (was " + r.opsetBefore() + ")" : "",
        r.notInTable().size() + r.degenerate().size());
  }
}
