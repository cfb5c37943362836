package dev.qcal.jobs.calibrate;

import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.channel.ChannelCalibrator;
import dev.qcal.core.channel.ChannelStates;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.report.ReportTensor;
import dev.qcal.core.report.TensorPlot;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.state.StateErrors;
import dev.qcal.jobs.state.StateFiles.StateSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.SparkSession;

/**
 * Re-derives the calibration tables from persisted states, without reading any dump ({@code qcal
 * recompute}): the states' range statistics merge per tensor, their histograms are regridded to the
 * merged layouts and merged on the executors, and the searches run there, as in {@link
 * Calibration}. Merging the states of dumps A and B gives the table of calibrating A ∪ B, byte for
 * byte (grid layout).
 */
public final class Recompute {
  private final List<String> states;
  private final List<String> methods;
  private final QuantSpec quant;
  private final Integer bins;
  private final SearchStage.Plots plots;
  private final boolean keepState;
  private final TensorCalibrator calibrator;

  private Recompute(Builder b) {
    if (b.states.isEmpty()) {
      throw JobException.usage("No state given: pass --state DIR[,DIR...] (or spark.qcal.state)");
    }
    this.states = List.copyOf(b.states);
    this.methods = List.copyOf(b.methods);
    this.quant = b.quant;
    this.bins = b.bins;
    this.plots = b.plots;
    this.keepState = b.keepState;
    try {
      this.calibrator = new TensorCalibrator(methods, quant);
    } catch (IllegalArgumentException e) {
      throw JobException.usage(e.getMessage());
    }
  }

  /** A builder: methods {@link Calibration#DEFAULT_METHODS}, 8-bit symmetric, the states' bins. */
  public static Builder builder() {
    return new Builder();
  }

  /** The method keys, in order (the first is primary). */
  public List<String> methods() {
    return methods;
  }

  /** The quantization the tables are for. */
  public QuantSpec quant() {
    return quant;
  }

  /**
   * Reads and merges the states and runs the searches. Does not stop the session.
   *
   * @throws JobException exit 2 for a foreign, corrupt or unmergeable state or a method whose
   *     histogram the states lack; exit 3 for a missing path
   */
  public CalibrationRun run(SparkSession spark) {
    return run(spark, check(spark.sparkContext().hadoopConfiguration()));
  }

  /**
   * Opens and checks the states on the driver, through the Hadoop file system only (a command calls
   * it before it starts Spark): each state's {@code _STATE.json}, identity and digest, their
   * layouts and domains, and that none is given twice or covers a dump file another covers.
   *
   * @throws JobException exit 2 for a foreign, changed, incompatible or repeated state; exit 3 for
   *     a missing path
   */
  public List<StateSource> check(Configuration hadoop) {
    return StateMerge.check(
        states,
        hadoop,
        null,
        calibrator.domains(),
        "the methods " + String.join(",", methods) + " need",
        List.of());
  }

  /** {@link #run(SparkSession)} with the states already {@link #check checked}. */
  public CalibrationRun run(SparkSession spark, List<StateSource> checked) {
    SparkContext sc = spark.sparkContext();
    String previous = sc.getLocalProperty("spark.job.description");
    RunRecord.Builder summary = new RunRecord.Builder();
    long start = System.nanoTime();
    try {
      Set<Domain> domains = calibrator.domains();
      StateMerge merge = StateMerge.open(spark, checked);
      int b = bins != null ? bins : merge.minBins();
      Map<String, RangeStats> ranges = merge.mergeRanges(Map.of());
      // A merged state keeps every domain all its states hold, so a nightly chain loses none.
      Set<Domain> built = java.util.EnumSet.noneOf(Domain.class);
      built.addAll(domains);
      if (keepState) {
        built.addAll(merge.commonDomains());
      }
      // Tensors some state holds per channel are recomputed per channel too, with the fewest
      // channel bins among those states (each coarsens to it exactly).
      int channelBins = merge.minChannelBins();
      ChannelCalibrator channelCalibrator =
          channelBins == 0 ? null : new ChannelCalibrator(methods, quant);
      if (channelCalibrator != null && channelCalibrator.methods().isEmpty()) {
        channelCalibrator = null;
      }
      JavaPairRDD<String, ChannelStates> channels =
          channelCalibrator == null
              ? null
              : merge.channelStates(channelCalibrator.domains(), channelBins);
      summary.stageMillis.put("read states", (System.nanoTime() - start) / 1_000_000);
      long searchStart = System.nanoTime();
      sc.setJobDescription("qcal: merge states and run the calibration searches");
      SearchStage.Result stage;
      try {
        stage =
            SearchStage.run(
                spark,
                ranges,
                built,
                b,
                merge.layout(),
                null,
                built.isEmpty() ? null : merge,
                channels,
                channelCalibrator,
                channelBins,
                calibrator,
                plots,
                keepState,
                StateCoverage.of(merge));
      } catch (Exception e) { // SparkException is checked, and Scala throws it anyway
        throw Calibration.<RuntimeException>rethrow(StateErrors.classify(e));
      }
      summary.stageMillis.put(
          "merge states and calibration searches", (System.nanoTime() - searchStart) / 1_000_000);
      List<TensorCalibration> rows = new ArrayList<>();
      Map<String, TensorPlot> plotsByName = new HashMap<>();
      for (ReportTensor r : stage.rows()) {
        rows.add(r.row());
        if (r.plot() != TensorPlot.NONE) {
          plotsByName.put(r.name(), r.plot());
        }
      }
      CalibrationTable table = CalibrationTable.of(rows, methods, quant);
      summary.inputs = merge.inputs();
      summary.files = merge.sources().size();
      summary.layout = "state";
      List<String> read = new ArrayList<>();
      merge.sources().forEach(s -> read.add(s.path()));
      summary.columns = read;
      summary.tensors(table);
      summary.sparkVersion = spark.version();
      summary.master = sc.master();
      summary.applicationId = sc.applicationId();
      return new CalibrationRun(table, summary.build(), plotsByName, stage.state());
    } finally {
      sc.setJobDescription(previous);
    }
  }

  /** Builds a {@link Recompute}; setters validate (usage errors, exit 2). */
  public static final class Builder {
    private List<String> states = List.of();
    private List<String> methods = Calibration.DEFAULT_METHODS;
    private QuantSpec quant = QuantSpec.symmetric(QuantSpec.DEFAULT_BITS);
    private Integer bins;
    private SearchStage.Plots plots = SearchStage.Plots.BUILD;
    private boolean keepState;

    private Builder() {}

    /** State paths: output directories of earlier runs, or their {@code state/} directories. */
    public Builder states(List<String> paths) {
      this.states = List.copyOf(paths);
      return this;
    }

    /** Method keys, the primary first. */
    public Builder methods(List<String> keys) {
      this.methods = List.copyOf(keys);
      return this;
    }

    /** The quantizer (default 8-bit symmetric). */
    public Builder quant(QuantSpec spec) {
      this.quant = spec;
      return this;
    }

    /**
     * Bins of the merged histograms (default: the fewest among the states, to which every state
     * coarsens exactly).
     */
    public Builder bins(int value) {
      try {
        HistogramSpec.checkBinCount(value);
      } catch (IllegalArgumentException e) {
        throw JobException.usage("Invalid --bins (spark.qcal.bins): " + e.getMessage());
      }
      this.bins = value;
      return this;
    }

    /** Skips the report's per-tensor plots. */
    public Builder withoutPlots() {
      this.plots = SearchStage.Plots.SKIP;
      return this;
    }

    /** Keeps the merged states for the output's {@code state/} ({@link CalibrationRun#state()}). */
    public Builder keepState() {
      this.keepState = true;
      return this;
    }

    /** The job. */
    public Recompute build() {
      return new Recompute(this);
    }
  }
}
