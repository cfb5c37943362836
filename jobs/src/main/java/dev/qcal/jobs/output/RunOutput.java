package dev.qcal.jobs.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qcal.core.drift.DriftComparison;
import dev.qcal.core.drift.DriftReport;
import dev.qcal.core.drift.MethodDrift;
import dev.qcal.core.drift.RangeTable;
import dev.qcal.core.drift.TensorDrift;
import dev.qcal.core.io.DriftJson;
import dev.qcal.core.io.FormatOptions;
import dev.qcal.core.io.InputFormatException;
import dev.qcal.core.io.RangeTableJson;
import dev.qcal.core.io.TableFormat;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.report.ReportModel;
import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.calibrate.CalibrationRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's output with its scheduling options ({@link Schedule}), in two calls: {@link #open} before
 * the scan (checks the output, reads and checks the baseline: a bad one fails the run before any
 * work) and {@link #publish} after it (drift against the baseline, the tables, {@code drift.json}
 * and {@code summary.json} in one atomic commit, then {@code _LATEST} if the run is accepted). Any
 * command that writes a calibration table uses it the same way.
 *
 * <p>With a run id the output goes to {@code OUTPUT/run_id=ID/}: a rerun of the same id replaces
 * that run (atomically, as {@code --overwrite} does: the run id says which output the run owns, so
 * a retried or backfilled run needs no flag), other runs are untouched. A run is accepted when it
 * succeeded and its drift is within the limit; only then does {@code OUTPUT/_LATEST} move to it. A
 * drifted run keeps its complete output (status {@code drift_exceeded}, exit 4) so a human can
 * review it; consumers that follow {@code _LATEST} never get it until someone accepts it by
 * rerunning the same run id with a higher {@code --max-drift}, or by writing its id into {@code
 * _LATEST}.
 *
 * <p>Two runs of one run id never interleave: {@link #open} takes the run id's lock ({@link
 * RunLock}) and {@link #close} releases it. Every check of {@link #open} reads the file system
 * only, so commands call it before they start Spark.
 */
public final class RunOutput implements AutoCloseable {
  /** The drift report's file name. */
  public static final String DRIFT = "drift.json";

  /** The status of a run whose drift exceeds the limit. */
  public static final String DRIFT_EXCEEDED = "drift_exceeded";

  private final OutputDirectory dir;
  private final Schedule schedule;
  private final Path root;
  private final FileSystem fs;
  private final Baseline baseline;
  private final long openedMillis;
  private final RunLock lock;

  private RunOutput(
      OutputDirectory dir,
      Schedule schedule,
      Path root,
      FileSystem fs,
      Baseline baseline,
      long openedMillis,
      RunLock lock) {
    this.dir = dir;
    this.schedule = schedule;
    this.root = root;
    this.fs = fs;
    this.baseline = baseline;
    this.openedMillis = openedMillis;
    this.lock = lock;
  }

  /** The baseline as requested and as found: the table is null when 'latest' names no run yet. */
  private record Baseline(String requested, String path, RangeTable table) {}

  /**
   * Checks {@code output} and reads the baseline, before any scan.
   *
   * @param output the output directory; with a run id, the root of run directories
   * @param mode whether an existing output (without run id) is replaced
   * @param quant the run's quantizer (the baseline must have the same)
   * @param methods the run's methods (the baseline must share one)
   * @throws JobException usage (exit 2): output exists, is not writable or not a qcal output,
   *     layouts mixed, another run of the run id is running, a baseline of another quantizer or
   *     with no method in common; input (exit 3): the baseline is missing or not a qcal table
   */
  public static RunOutput open(
      String output,
      OutputMode mode,
      Schedule schedule,
      QuantSpec quant,
      List<String> methods,
      Configuration conf) {
    if (output == null || output.isBlank()) {
      throw JobException.usage("No output given: pass --output DIR (or spark.qcal.output)");
    }
    long opened = System.currentTimeMillis();
    try {
      Path given = new Path(output);
      FileSystem fs = given.getFileSystem(conf);
      fs.setWriteChecksum(false);
      Path root = fs.makeQualified(given);
      OutputDirectory dir;
      if (schedule.hasRunId()) {
        if (fs.exists(new Path(root, OutputDirectory.SUCCESS))) {
          throw JobException.usage(
              "Cannot write run "
                  + schedule.runId()
                  + " under "
                  + root
                  + ": it holds the output of a run without"
                  + " --run-id; give another --output for scheduled runs");
        }
        dir =
            OutputDirectory.open(
                LatestRun.runDirectory(root, schedule.runId()).toString(),
                OutputMode.OVERWRITE,
                conf);
      } else {
        if (mode == OutputMode.OVERWRITE && fs.exists(new Path(root, LatestRun.FILE))) {
          throw JobException.usage(
              "Cannot overwrite "
                  + root
                  + ": it holds scheduled runs ("
                  + LatestRun.FILE
                  + "); give --run-id to"
                  + " write one of them, or another --output");
        }
        dir = OutputDirectory.open(output, mode, conf);
      }
      Baseline baseline = baseline(schedule, root, fs, conf);
      if (baseline != null && baseline.table() != null) {
        Optional<String> why =
            DriftComparison.incompatibility(
                baseline.table(), quant.scheme(), quant.bits(), methods);
        if (why.isPresent()) {
          throw JobException.usage(
              "Cannot compare with the baseline "
                  + baseline.path()
                  + ": "
                  + why.get()
                  + "; give a baseline of the same --scheme, --bits and methods, or drop"
                  + " --baseline");
        }
      }
      RunLock lock = schedule.hasRunId() ? RunLock.acquire(fs, root, schedule.runId()) : null;
      return new RunOutput(dir, schedule, root, fs, baseline, opened, lock);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot check the output directory " + output + ": " + e.getMessage(), e);
    }
  }

  private static Baseline baseline(Schedule schedule, Path root, FileSystem fs, Configuration conf)
      throws IOException {
    String requested = schedule.baseline();
    if (requested == null) {
      return null;
    }
    Path file;
    if (Schedule.LATEST.equals(requested)) {
      Optional<String> latest = LatestRun.read(fs, root);
      if (latest.isEmpty()) {
        return new Baseline(requested, null, null);
      }
      file = new Path(LatestRun.runDirectory(root, latest.get()), CalibrationOutput.JSON);
    } else {
      file = new Path(requested);
    }
    FileSystem bfs = file.getFileSystem(conf);
    file = bfs.makeQualified(file);
    if (bfs.exists(file) && bfs.getFileStatus(file).isDirectory()) {
      file = new Path(file, CalibrationOutput.JSON);
    }
    if (!bfs.exists(file)) {
      throw JobException.input(
          "Baseline "
              + file
              + " does not exist: give the calibration.json of an earlier run (or its directory),"
              + " or 'latest' with --run-id");
    }
    try (InputStream in = bfs.open(file)) {
      return new Baseline(requested, file.toString(), RangeTableJson.read(in, file.toString()));
    } catch (InputFormatException e) {
      throw JobException.input("Cannot use the baseline: " + e.getMessage(), e);
    }
  }

  /** The run's output directory ({@code OUTPUT/run_id=ID} with a run id). */
  public Path path() {
    return dir.path();
  }

  /** Releases the run id's lock, if the run has one. */
  @Override
  public void close() {
    if (lock != null) {
      lock.close();
    }
  }

  /**
   * Compares {@code run}'s table with the baseline, writes every output in one commit, and moves
   * {@code _LATEST} when the run has an id and is accepted.
   *
   * @param config the effective configuration, recorded in summary.json
   */
  public Published publish(
      CalibrationRun run,
      List<TableFormat> formats,
      FormatOptions options,
      CalibrationOutput.Report report,
      Map<String, String> config) {
    // The ranges are compared only against a baseline: a plain run does not build them.
    boolean compared = baseline != null && baseline.table() != null;
    RangeTable current = compared ? RangeTable.of(run.table()) : null;
    DriftReport drift =
        compared ? DriftComparison.compare(baseline.table(), current, schedule.maxDrift()) : null;
    boolean accepted = drift == null || !drift.exceedsLimit();
    OutputExtension extension =
        new OutputExtension() {
          @Override
          public void writeFiles(OutputCommit commit) throws IOException {
            if (drift != null) {
              commit.write(DRIFT, out -> DriftJson.write(drift, current, baseline.path(), out));
            }
          }

          @Override
          public ReportModel report(ReportModel model) {
            return drift == null ? model : model.withDrift(drift, baseline.path());
          }

          @Override
          public void summarize(ObjectNode summary) {
            if (!accepted) {
              summary.put("status", DRIFT_EXCEEDED);
            }
            if (schedule.hasRunId()) {
              summary.put("run_id", schedule.runId());
            }
            if (baseline != null) {
              driftSection(summary.putObject("drift"), drift);
            }
          }
        };
    List<String> warnings =
        CalibrationOutput.write(dir, run, formats, options, report, config, extension);
    boolean moved = false;
    if (schedule.hasRunId() && accepted) {
      try {
        LatestRun.publish(fs, root, schedule.runId(), openedMillis);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Wrote "
                + dir.path()
                + " but cannot move "
                + new Path(root, LatestRun.FILE)
                + ": "
                + e.getMessage(),
            e);
      }
      moved = true;
    }
    return new Published(
        dir.path(),
        warnings,
        Optional.ofNullable(drift),
        moved,
        accepted ? ExitCode.OK : ExitCode.DRIFT,
        schedule.runId());
  }

  private void driftSection(ObjectNode s, DriftReport drift) {
    s.put("baseline", baseline.path());
    if (schedule.maxDrift().isPresent()) {
      s.put("limit", schedule.maxDrift().getAsDouble());
    } else {
      s.putNull("limit");
    }
    if (drift == null) {
      s.put(
          "note",
          "no previous run (" + LatestRun.FILE + " does not exist yet): nothing to compare");
      return;
    }
    s.put("file", DRIFT);
    s.put("tensors_compared", drift.tensors().size());
    s.put("exceeded", drift.exceeded().size());
    s.put("appeared", drift.appeared().size());
    s.put("disappeared", drift.disappeared().size());
    Optional<TensorDrift> worst = drift.worst();
    if (worst.isEmpty()) {
      s.putNull("worst");
      return;
    }
    MethodDrift m = worst.get().worstMethod().orElseThrow();
    ObjectNode w = s.putObject("worst");
    w.put("tensor", worst.get().name());
    w.put("method", m.method());
    if (m.isMeasured()) {
      w.put("change", m.change());
    } else {
      w.putNull("change");
    }
    w.put("measure", m.measure().key());
  }

  /**
   * What {@link #publish} did.
   *
   * @param path the run's output directory
   * @param warnings the warnings (also in summary.json)
   * @param drift the drift against the baseline, if one was compared
   * @param latestMoved whether {@code _LATEST} now names this run
   * @param exitCode {@link ExitCode#OK}, or {@link ExitCode#DRIFT} if the gate tripped
   * @param runId the run id, or null for a plain output directory
   */
  public record Published(
      Path path,
      List<String> warnings,
      Optional<DriftReport> drift,
      boolean latestMoved,
      ExitCode exitCode,
      String runId) {

    /**
     * What happened when the drift gate tripped and how to accept the table, in a way that works as
     * printed: a plain output exists now, so its rerun needs {@code --overwrite}.
     */
    public String driftAdvice() {
      String file = new Path(path, DRIFT).toString();
      if (runId != null) {
        return "drift over the limit (exit 4): the outputs are written to "
            + path
            + " but "
            + LatestRun.FILE
            + " was not moved; see "
            + file
            + ". To accept this table, rerun with --run-id "
            + runId
            + " and a higher --max-drift (or write "
            + runId
            + " into "
            + new Path(path.getParent(), LatestRun.FILE)
            + ")";
      }
      return "drift over the limit (exit 4): the outputs are written to "
          + path
          + "; see "
          + file
          + ". To accept this table, rerun with a higher --max-drift and --overwrite (the output"
          + " exists now); for nightly runs give --run-id, which moves "
          + LatestRun.FILE
          + " only to accepted runs";
    }

    /** One line for the console about the drift, if a baseline was compared. */
    public Optional<String> driftLine() {
      return drift.map(
          d -> {
            String worst =
                d.worst()
                    .map(
                        t -> {
                          MethodDrift m = t.worstMethod().orElseThrow();
                          String change =
                              m.isMeasured()
                                  ? String.format(Locale.ROOT, "%.4g", m.change())
                                  : "unbounded (" + m.measure().key() + ")";
                          return String.format(
                              Locale.ROOT, "; worst '%s' (%s) %s", t.name(), m.method(), change);
                        })
                    .orElse("");
            return String.format(
                Locale.ROOT,
                "qcal: drift: %d tensors compared, %d over the limit%s, %d appeared, %d"
                    + " disappeared%s",
                d.tensors().size(),
                d.exceeded().size(),
                d.limit().isPresent()
                    ? String.format(Locale.ROOT, " %s", d.limit().getAsDouble())
                    : " (no limit)",
                d.appeared().size(),
                d.disappeared().size(),
                worst);
          });
    }
  }
}
