package dev.qcal.jobs.cli;

import dev.qcal.core.io.FormatOptions;
import dev.qcal.core.io.TableFormat;
import dev.qcal.core.io.TensorRtVersion;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.ScaleRounding;
import dev.qcal.core.quant.Scheme;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.Version;
import dev.qcal.jobs.calibrate.Calibration;
import dev.qcal.jobs.output.CalibrationOutput;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that say which tables a run derives and writes, shared by {@code calibrate} and
 * {@code recompute} (a picocli mixin); each is also a {@code spark.qcal.*} key.
 */
final class TableOptions {
  @Option(names = "--methods", paramLabel = "KEY[,KEY...]",
      description = "Calibration methods, primary first (spark.qcal.methods).")
  String methods;

  @Option(names = "--bits", description = "Bit width, 2..16 (spark.qcal.bits; default 8).")
  Integer bits;

  @Option(names = "--scheme",
      description = "symmetric, unsigned, affine, affine_signed, fp8_e4m3, fp8_e5m2 (spark.qcal.scheme; default symmetric).")
  String scheme;

  @Option(names = "--trt-version",
      description = "TensorRT version of the cache header (spark.qcal.trt-version; default 8.6.1).")
  String trtVersion;

  @Option(names = "--formats", paramLabel = "KEY[,KEY...]",
      description = "Output formats (spark.qcal.formats; default qcal-json,trt-cache,csv; 'all' for every one).")
  String formats;

  @Option(names = "--no-report", description = "Do not write report.html (spark.qcal.no-report).")
  Boolean noReport;

  /** The method keys, primary first. */
  List<String> methods(Settings settings) {
    return CalibrateCommand.splitList(
        settings.get("methods", methods, String.join(",", Calibration.DEFAULT_METHODS)));
  }

  /** The quantizer from --scheme and --bits. */
  QuantSpec quant(Settings settings) {
    Scheme s = CalibrateCommand.scheme(settings.get("scheme", scheme, Scheme.SYMMETRIC.key()));
    int b = settings.getInt("bits", bits, s == Scheme.FP8_E4M3 || s == Scheme.FP8_E5M2 ? 8 : QuantSpec.DEFAULT_BITS);
    try {
      return new QuantSpec(b, s, ScaleRounding.EXACT);
    } catch (IllegalArgumentException e) {
      throw JobException.usage(e.getMessage());
    }
  }

  /** Whether report.html is written. */
  CalibrationOutput.Report report(Settings settings) {
    return settings.getBoolean("no-report", noReport) ? CalibrationOutput.Report.NONE : CalibrationOutput.Report.HTML;
  }

  /** The table formats. */
  List<TableFormat> formats(Settings settings) {
    List<String> keys = new java.util.ArrayList<>();
    CalibrationOutput.DEFAULT_FORMATS.forEach(f -> keys.add(f.key()));
    return CalibrateCommand.formats(settings.get("formats", formats, String.join(",", keys)));
  }

  /** The writers' options (TensorRT version, producer). */
  FormatOptions formatOptions(Settings settings) {
    TensorRtVersion trt =
        CalibrateCommand.trtVersion(settings.get("trt-version", trtVersion, TensorRtVersion.DEFAULT.toString()));
    return FormatOptions.defaults().withTensorRtVersion(trt).withProducerVersion(Version.qcal());
  }
}
