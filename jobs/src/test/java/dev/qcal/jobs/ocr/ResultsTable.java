package dev.qcal.jobs.ocr;

import dev.qcal.jobs.ocr.HeldOut.Scores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The OCR proof's results as the README shows them: one Markdown row per model and method (the
 * float model first), and notes under the table (the machine, its load, the timings).
 */
final class ResultsTable {
  private final List<String> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /** Adds a model's row: {@code method} is "float" for the float model (no SQNR). */
  void add(HeldOut set, String method, double sqnrDb, Scores scores) {
    String sqnr = Double.isNaN(sqnrDb) ? "—" : String.format(Locale.ROOT, "%.1f dB", sqnrDb);
    rows.add(
        String.join(
            " | ",
            "| " + set.model() + " (" + set.description() + ")",
            method,
            sqnr,
            scores.agreementText(),
            scores.accuracyText() + " |"));
  }

  /** Adds a line under the table. */
  void note(String line) {
    notes.add(line);
  }

  /** The table and its notes. */
  String markdown() {
    StringBuilder b = new StringBuilder();
    b.append(
        "| model (held-out set) | method | output SQNR vs float | agreement with float | against"
            + " the truth drawn |\n");
    b.append("|---|---|---|---|---|\n");
    rows.forEach(r -> b.append(r).append('\n'));
    b.append('\n');
    notes.forEach(n -> b.append(n).append('\n'));
    return b.toString();
  }

  /** Writes {@link #markdown()} to {@code file}. */
  void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, markdown(), StandardCharsets.UTF_8);
  }
}
