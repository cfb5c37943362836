package dev.qcal.jobs.cli;

import static dev.qcal.jobs.cli.SettingRegistry.CALIBRATE;
import static dev.qcal.jobs.cli.SettingRegistry.HISTOGRAM;
import static dev.qcal.jobs.cli.SettingRegistry.RECOMPUTE;

import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.io.TableFormat;
import dev.qcal.core.io.TensorRtVersion;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.Scheme;
import dev.qcal.jobs.calibrate.Calibration;
import dev.qcal.jobs.output.CalibrationOutput;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How tensors are calibrated and what is written: methods, quantizer, table formats, report,
 * histograms and persisted states.
 */
final class CalibrationSettings {
  private static final SettingGroup AREA = new SettingGroup();

  // The tables.

  static final Setting<List<String>> METHODS =
      AREA.declare(
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
      AREA.declare(
          Setting.integer("bits", "N")
              .keyed()
              .byDefault(String.valueOf(QuantSpec.DEFAULT_BITS))
              .help("Bit width, 2..16")
              .takenBy(CALIBRATE, RECOMPUTE, HISTOGRAM));

  static final Setting<Scheme> SCHEME =
      AREA.declare(
          Setting.of("scheme", "NAME", CalibrationSettings::scheme)
              .keyed()
              .byDefault(Scheme.SYMMETRIC.key())
              .help("Quantization scheme: " + SettingGroup.keys(Scheme.values(), Scheme::key))
              .takenBy(CALIBRATE, RECOMPUTE, HISTOGRAM));

  static final Setting<TensorRtVersion> TRT_VERSION =
      AREA.declare(
          Setting.of("trt-version", "VERSION", TensorRtVersion::parse)
              .keyed()
              .byDefault(TensorRtVersion.DEFAULT.toString())
              .help(
                  "TensorRT version of the cache header: TensorRT skips a cache of another version")
              .takenBy(CALIBRATE, RECOMPUTE));

  static final Setting<List<TableFormat>> FORMATS =
      AREA.declare(
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
      AREA.declare(
          Setting.flag("no-report")
              .keyed()
              .help("Do not write report.html")
              .takenBy(CALIBRATE, RECOMPUTE));

  // Histograms and states.

  static final Setting<Integer> BINS =
      AREA.declare(
          Setting.integer("bins", "N")
              .keyed()
              .byDefault(String.valueOf(HistogramSpec.DEFAULT_BINS))
              .defaultHelp(HistogramSpec.DEFAULT_BINS + "; recompute: the fewest among the states")
              .help("Histogram bins of the absolute and signed domains")
              .takenBy(CALIBRATE, RECOMPUTE));

  static final Setting<HistogramLayout> HISTOGRAM_LAYOUT =
      AREA.declare(
          Setting.of("histogram-layout", "LAYOUT", HistogramLayout::parse)
              .keyed()
              .byDefault(HistogramLayout.GRID.key())
              .help(
                  "Histogram layout: grid (power-of-two bin widths, states merge exactly) or range"
                      + " (NVIDIA's torch.histc layout)")
              .takenBy(CALIBRATE));

  static final Setting<List<String>> MERGE_STATE =
      AREA.declare(
          Setting.list("merge-state", "DIR")
              .keyed()
              .help(
                  "Add the states of earlier runs (their output directories or state/) to this"
                      + " scan")
              .takenBy(CALIBRATE));

  static final Setting<Set<Domain>> STATE_DOMAINS =
      AREA.declare(
          Setting.of("state-domains", "DOMAIN[,DOMAIN...]", CalibrationSettings::domains)
              .keyed()
              .help(
                  "Histogram domains to keep in state/ beyond the methods': "
                      + SettingGroup.keys(Domain.values(), Domain::key))
              .takenBy(CALIBRATE));

  /** This area's settings, in declaration order. */
  static final List<Setting<?>> ALL = AREA.all();

  private CalibrationSettings() {}

  private static Scheme scheme(String key) {
    for (Scheme s : Scheme.values()) {
      if (s.key().equalsIgnoreCase(key.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "Unknown scheme '"
            + key
            + "' (valid: "
            + SettingGroup.keys(Scheme.values(), Scheme::key)
            + ")");
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
                + SettingGroup.keys(Domain.values(), Domain::key)
                + ")",
            e);
      }
    }
    return out;
  }
}
