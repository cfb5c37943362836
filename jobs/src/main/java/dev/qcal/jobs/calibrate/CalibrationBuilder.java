package dev.qcal.jobs.calibrate;

import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.channel.ChannelGridAccumulator;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.dump.ChannelSource;
import dev.qcal.jobs.dump.Layout;
import dev.qcal.jobs.scan.Reader;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Builds a {@link Calibration} ({@link Calibration#builder()}); every setter validates its value
 * (usage errors, exit 2), so a bad flag fails before anything is read.
 */
public final class CalibrationBuilder {

  List<String> inputs = List.of();
  List<String> methods = Calibration.DEFAULT_METHODS;
  QuantSpec quant = QuantSpec.symmetric(QuantSpec.DEFAULT_BITS);
  int bins = HistogramSpec.DEFAULT_BINS;
  Layout layout = Layout.AUTO;
  String tensorColumn;
  String valuesColumn;
  Pattern tensors;
  int chunkValues = Calibration.DEFAULT_CHUNK_VALUES;
  SearchStage.Plots plots = SearchStage.Plots.BUILD;
  Reader reader = Reader.AUTO;
  ChannelSource channels;
  Pattern perChannelTensors;
  int channelBins = ChannelGridAccumulator.DEFAULT_BINS;
  HistogramLayout histogramLayout = HistogramLayout.GRID;
  List<String> mergeState = List.of();
  Set<Domain> stateDomains = EnumSet.noneOf(Domain.class);
  boolean keepState;

  CalibrationBuilder() {}

  /**
   * Calibrates per channel too, with channels from {@code source} (null: per tensor only). The
   * per-tensor row of every tensor is kept; per-channel tensors get per-channel results beside it.
   */
  public CalibrationBuilder channels(ChannelSource source) {
    this.channels = source;
    return this;
  }

  /**
   * Only tensors whose whole name matches {@code regex} are calibrated per channel (default all).
   */
  public CalibrationBuilder perChannelTensors(String regex) {
    try {
      this.perChannelTensors = regex == null ? null : Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw JobException.usage("Invalid --per-channel-tensors regex: " + e.getMessage());
    }
    return this;
  }

  /** Histogram bins per channel (default {@value ChannelGridAccumulator#DEFAULT_BINS}). */
  public CalibrationBuilder channelBins(int bins) {
    try {
      HistogramSpec.checkBinCount(bins);
    } catch (IllegalArgumentException e) {
      throw JobException.usage(
          "Invalid --channel-bins (spark.qcal.channel-bins): " + e.getMessage());
    }
    this.channelBins = bins;
    return this;
  }

  /**
   * How histogram ranges are chosen (default {@link HistogramLayout#GRID}: power-of-two bin widths,
   * so states of different dumps merge exactly; {@link HistogramLayout#RANGE} is NVIDIA's {@code
   * torch.histc} layout).
   */
  public CalibrationBuilder histogramLayout(HistogramLayout layout) {
    this.histogramLayout = layout;
    return this;
  }

  /**
   * Persisted states (output directories of earlier runs, or their {@code state/}) added to this
   * run: their range statistics before the layouts are chosen, their histograms regridded into
   * them.
   */
  public CalibrationBuilder mergeState(List<String> paths) {
    this.mergeState = List.copyOf(paths);
    return this;
  }

  /**
   * Keeps the per-tensor states on the executors after the run ({@link CalibrationRun#state()}), to
   * be written into the output's {@code state/}.
   */
  public CalibrationBuilder keepState() {
    this.keepState = true;
    return this;
  }

  /** Histogram domains built for the kept state beyond those the methods need. */
  public CalibrationBuilder stateDomains(Set<Domain> domains) {
    this.stateDomains = domains.isEmpty() ? EnumSet.noneOf(Domain.class) : EnumSet.copyOf(domains);
    return this;
  }

  /**
   * The Parquet reader (default {@link Reader#AUTO}: qcal's page decoder, in every layout; {@link
   * Reader#SPARK} for Spark's reader).
   */
  public CalibrationBuilder reader(Reader reader) {
    this.reader = reader;
    return this;
  }

  /** Input paths: Parquet files, directories or globs on any Hadoop file system. */
  public CalibrationBuilder input(List<String> paths) {
    this.inputs = List.copyOf(paths);
    return this;
  }

  /** Input paths. */
  public CalibrationBuilder input(String... paths) {
    return input(List.of(paths));
  }

  /** Method keys (see {@link Calibrators#names()}), the primary first. */
  public CalibrationBuilder methods(List<String> keys) {
    this.methods = List.copyOf(keys);
    return this;
  }

  /** Method keys, the primary first. */
  public CalibrationBuilder methods(String... keys) {
    return methods(List.of(keys));
  }

  /** The quantizer (default 8-bit symmetric, TensorRT's). */
  public CalibrationBuilder quant(QuantSpec spec) {
    this.quant = spec;
    return this;
  }

  /** Bit width of the default symmetric quantizer, keeping its scheme. */
  public CalibrationBuilder bits(int bits) {
    try {
      this.quant = new QuantSpec(bits, quant.scheme(), quant.powerOfTwo());
    } catch (IllegalArgumentException e) {
      throw JobException.usage(e.getMessage());
    }
    return this;
  }

  /** Histogram bins of the absolute and signed domains (default 2048). */
  public CalibrationBuilder bins(int bins) {
    try {
      HistogramSpec.checkBinCount(bins);
    } catch (IllegalArgumentException e) {
      throw JobException.usage("Invalid --bins (spark.qcal.bins): " + e.getMessage());
    }
    this.bins = bins;
    return this;
  }

  /** The dump layout (default auto: decided from the schema of the first file). */
  public CalibrationBuilder layout(Layout layout) {
    this.layout = layout;
    return this;
  }

  /** The tensor-name column of the long and scalar layouts (default {@code tensor}). */
  public CalibrationBuilder tensorColumn(String name) {
    this.tensorColumn = name;
    return this;
  }

  /** The values column (default {@code values} for long, {@code value} for scalar). */
  public CalibrationBuilder valuesColumn(String name) {
    this.valuesColumn = name;
    return this;
  }

  /** Calibrate only tensors whose whole name matches {@code regex} (Java syntax). */
  public CalibrationBuilder tensors(String regex) {
    try {
      this.tensors = regex == null ? null : Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw JobException.usage("Invalid --tensors regex: " + e.getMessage());
    }
    return this;
  }

  /** Values per chunk for one-value-per-row layouts (default 16384). */
  public CalibrationBuilder chunkValues(int values) {
    if (values < 1) {
      throw JobException.usage(
          "Cannot read in chunks of " + values + " values: must be at least 1");
    }
    this.chunkValues = values;
    return this;
  }

  /**
   * Skips the report's per-tensor plots (built on the executors beside each row by default, a few
   * KB per tensor), for runs that write no report.
   */
  public CalibrationBuilder withoutPlots() {
    this.plots = SearchStage.Plots.SKIP;
    return this;
  }

  /**
   * The job.
   *
   * @throws JobException (usage) on an unknown or repeated method, or no method
   */
  public Calibration build() {
    return new Calibration(this);
  }
}
