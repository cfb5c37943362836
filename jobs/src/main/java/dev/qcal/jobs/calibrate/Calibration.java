package dev.qcal.jobs.calibrate;

import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.channel.ChannelCalibrator;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.dump.ChannelSource;
import dev.qcal.jobs.dump.Layout;
import dev.qcal.jobs.scan.Reader;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The calibration job as a Java API, for other Spark jobs and notebooks (the command line uses it
 * too):
 *
 * <pre>{@code
 * CalibrationRun run = Calibration.builder()
 *     .input("s3a://bucket/dumps/resnet50/")
 *     .methods("entropy", "max")
 *     .bits(8)
 *     .build()
 *     .run(spark);
 * CalibrationTable table = run.table();
 * }</pre>
 *
 * <p>In the grid layout (the default) the dump is scanned once: each task builds per tensor the
 * range statistics and grid histograms whose layouts grow with its data ({@link OneScan}); the
 * shuffle merges them into exactly the histograms of the merged statistics' layout, and the
 * searches run on the executors in the same job. In the range layout (NVIDIA's, whose edges need
 * the global max first) it is scanned twice: pass 1 gathers range statistics per tensor, pass 2
 * bins every tensor into histograms laid out from pass 1 and runs the searches. The input is never
 * cached (dumps usually exceed memory). The table is the same, byte for byte, for any partitioning,
 * and the same in one scan as in two: counts are integers, edges are fixed, and grid histograms
 * coarsen exactly.
 */
public final class Calibration {
  /**
   * The methods run when none are given; the first is the primary method (the TensorRT cache). One
   * constant, so the default is changed in one place.
   */
  public static final List<String> DEFAULT_METHODS = List.of("entropy", "percentile", "mse", "max");

  /** Values per chunk for one-value-per-row layouts (scalar, wide float columns). */
  public static final int DEFAULT_CHUNK_VALUES = 16384;

  // What the job was built with (CalibrationBuilder), read by CheckedInputs and CalibrationStages.
  final List<String> inputs;
  final List<String> methods;
  final QuantSpec quant;
  final int bins;
  final Layout layout;
  final String tensorColumn;
  final String valuesColumn;
  final Pattern tensors;
  final int chunkValues;
  final SearchStage.Plots plots;
  final Reader reader;
  final TensorCalibrator calibrator;
  final ChannelSource channels;
  final Pattern perChannelTensors;
  final int channelBins;
  final ChannelCalibrator channelCalibrator;
  final HistogramLayout histogramLayout;
  final List<String> mergeState;
  final Set<Domain> stateDomains;
  final boolean keepState;

  Calibration(CalibrationBuilder b) {
    this.inputs = List.copyOf(b.inputs);
    this.methods = List.copyOf(b.methods);
    this.quant = b.quant;
    this.bins = b.bins;
    this.layout = b.layout;
    this.tensorColumn = b.tensorColumn;
    this.valuesColumn = b.valuesColumn;
    this.tensors = b.tensors;
    this.chunkValues = b.chunkValues;
    this.plots = b.plots;
    this.reader = b.reader;
    this.histogramLayout = b.histogramLayout;
    this.mergeState = List.copyOf(b.mergeState);
    this.stateDomains =
        b.stateDomains.isEmpty() ? EnumSet.noneOf(Domain.class) : EnumSet.copyOf(b.stateDomains);
    this.keepState = b.keepState;
    try {
      this.calibrator = new TensorCalibrator(methods, quant);
    } catch (IllegalArgumentException e) {
      throw JobException.usage(e.getMessage());
    }
    this.channels = b.channels;
    this.perChannelTensors = b.perChannelTensors;
    this.channelBins = b.channelBins;
    this.channelCalibrator = channels == null ? null : new ChannelCalibrator(methods, quant);
    if (channelCalibrator != null && channelCalibrator.methods().isEmpty()) {
      throw JobException.usage(
          "Cannot calibrate per channel with methods "
              + String.join(",", methods)
              + ": none runs per channel (max, percentile, mse, octav and their variants do); add"
              + " one to --methods, first if the formats should carry it");
    }
  }

  /** A builder with the defaults: methods {@link #DEFAULT_METHODS}, 8-bit symmetric, 2048 bins. */
  public static CalibrationBuilder builder() {
    return new CalibrationBuilder();
  }

  /** The method keys, in order (the first is primary). */
  public List<String> methods() {
    return methods;
  }

  /** The quantizer. */
  public QuantSpec quant() {
    return quant;
  }

  /**
   * Scans the dump on {@code spark} (one scan for the grid layout, two passes for the range
   * layout), runs the searches and returns the table and summary. Does not stop the session.
   *
   * @throws JobException (input) naming the file and column when the input cannot be read
   */
  public CalibrationRun run(SparkSession spark) {
    return run(spark, check(spark.sparkContext().hadoopConfiguration()));
  }

  /**
   * {@link #run(SparkSession)} with inputs already {@link #check checked} (before the session
   * started).
   */
  public CalibrationRun run(SparkSession spark, CheckedInputs checked) {
    return CalibrationStages.run(this, spark, checked);
  }

  /**
   * What can be checked without Spark, through the Hadoop file system alone (see {@link
   * CheckedInputs#check}). A command calls it before it starts Spark, so a bad path or column fails
   * in a second.
   *
   * @throws JobException exit 3 for a missing path, an unreadable footer or a bad column; exit 2
   *     for a state that cannot be merged or a file given twice
   */
  public CheckedInputs check(Configuration hadoop) {
    return CheckedInputs.check(this, hadoop);
  }

  /** The domains a run builds: the methods' and, for the state, {@code --state-domains}. */
  Set<Domain> domains() {
    Set<Domain> domains = EnumSet.noneOf(Domain.class);
    domains.addAll(calibrator.domains());
    if (keepState) {
      domains.addAll(stateDomains);
    }
    return domains;
  }

  @SuppressWarnings("unchecked")
  static <E extends Exception> E rethrow(Exception e) throws E {
    throw (E) e;
  }
}
