package dev.qcal.jobs.calibrate;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.report.ReportTensor;
import dev.qcal.core.report.TensorPlot;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.ChannelCalibration;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.jobs.Failures;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.dump.DumpFiles;
import dev.qcal.jobs.dump.DumpLayout;
import dev.qcal.jobs.dump.InputErrors;
import dev.qcal.jobs.scan.ChannelDump;
import dev.qcal.jobs.scan.ChunkScan;
import dev.qcal.jobs.scan.ChunkScans;
import dev.qcal.jobs.scan.PerChannelRows;
import dev.qcal.jobs.scan.ReadCounters;
import dev.qcal.jobs.scan.TensorRanges;
import dev.qcal.jobs.state.StateErrors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link Calibration} run on Spark, stage by stage, on the driver: the per-channel rows and
 * persisted states opened, the scan opened ({@link ChunkScans}), then either the grid layout's
 * {@link OneScan} or the {@link TwoPasses two passes} (pass 1 range statistics, then {@link
 * SearchStage} for the layouts, pass 2 and the searches), the {@link PerChannelPasses per-channel
 * passes}, the check that no file changed, and the table and {@link RunRecord} assembled. Each
 * stage is named in the Spark UI and logged at INFO as it starts and ends.
 */
final class CalibrationStages {
  /**
   * Logs one INFO line as each stage starts and ends ("qcal: pass 2 ... started"), so operators
   * (and the cluster test) can follow a run in the driver log; the UI shows the same names.
   */
  private static final Logger LOG = LoggerFactory.getLogger(CalibrationStages.class);

  private final Calibration job;
  private final SparkSession spark;
  private final SparkContext sc;

  private CalibrationStages(Calibration job, SparkSession spark) {
    this.job = job;
    this.spark = spark;
    this.sc = spark.sparkContext();
  }

  /** Runs {@code job} over the inputs {@code checked} found, on {@code spark}. */
  static CalibrationRun run(Calibration job, SparkSession spark, CheckedInputs checked) {
    return new CalibrationStages(job, spark).run(checked);
  }

  private CalibrationRun run(CheckedInputs checked) {
    RunRecord.Builder summary = new RunRecord.Builder();
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
      StateMerge states =
          checked.states().isEmpty() ? null : StateMerge.open(spark, checked.states());
      if (states != null) {
        watch.stage("read states");
        summary.stageMillis.merge("read states", checked.statesMillis(), Long::sum);
      }
      Set<Domain> domains = job.domains();
      ChannelPlan plan = null;
      if (job.channels != null && scansOnce(states) && ChunkScans.readsChannels(job.reader, dump)) {
        ChannelDump.check(schema, files.first().toString(), dump, job.channels);
        checkChannelBins(states);
        plan =
            new ChannelPlan(
                new PerChannelRows(job.channels, job.perChannelTensors),
                job.channelCalibrator,
                job.channelBins);
      }
      if (job.channels != null && plan == null && states != null && states.minChannelBins() > 0) {
        throw JobException.usage(
            "Cannot merge the per-channel states of --merge-state in this run: they join the one"
                + " scan of the page decoder (--histogram-layout grid, --reader auto or pages)");
      }
      ChannelDump channelDump =
          job.channels == null || plan != null
              ? null
              : ChannelDump.open(
                  spark,
                  files,
                  schema,
                  files.first().toString(),
                  dump,
                  job.channels,
                  job.tensors,
                  job.perChannelTensors);

      ReadCounters counters = ReadCounters.register(sc);
      ChunkScan chunks =
          ChunkScans.open(
              spark,
              job.reader,
              files,
              dump,
              job.tensors,
              job.chunkValues,
              plan == null ? null : plan.rows(),
              counters);
      ChannelPlan channels = plan;
      StateCoverage coverage = StateCoverage.of(files, states);

      if (scansOnce(states)) {
        LongAccumulator opened = sc.longAccumulator("qcal: tensors opened by the scan");
        String stage = OneScan.stage(domains);
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
                        job.bins,
                        channels,
                        states,
                        opened,
                        job.calibrator,
                        job.plots,
                        job.keepState,
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
        return finish(result, channelDump, files, summary, watch);
      }

      sc.setJobDescription("qcal: pass 1 range statistics");
      LOG.info(
          "qcal: pass 1 range statistics started ({} files, {} bytes, {} layout)",
          files.files().size(),
          files.bytes(),
          dump.layout().key());
      Map<String, RangeStats> ranges = runInput(() -> TensorRanges.of(chunks));
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
                      job.bins,
                      job.histogramLayout,
                      specBroadcast -> TwoPasses.histograms(chunks, specBroadcast),
                      states,
                      null,
                      null,
                      0,
                      job.calibrator,
                      job.plots,
                      job.keepState,
                      coverage));
      watch.stage(
          domains.isEmpty()
              ? "calibration searches"
              : "pass 2 histograms and calibration searches");
      LOG.info("qcal: pass 2 histograms and calibration searches done");
      return finish(stage, channelDump, files, summary, watch);
    } finally {
      sc.setJobDescription(previousDescription);
    }
  }

  /**
   * Refuses persisted per-channel states with fewer bins than {@code --channel-bins}: they cannot
   * be refined (grid histograms only coarsen exactly).
   */
  private void checkChannelBins(StateMerge states) {
    if (states != null
        && states.minChannelBins() > 0
        && states.minChannelBins() < job.channelBins) {
      throw JobException.usage(
          String.format(
              "Cannot merge the per-channel states of --merge-state: they hold %d bins per channel,"
                  + " fewer than --channel-bins %d; give --channel-bins %d or fewer",
              states.minChannelBins(), job.channelBins, states.minChannelBins()));
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
              + String.join(", ", job.inputs)
              + (job.tensors != null
                  ? " (does --tensors '" + job.tensors.pattern() + "' match any name?)"
                  : " (the dump has no rows)"));
    }
  }

  /**
   * The table, the plots and the summary from the searches' rows (and the per-channel passes), once
   * every file is known to be what was listed.
   */
  private CalibrationRun finish(
      SearchStage.Result stage,
      ChannelDump channelDump,
      DumpFiles files,
      RunRecord.Builder summary,
      Stopwatch watch) {
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
    CalibrationTable table = CalibrationTable.of(tableRows, job.methods, job.quant);
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
        runInput(
            () ->
                PerChannelPasses.run(
                    jsc, dump, job.channelCalibrator, job.channelBins, job.histogramLayout));
    LOG.info("qcal: per-channel passes done ({} tensors per channel)", byName.size());
    List<TensorCalibration> out = new ArrayList<>(rows.size());
    for (TensorCalibration row : rows) {
      ChannelCalibration c = byName.get(row.name());
      out.add(c == null ? row : row.withChannels(c));
    }
    return out;
  }

  /**
   * Runs a stage, turning a failure the input or a state caused into an input or state error that
   * names the file (an out-of-memory failure stays one).
   */
  private static <T> T runInput(Supplier<T> pass) {
    try {
      return pass.get();
    } catch (Exception e) { // SparkException is checked, and Scala throws it anyway
      if (Failures.isOutOfMemory(e)) {
        throw Calibration.<RuntimeException>rethrow(
            e); // not the input's fault, whatever file Spark was reading
      }
      Exception state = StateErrors.classify(e);
      throw Calibration.<RuntimeException>rethrow(state != e ? state : InputErrors.classify(e));
    }
  }

  /**
   * Whether this run scans once: the grid layout and no persisted state that could need today's
   * statistics to be checked before its histograms are read ({@link StateMerge#coarsensTo}). A run
   * that needs no histogram ({@code max} alone) scans once too: its per-channel tensors then join
   * the scan with their range statistics, instead of two passes of their own.
   */
  private boolean scansOnce(StateMerge states) {
    return job.histogramLayout == HistogramLayout.GRID
        && (states == null || states.coarsensTo(job.bins));
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
}
