package dev.qcal.jobs.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qcal.core.report.ReportModel;
import java.io.IOException;

/**
 * What a run adds to its output besides the tables, in the same all-or-nothing commit: more files
 * (written after the tables and the report, before {@code summary.json}), sections of {@code
 * summary.json} and of the report (e.g. {@code drift.json} and the {@code drift} sections).
 */
public interface OutputExtension {
  /** Adds nothing. */
  OutputExtension NONE = new OutputExtension() {};

  /** Writes this extension's files through {@code commit}. */
  default void writeFiles(OutputCommit commit) throws IOException {}

  /**
   * Adds sections to {@code summary.json}'s root object (after every standard field); may replace
   * {@code status}.
   */
  default void summarize(ObjectNode summary) {}

  /** The report's model with this extension's sections (by default as it is). */
  default ReportModel report(ReportModel model) {
    return model;
  }
}
