package dev.qcal.jobs.calibrate;

import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.calib.TensorCalibrator;
import dev.qcal.core.channel.ChannelCalibrator;
import dev.qcal.core.channel.ChannelSpecs;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.report.ReportTensor;
import dev.qcal.core.report.TensorPlot;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.ChannelCalibration;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.read.ChannelDump;
import dev.qcal.jobs.read.ChannelSource;
import dev.qcal.jobs.read.DumpFiles;
import dev.qcal.jobs.read.DumpLayout;
import dev.qcal.jobs.read.DumpSchema;
import dev.qcal.jobs.read.InputErrors;
import dev.qcal.jobs.read.Layout;
import dev.qcal.jobs.read.ReadCounters;
import dev.qcal.jobs.scan.ChunkScan;
import dev.qcal.jobs.scan.ChunkScans;
import dev.qcal.jobs.scan.Reader;
import dev.qcal.jobs.state.StateFiles;
import dev.qcal.jobs.state.StateFiles.StateSource;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  /**
   * Logs one INFO line as each stage starts and ends ("qcal: pass 2 ... started"), so operators
   * (and the cluster test) can follow a run in the driver log; the UI shows the same names.
   */
  private static final Logger LOG = LoggerFactory.getLogger(Calibration.class);

  private final List<String> inputs;
  private final List<String> methods;
  private final QuantSpec quant;
  private final int bins;
  private final Layout layout;
  private final String tensorColumn;
  private final String valuesColumn;
  private final Pattern tensors;
  private final int chunkValues;
  private final Passes.Plots plots;
  private final Reader reader;
  private final TensorCalibrator calibrator;
  private final ChannelSource channels;
  private final Pattern perChannelTensors;
  private final int channelBins;
  private final ChannelCalibrator channelCalibrator;
  private final HistogramLayout histogramLayout;
  private final List<String> mergeState;
  private final Set<Domain> stateDomains;
  private final boolean keepState;

  private Calibration(Builder b) {
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
  public static Builder builder() {
    return new Builder();
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
   * What can be checked without Spark, through the Hadoop file system alone: the dump's files
   * listed (each with its length and time), the first file's footer and the columns the layout
   * needs, the per-channel column, and the states to merge (their {@code _STATE.json}, layout,
   * domains, identity and content digest, and that none covers a file twice). A command calls it
   * before it starts Spark, so a bad path or column fails in a second.
   *
   * @throws JobException exit 3 for a missing path, an unreadable footer or a bad column; exit 2
   *     for a state that cannot be merged or a file given twice
   */
  public Inputs check(Configuration hadoop) {
    long start = System.nanoTime();
    DumpFiles files = DumpFiles.list(inputs, hadoop);
    StructType schema = DumpSchema.read(files.first(), hadoop);
    DumpLayout dump =
        DumpLayout.resolve(
            layout, schema, files.first().toString(), tensorColumn, valuesColumn, tensors);
    if (channels != null) {
      ChannelDump.check(schema, files.first().toString(), dump, channels);
    }
    long listed = System.nanoTime();
    List<StateSource> states =
        mergeState.isEmpty()
            ? List.of()
            : StateMerge.check(
                mergeState,
                hadoop,
                histogramLayout,
                buildDomains(),
                "the methods " + String.join(",", methods) + " need",
                files.identities());
    return new Inputs(
        files,
        schema,
        dump,
        states,
        (listed - start) / 1_000_000,
        (System.nanoTime() - listed) / 1_000_000);
  }

  /**
   * What {@link #check} found.
   *
   * @param files the dump's files as listed
   * @param schema the first file's schema
   * @param dump the resolved layout and columns
   * @param states the states to merge, checked
   * @param listMillis time to list the files and read the footer
   * @param statesMillis time to check the states
   */
  public record Inputs(
      DumpFiles files,
      StructType schema,
      DumpLayout dump,
      List<StateSource> states,
      long listMillis,
      long statesMillis) {}

  /** The domains a run builds: the methods' and, for the state, {@code --state-domains}. */
  private Set<Domain> buildDomains() {
    Set<Domain> domains = EnumSet.noneOf(Domain.class);
    domains.addAll(calibrator.domains());
    if (keepState) {
      domains.addAll(stateDomains);
    }
    return domains;
  }

  /**
   * Whether this run scans once: the grid layout, some histogram to build (without one, pass 1
   * alone is the scan), and no persisted state that could need today's statistics to be checked
   * before its histograms are read ({@link StateMerge#coarsensTo}).
   */
  private boolean oneScan(Set<Domain> domains, StateMerge states) {
    return histogramLayout == HistogramLayout.GRID
        && !domains.isEmpty()
        && (states == null || states.coarsensTo(bins));
  }

  /**
   * {@link #run(SparkSession)} with inputs already {@link #check checked} (before the session
   * started).
   */
  public CalibrationRun run(SparkSession spark, Inputs checked) {
    SparkContext sc = spark.sparkContext();
    RunSummary.Builder summary = new RunSummary.Builder();
    Stopwatch watch = new Stopwatch(summary.stageMillis);
    String previousDescription = sc.getLocalProperty("spark.job.description");
    try {
      DumpFiles files = checked.files();
      StructType schema = checked.schema();
      DumpLayout dump = checked.dump();
      summary.inputs = files.inputs();
      summary.files = files.files().size();
      summary.bytes = files.bytes();
      summary.layout = dump.layout().key();
      summary.columns = dump.columns();
      summary.stageMillis.put("list inputs and read the schema", checked.listMillis());
      ChannelDump channelDump =
          channels == null
              ? null
              : ChannelDump.open(
                  spark,
                  files,
                  schema,
                  files.first().toString(),
                  dump,
                  channels,
                  tensors,
                  perChannelTensors);
      StateMerge states =
          checked.states().isEmpty() ? null : StateMerge.open(spark, checked.states());
      if (states != null) {
        watch.stage("read states");
        summary.stageMillis.merge("read states", checked.statesMillis(), Long::sum);
      }

      ReadCounters counters = ReadCounters.register(sc);
      ChunkScan chunks =
          ChunkScans.open(spark, reader, files, dump, tensors, chunkValues, counters);
      StateCoverage coverage = StateCoverage.of(files, states);

      Set<Domain> domains = buildDomains();
      if (oneScan(domains, states)) {
        LongAccumulator opened = sc.longAccumulator("qcal: tensors opened by the scan");
        String stage = OneScan.STAGE;
        sc.setJobDescription("qcal: " + stage);
        LOG.info(
            "qcal: {} started ({} files, {} bytes, {} layout)",
            stage,
            files.files().size(),
            files.bytes(),
            dump.layout().key());
        SearchStage.Result result =
            runInput(
                () ->
                    OneScan.run(
                        spark,
                        chunks,
                        domains,
                        bins,
                        states,
                        opened,
                        calibrator,
                        plots,
                        keepState,
                        coverage));
        summary.rows = counters.rows();
        summary.nullRows = counters.nullRows();
        try {
          checkSomethingRead(opened.value());
        } catch (JobException e) {
          if (result.state() != null) {
            result.state().release();
          }
          throw e;
        }
        watch.stage(stage);
        LOG.info(
            "qcal: {} done ({} tensors, {} reader)", stage, result.rows().size(), chunks.reader());
        return finish(spark, result, channelDump, files, summary, watch);
      }

      sc.setJobDescription("qcal: pass 1 range statistics");
      LOG.info(
          "qcal: pass 1 range statistics started ({} files, {} bytes, {} layout)",
          files.files().size(),
          files.bytes(),
          dump.layout().key());
      Map<String, RangeStats> ranges = runInput(() -> Passes.ranges(chunks));
      summary.rows = counters.rows();
      summary.nullRows = counters.nullRows();
      checkSomethingRead(ranges.size());
      watch.stage("pass 1 range statistics");
      LOG.info(
          "qcal: pass 1 range statistics done ({} tensors, {} reader)",
          ranges.size(),
          chunks.reader());
      if (states != null) {
        ranges = states.mergeRanges(ranges);
      }
      sc.setJobDescription(
          domains.isEmpty()
              ? "qcal: calibration searches (no histogram needed)"
              : "qcal: pass 2 histograms and calibration searches");
      LOG.info(
          "qcal: pass 2 histograms and calibration searches started ({} tensors)", ranges.size());
      Map<String, RangeStats> allRanges = ranges;
      SearchStage.Result stage =
          runInput(
              () ->
                  SearchStage.run(
                      spark,
                      allRanges,
                      domains,
                      bins,
                      histogramLayout,
                      specBroadcast -> Passes.histograms(chunks, specBroadcast),
                      states,
                      calibrator,
                      plots,
                      keepState,
                      coverage));
      watch.stage(
          domains.isEmpty()
              ? "calibration searches"
              : "pass 2 histograms and calibration searches");
      LOG.info("qcal: pass 2 histograms and calibration searches done");
      return finish(spark, stage, channelDump, files, summary, watch);
    } finally {
      sc.setJobDescription(previousDescription);
    }
  }

  /**
   * Refuses a scan that read no tensor ({@code count}: tensors, or accumulators the one scan made),
   * whatever persisted states add.
   */
  private void checkSomethingRead(long count) {
    if (count == 0) {
      throw JobException.input(
          "No tensor was read from "
              + String.join(", ", inputs)
              + (tensors != null
                  ? " (does --tensors '" + tensors.pattern() + "' match any name?)"
                  : " (the dump has no rows)"));
    }
  }

  /**
   * The table, the plots and the summary from the searches' rows (and the per-channel passes), once
   * every file is known to be what was listed.
   */
  private CalibrationRun finish(
      SparkSession spark,
      SearchStage.Result stage,
      ChannelDump channelDump,
      DumpFiles files,
      RunSummary.Builder summary,
      Stopwatch watch) {
    SparkContext sc = spark.sparkContext();
    List<ReportTensor> rows = stage.rows();
    List<TensorCalibration> tableRows = new ArrayList<>(rows.size());
    Map<String, TensorPlot> plotsByName = new HashMap<>();
    for (ReportTensor r : rows) {
      tableRows.add(r.row());
      if (r.plot() != TensorPlot.NONE) {
        plotsByName.put(r.name(), r.plot());
      }
    }
    try {
      if (channelDump != null) {
        tableRows = withChannels(JavaSparkContext.fromSparkContext(sc), channelDump, tableRows);
        watch.stage("per-channel passes");
      }
      files.checkUnchanged(sc.hadoopConfiguration());
    } catch (RuntimeException e) {
      if (stage.state() != null) {
        stage.state().release();
      }
      throw e;
    }
    CalibrationTable table = CalibrationTable.of(tableRows, methods, quant);
    summary.tensors(table);
    summary.sparkVersion = spark.version();
    summary.master = sc.master();
    summary.applicationId = sc.applicationId();
    return new CalibrationRun(table, summary.build(), plotsByName, stage.state());
  }

  /** Runs the per-channel passes and adds their results to the rows of the per-channel tensors. */
  private List<TensorCalibration> withChannels(
      JavaSparkContext jsc, ChannelDump dump, List<TensorCalibration> rows) {
    LOG.info("qcal: per-channel passes started ({})", dump.source());
    Map<String, ChannelCalibration> byName =
        runInput(() -> ChannelPasses.run(jsc, dump, channelCalibrator, channelBins));
    LOG.info("qcal: per-channel passes done ({} tensors per channel)", byName.size());
    List<TensorCalibration> out = new ArrayList<>(rows.size());
    for (TensorCalibration row : rows) {
      ChannelCalibration c = byName.get(row.name());
      out.add(c == null ? row : row.withChannels(c));
    }
    return out;
  }

  private static <T> T runInput(java.util.function.Supplier<T> pass) {
    try {
      return pass.get();
    } catch (Exception e) { // SparkException is checked, and Scala throws it anyway
      if (dev.qcal.jobs.Failures.isOutOfMemory(e)) {
        throw Calibration.<RuntimeException>rethrow(
            e); // not the input's fault, whatever file Spark was reading
      }
      Exception state = StateFiles.classify(e);
      throw Calibration.<RuntimeException>rethrow(state != e ? state : InputErrors.classify(e));
    }
  }

  @SuppressWarnings("unchecked")
  static <E extends Exception> E rethrow(Exception e) throws E {
    throw (E) e;
  }

  /** Wall time per stage. */
  private static final class Stopwatch {
    private final Map<String, Long> stages;
    private long start = System.nanoTime();

    Stopwatch(Map<String, Long> stages) {
      this.stages = stages;
    }

    void stage(String name) {
      long now = System.nanoTime();
      stages.put(name, (now - start) / 1_000_000);
      start = now;
    }
  }

  /** Builds a {@link Calibration}; every setter validates its value (usage errors, exit 2). */
  public static final class Builder {
    private List<String> inputs = List.of();
    private List<String> methods = DEFAULT_METHODS;
    private QuantSpec quant = QuantSpec.symmetric(QuantSpec.DEFAULT_BITS);
    private int bins = HistogramSpec.DEFAULT_BINS;
    private Layout layout = Layout.AUTO;
    private String tensorColumn;
    private String valuesColumn;
    private Pattern tensors;
    private int chunkValues = DEFAULT_CHUNK_VALUES;
    private Passes.Plots plots = Passes.Plots.BUILD;
    private Reader reader = Reader.AUTO;
    private ChannelSource channels;
    private Pattern perChannelTensors;
    private int channelBins = ChannelSpecs.DEFAULT_BINS;
    private HistogramLayout histogramLayout = HistogramLayout.GRID;
    private List<String> mergeState = List.of();
    private Set<Domain> stateDomains = EnumSet.noneOf(Domain.class);
    private boolean keepState;

    private Builder() {}

    /**
     * Calibrates per channel too, with channels from {@code source} (null: per tensor only). The
     * per-tensor row of every tensor is kept; per-channel tensors get per-channel results beside
     * it.
     */
    public Builder channels(ChannelSource source) {
      this.channels = source;
      return this;
    }

    /**
     * Only tensors whose whole name matches {@code regex} are calibrated per channel (default all).
     */
    public Builder perChannelTensors(String regex) {
      try {
        this.perChannelTensors = regex == null ? null : Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw JobException.usage("Invalid --per-channel-tensors regex: " + e.getMessage());
      }
      return this;
    }

    /** Histogram bins per channel (default {@value ChannelSpecs#DEFAULT_BINS}). */
    public Builder channelBins(int bins) {
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
     * How histogram ranges are chosen (default {@link HistogramLayout#GRID}: power-of-two bin
     * widths, so states of different dumps merge exactly; {@link HistogramLayout#RANGE} is NVIDIA's
     * {@code torch.histc} layout).
     */
    public Builder histogramLayout(HistogramLayout layout) {
      this.histogramLayout = layout;
      return this;
    }

    /**
     * Persisted states (output directories of earlier runs, or their {@code state/}) added to this
     * run: their range statistics before the layouts are chosen, their histograms regridded into
     * them.
     */
    public Builder mergeState(List<String> paths) {
      this.mergeState = List.copyOf(paths);
      return this;
    }

    /**
     * Keeps the per-tensor states on the executors after the run ({@link CalibrationRun#state()}),
     * to be written into the output's {@code state/}.
     */
    public Builder keepState() {
      this.keepState = true;
      return this;
    }

    /** Histogram domains built for the kept state beyond those the methods need. */
    public Builder stateDomains(Set<Domain> domains) {
      this.stateDomains =
          domains.isEmpty() ? EnumSet.noneOf(Domain.class) : EnumSet.copyOf(domains);
      return this;
    }

    /**
     * The Parquet reader (default {@link Reader#AUTO}: qcal's page decoder for long layouts of
     * float or double arrays, Spark's reader otherwise).
     */
    public Builder reader(Reader reader) {
      this.reader = reader;
      return this;
    }

    /** Input paths: Parquet files, directories or globs on any Hadoop file system. */
    public Builder input(List<String> paths) {
      this.inputs = List.copyOf(paths);
      return this;
    }

    /** Input paths. */
    public Builder input(String... paths) {
      return input(List.of(paths));
    }

    /** Method keys (see {@link Calibrators#names()}), the primary first. */
    public Builder methods(List<String> keys) {
      this.methods = List.copyOf(keys);
      return this;
    }

    /** Method keys, the primary first. */
    public Builder methods(String... keys) {
      return methods(List.of(keys));
    }

    /** The quantizer (default 8-bit symmetric, TensorRT's). */
    public Builder quant(QuantSpec spec) {
      this.quant = spec;
      return this;
    }

    /** Bit width of the default symmetric quantizer, keeping its scheme. */
    public Builder bits(int bits) {
      try {
        this.quant = new QuantSpec(bits, quant.scheme(), quant.powerOfTwo());
      } catch (IllegalArgumentException e) {
        throw JobException.usage(e.getMessage());
      }
      return this;
    }

    /** Histogram bins of the absolute and signed domains (default 2048). */
    public Builder bins(int bins) {
      try {
        HistogramSpec.checkBinCount(bins);
      } catch (IllegalArgumentException e) {
        throw JobException.usage("Invalid --bins (spark.qcal.bins): " + e.getMessage());
      }
      this.bins = bins;
      return this;
    }

    /** The dump layout (default auto: decided from the schema of the first file). */
    public Builder layout(Layout layout) {
      this.layout = layout;
      return this;
    }

    /** The tensor-name column of the long and scalar layouts (default {@code tensor}). */
    public Builder tensorColumn(String name) {
      this.tensorColumn = name;
      return this;
    }

    /** The values column (default {@code values} for long, {@code value} for scalar). */
    public Builder valuesColumn(String name) {
      this.valuesColumn = name;
      return this;
    }

    /** Calibrate only tensors whose whole name matches {@code regex} (Java syntax). */
    public Builder tensors(String regex) {
      try {
        this.tensors = regex == null ? null : Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw JobException.usage("Invalid --tensors regex: " + e.getMessage());
      }
      return this;
    }

    /** Values per chunk for one-value-per-row layouts (default 16384). */
    public Builder chunkValues(int values) {
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
    public Builder withoutPlots() {
      this.plots = Passes.Plots.SKIP;
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
}
