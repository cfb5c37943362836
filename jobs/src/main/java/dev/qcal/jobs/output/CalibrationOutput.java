package dev.qcal.jobs.output;

import dev.qcal.core.io.FormatOptions;
import dev.qcal.core.io.TableFormat;
import dev.qcal.core.io.TensorIssue;
import dev.qcal.core.report.HtmlReport;
import dev.qcal.core.report.ReportModel;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.jobs.Version;
import dev.qcal.jobs.calibrate.CalibrationRun;
import dev.qcal.jobs.calibrate.RunRecord;
import dev.qcal.jobs.state.StateFiles;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a run's output directory: the requested table formats ({@code calibration.json} always,
 * {@code calibration.cache} and {@code calibration.csv} by default), the report, the run's
 * persisted state ({@code state/}, when the run kept it; its Spark job runs while the tables and
 * the report are written), then {@code summary.json}, then {@code _SUCCESS}; all or nothing (see
 * {@link OutputDirectory}). The state is released afterwards.
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

  /** The HTML report. */
  public static final String REPORT = "report.html";

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
      Report report,
      Map<String, String> config) {
    return write(dir, run, formats, options, report, config, OutputExtension.NONE);
  }

  /**
   * {@link #write(OutputDirectory, CalibrationRun, List, FormatOptions, Report, Map)}, plus the
   * files and summary sections of {@code extension} (e.g. {@code drift.json}), in the same commit.
   */
  public static List<String> write(
      OutputDirectory dir,
      CalibrationRun run,
      List<TableFormat> formats,
      FormatOptions options,
      Report report,
      Map<String, String> config,
      OutputExtension extension) {
    CalibrationTable table = run.table();
    String method = table.primaryMethod();
    Set<TableFormat> requested = new LinkedHashSet<>();
    requested.add(TableFormat.QCAL_JSON);
    requested.addAll(formats);
    List<String> warnings = new ArrayList<>();
    List<TableFormat> writable = new ArrayList<>();
    Map<TableFormat, String> refused = new EnumMap<>(TableFormat.class);
    for (TableFormat f : requested) {
      Optional<String> refusal = f.refusal(table, method);
      if (refusal.isPresent()) {
        refused.put(f, refusal.get());
      } else {
        writable.add(f);
      }
    }
    long start = System.nanoTime();
    try {
      dir.commit(
          commit -> {
            if (run.state() != null) {
              // Inside the commit: a run's state is complete with its tables or not there at all.
              // Its Spark job runs while this thread writes the tables and renders the report.
              List<String> names = table.tensors().stream().map(TensorCalibration::name).toList();
              commit.writeDirectoryMeanwhile(
                  StateFiles.DIR, stateDir -> run.state().write(names, stateDir));
            }
            // The tables on a thread of their own while this one renders the report.
            for (TableFormat f : writable) {
              commit.writeMeanwhile(f.fileName(), out -> f.write(table, method, options, out));
            }
            // The warnings (summary.json's, and the console's) once the state's job and the tables
            // are under way: a pass over every tensor per format, which left the other core idle.
            warnings(requested, refused, table, method, warnings);
            if (report == Report.HTML) {
              commit.write(
                  REPORT,
                  out ->
                      HtmlReport.write(
                          extension.report(reportModel(run, primaryFiles(writable))), out));
            }
            extension.writeFiles(commit);
            commit.awaitMeanwhile();
            long writeMillis = (System.nanoTime() - start) / 1_000_000;
            List<String> outputs = new ArrayList<>(commit.written());
            outputs.add(SUMMARY);
            outputs.add(OutputDirectory.SUCCESS);
            commit.write(
                SUMMARY,
                out ->
                    SummaryJson.write(run, config, outputs, warnings, writeMillis, extension, out));
          });
    } finally {
      if (run.state() != null) {
        run.state().release();
      }
    }
    return warnings;
  }

  /**
   * Adds the warnings of the {@code requested} formats to {@code warnings}, in their order: a
   * refused format's refusal, else what it leaves out, the names a consumer misreads and the
   * per-channel results it does not carry; then the tensors holding nulls.
   */
  private static void warnings(
      Set<TableFormat> requested,
      Map<TableFormat, String> refused,
      CalibrationTable table,
      String method,
      List<String> warnings) {
    for (TableFormat f : requested) {
      if (refused.containsKey(f)) {
        warnings.add(refused.get(f));
        continue;
      }
      issues(f.fileName() + " leaves out", f.omitted(table, method), warnings);
      issues(
          f.fileName() + " carries names a consumer misreads", f.warnings(table, method), warnings);
      issues(f.fileName() + " writes per tensor", f.perTensorOnly(table, method), warnings);
    }
    nulls(table).ifPresent(warnings::add);
  }

  /** Whether {@code report.html} is written. */
  public enum Report {
    /** Write the HTML report (the default). */
    HTML,
    /** No report ({@code --no-report}). */
    NONE
  }

  /**
   * The files written for the primary method alone: every format but those carrying all methods.
   */
  private static List<String> primaryFiles(List<TableFormat> written) {
    List<String> out = new ArrayList<>();
    for (TableFormat f : written) {
      if (f != TableFormat.QCAL_JSON && f != TableFormat.CSV) {
        out.add(f.fileName());
      }
    }
    return out;
  }

  /** The report's model: the table, the plots built on the executors, and the run's facts. */
  public static ReportModel reportModel(CalibrationRun run) {
    return reportModel(run, null);
  }

  /**
   * The same, saying which files carry the primary method ({@code primaryFiles}, null when
   * unknown).
   */
  public static ReportModel reportModel(CalibrationRun run, List<String> primaryFiles) {
    RunRecord s = run.summary();
    dev.qcal.core.report.RunSummary.Builder facts =
        dev.qcal.core.report.RunSummary.builder()
            .input(String.join(", ", s.inputs()))
            .values(s.values())
            .nonFinite(s.nan(), s.posInf() + s.negInf())
            .qcalVersion(Version.qcal())
            .sparkVersion(s.sparkVersion())
            .quant(run.table().quant());
    if (primaryFiles != null) {
      facts.primaryFiles(primaryFiles);
    }
    // Stage times and row counts (Spark accumulators, which count a retried task twice) are left
    // out on purpose: the report is deterministic (same input, same bytes); summary.json has them.
    return ReportModel.of(run.table(), run.plots(), facts.build());
  }

  /**
   * Most tensor names one warning lists: at 20 000 tensors a format can leave out thousands, and a
   * console line naming each one hides the other warnings.
   */
  private static final int NAMED = 20;

  /** The first {@value #NAMED} quoted names, then how many more and where to find them. */
  private static String listed(List<String> quoted, String where) {
    int n = quoted.size();
    return String.join(", ", quoted.subList(0, Math.min(n, NAMED)))
        + (n > NAMED ? " and " + (n - NAMED) + " more" + where : "");
  }

  /**
   * The warning naming the tensors that hold nulls, if any: a null comes from the program that
   * wrote the dump, never from the model, so it points at a broken writer.
   */
  static Optional<String> nulls(CalibrationTable table) {
    List<String> names = new ArrayList<>();
    long elements = 0;
    long rows = 0;
    for (var t : table.tensors()) {
      if (t.stats().hasNulls()) {
        names.add("'" + t.name().replace("\n", "\\n") + "'");
        elements += t.stats().nullCount();
        rows += t.stats().nullRows();
      }
    }
    if (names.isEmpty()) {
      return Optional.empty();
    }
    int n = names.size();
    String listed = listed(names, " (summary.json 'flagged', has_null)");
    return Optional.of(
        String.format(
            "%d tensor(s) hold nulls (%d null elements, %d null values lists), counted apart from"
                + " NaN as stats.null and stats.null_rows (flag has_null): the program that wrote"
                + " the dump wrote them, not the model: %s",
            n, elements, rows, listed));
  }

  /** One warning per distinct reason, naming the tensors it applies to. */
  private static void issues(String what, List<TensorIssue> issues, List<String> warnings) {
    Map<String, List<String>> byReason = new java.util.LinkedHashMap<>();
    for (TensorIssue i : issues) {
      byReason
          .computeIfAbsent(i.reason(), k -> new ArrayList<>())
          .add("'" + i.tensor().replace("\n", "\\n") + "'");
    }
    byReason.forEach(
        (reason, tensors) ->
            warnings.add(
                String.format(
                    "%s %d tensor(s) (%s): %s",
                    what, tensors.size(), reason, listed(tensors, ""))));
  }
}
