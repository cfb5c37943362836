package dev.qcal.jobs.output;

import dev.qcal.core.io.CalibrationCsv;
import dev.qcal.core.io.CalibrationJson;
import dev.qcal.core.io.TensorRtCache;
import dev.qcal.core.io.TensorRtVersion;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.jobs.calibrate.CalibrationRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes a run's output directory: {@code calibration.json}, {@code calibration.cache} (TensorRT,
 * primary method), {@code calibration.csv}, {@code summary.json}, then {@code _SUCCESS}; all or
 * nothing (see {@link OutputDirectory}).
 */
public final class CalibrationOutput {
  /** The canonical table. */
  public static final String JSON = "calibration.json";
  /** The TensorRT calibration cache of the primary method. */
  public static final String CACHE = "calibration.cache";
  /** One row per tensor and method. */
  public static final String CSV = "calibration.csv";
  /** What was read, flags, timings, configuration and versions. */
  public static final String SUMMARY = "summary.json";

  private CalibrationOutput() {}

  /**
   * Writes the outputs of {@code run} to {@code dir}. Returns the warnings (also in summary.json).
   *
   * @param config the effective configuration, recorded in summary.json
   */
  public static List<String> write(
      OutputDirectory dir,
      CalibrationRun run,
      TensorRtVersion trtVersion,
      Map<String, String> config,
      Configuration hadoop) {
    CalibrationTable table = run.table();
    List<String> warnings = new ArrayList<>();
    String cacheProblem = cacheProblem(table);
    if (cacheProblem != null) {
      warnings.add(cacheProblem);
    } else {
      List<String> omitted = TensorRtCache.omitted(table, table.primaryMethod());
      if (!omitted.isEmpty()) {
        warnings.add(
            String.format(
                "%s leaves out %d tensor(s) whose %s amax is 0 (no range to encode): %s",
                CACHE, omitted.size(), table.primaryMethod(), String.join(", ", quoteAll(omitted))));
      }
    }
    long start = System.nanoTime();
    dir.commit(
        commit -> {
          commit.write(JSON, out -> CalibrationJson.write(table, out));
          if (cacheProblem == null) {
            commit.write(CACHE, out -> TensorRtCache.write(table, table.primaryMethod(), trtVersion, out));
          }
          commit.write(CSV, out -> CalibrationCsv.write(table, out));
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

  /** Why the TensorRT cache cannot be written, or null: its format has no escaping for line breaks. */
  static String cacheProblem(CalibrationTable table) {
    List<String> bad = new ArrayList<>();
    for (TensorCalibration t : table.tensors()) {
      if (t.name().indexOf('\n') >= 0 || t.name().indexOf('\r') >= 0) {
        bad.add(t.name());
      }
    }
    if (bad.isEmpty()) {
      return null;
    }
    return String.format(
        "%s not written: %d tensor name(s) contain a line break, which the TensorRT cache format"
            + " cannot carry (%s); %s and %s have every tensor",
        CACHE, bad.size(), String.join(", ", quoteAll(bad)), JSON, CSV);
  }

  private static List<String> quoteAll(List<String> names) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      out.add("'" + n.replace("\n", "\\n").replace("\r", "\\r") + "'");
    }
    return out;
  }
}
