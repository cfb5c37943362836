package dev.qcal.jobs.output;

import dev.qcal.core.io.FormatOptions;
import dev.qcal.core.io.TableFormat;
import dev.qcal.core.io.TensorIssue;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.jobs.calibrate.CalibrationRun;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a run's output directory: the requested table formats ({@code calibration.json} always,
 * {@code calibration.cache} and {@code calibration.csv} by default), then {@code summary.json},
 * then {@code _SUCCESS}; all or nothing (see {@link OutputDirectory}).
 *
 * <p>A format that cannot carry some tensor (a line break in a name for the text formats) is not
 * written at all and the run says why; the other formats are still written, since they carry every
 * tensor. Tensors a format deliberately leaves out (zero ranges) and names a known consumer
 * misreads become warnings.
 */
public final class CalibrationOutput {
  /** The canonical table. */
  public static final String JSON = TableFormat.QCAL_JSON.fileName();
  /** The TensorRT calibration cache of the primary method. */
  public static final String CACHE = TableFormat.TRT_CACHE.fileName();
  /** One row per tensor and method. */
  public static final String CSV = TableFormat.CSV.fileName();
  /** What was read, flags, timings, configuration and versions. */
  public static final String SUMMARY = "summary.json";
  /** The formats written when none are requested. */
  public static final List<TableFormat> DEFAULT_FORMATS =
      List.of(TableFormat.QCAL_JSON, TableFormat.TRT_CACHE, TableFormat.CSV);

  private CalibrationOutput() {}

  /**
   * Writes the outputs of {@code run} to {@code dir} in {@code formats} (qcal's JSON is always
   * included) for the primary method. Returns the warnings (also in summary.json).
   *
   * @param config the effective configuration, recorded in summary.json
   */
  public static List<String> write(
      OutputDirectory dir,
      CalibrationRun run,
      List<TableFormat> formats,
      FormatOptions options,
      Map<String, String> config) {
    CalibrationTable table = run.table();
    String method = table.primaryMethod();
    Set<TableFormat> requested = new LinkedHashSet<>();
    requested.add(TableFormat.QCAL_JSON);
    requested.addAll(formats);
    List<String> warnings = new ArrayList<>();
    List<TableFormat> writable = new ArrayList<>();
    for (TableFormat f : requested) {
      Optional<String> refusal = f.refusal(table, method);
      if (refusal.isPresent()) {
        warnings.add(refusal.get());
        continue;
      }
      writable.add(f);
      issues(f.fileName() + " leaves out", f.omitted(table, method), warnings);
      issues(f.fileName() + " carries names a consumer misreads", f.warnings(table, method), warnings);
    }
    long start = System.nanoTime();
    dir.commit(
        commit -> {
          for (TableFormat f : writable) {
            commit.write(f.fileName(), out -> f.write(table, method, options, out));
          }
          long writeMillis = (System.nanoTime() - start) / 1_000_000;
          List<String> outputs = new ArrayList<>(commit.written());
          outputs.add(SUMMARY);
          outputs.add(OutputDirectory.SUCCESS);
          commit.write(
              SUMMARY,
              out -> SummaryJson.write(run, config, outputs, warnings, writeMillis, out));
        });
    return warnings;
  }

  private static void issues(String what, List<TensorIssue> issues, List<String> warnings) {
    if (issues.isEmpty()) {
      return;
    }
    List<String> each = new ArrayList<>();
    for (TensorIssue i : issues) {
      each.add(i.message());
    }
    warnings.add(String.format("%s %d tensor(s): %s", what, issues.size(), String.join("; ", each)));
  }
}
