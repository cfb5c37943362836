package dev.qcal.jobs.cli;

import dev.qcal.core.io.InputFormatException;
import dev.qcal.jobs.JobException;
import dev.qcal.onnx.ModelDigest;
import dev.qcal.onnx.qdq.ActivationScales;
import dev.qcal.onnx.sensitivity.SensitivityJson;
import dev.qcal.onnx.sensitivity.SensitivityReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The nodes {@code qdq} keeps float from a {@code sensitivity.json} ({@code --keep-float-from}):
 * those below {@code --keep-float-below} dB or the {@code --keep-float-worst} N worst. Exactly one
 * of the two chooses, and the report must have been measured on the model being quantized.
 */
final class SensitiveNodes {
  private final Path report;
  private final Double below;
  private final Integer worst;

  private SensitiveNodes(Path report, Double below, Integer worst) {
    this.report = report;
    this.below = below;
    this.worst = worst;
  }

  /**
   * The choice of {@code --keep-float-from report} with {@code --keep-float-below below} or {@code
   * --keep-float-worst worst} (null when not given).
   *
   * @throws JobException (usage) naming the flags when they do not go together
   */
  static SensitiveNodes of(Path report, Double below, Integer worst) {
    if (report == null && (below != null || worst != null)) {
      throw JobException.usage(
          (below != null ? "--keep-float-below" : "--keep-float-worst")
              + " chooses nodes of a sensitivity report: give it with --keep-float-from"
              + " DIR/sensitivity.json (qcal sensitivity's output)");
    }
    if (report != null && (below == null) == (worst == null)) {
      throw JobException.usage(
          "--keep-float-from "
              + report
              + " needs "
              + (below == null ? "one" : "only one")
              + " of --keep-float-below DB (nodes whose quantization alone leaves a lower output"
              + " SQNR) and --keep-float-worst N (the N most sensitive nodes); qcal sensitivity"
              + " prints the one it suggests");
    }
    if (worst != null && worst < 0) {
      throw JobException.usage("--keep-float-worst must be 0 or more (" + worst + ")");
    }
    return new SensitiveNodes(report, below, worst);
  }

  /**
   * The chosen nodes, worst first (none without {@code --keep-float-from}); a warning to {@code
   * err} when the report was measured with another method or scheme than {@code scales}'.
   *
   * @throws JobException (usage) naming {@code --keep-float-from} when the file is missing, is not
   *     a sensitivity report, or was measured on another model than {@code model}
   */
  List<String> nodes(Path model, ActivationScales scales, PrintWriter err) {
    if (report == null) {
      return List.of();
    }
    SensitivityReport read = read();
    String sha256 = sha256(model);
    if (!read.modelSha256().equals(sha256)) {
      throw JobException.usage(
          "--keep-float-from "
              + report
              + " was measured on "
              + read.model()
              + " (SHA-256 "
              + read.modelSha256()
              + "), not on --model "
              + model
              + " (SHA-256 "
              + sha256
              + "): run qcal sensitivity on this model");
    }
    if (!read.method().equals(scales.method()) || !read.scheme().equals(scales.scheme().key())) {
      err.printf(
          "qcal: warning: --keep-float-from %s was measured with method %s, scheme %s; this qdq"
              + " uses method %s, scheme %s%n",
          report, read.method(), read.scheme(), scales.method(), scales.scheme().key());
    }
    return below != null ? read.below(below) : read.worst(worst);
  }

  private SensitivityReport read() {
    try (InputStream in = Files.newInputStream(report)) {
      return SensitivityJson.read(in, report.toString());
    } catch (NoSuchFileException e) {
      throw JobException.usage(
          "--keep-float-from "
              + report
              + " does not exist: give qcal sensitivity's sensitivity.json");
    } catch (IOException e) {
      throw JobException.usage("--keep-float-from " + report + " cannot be read: " + e);
    } catch (InputFormatException e) {
      throw JobException.usage("--keep-float-from: " + e.getMessage());
    }
  }

  private static String sha256(Path model) {
    try {
      return ModelDigest.sha256(Files.readAllBytes(model));
    } catch (NoSuchFileException e) {
      throw JobException.input("Model file " + model + " does not exist");
    } catch (IOException e) {
      throw JobException.input("Cannot read model file " + model + ": " + e, e);
    }
  }
}
