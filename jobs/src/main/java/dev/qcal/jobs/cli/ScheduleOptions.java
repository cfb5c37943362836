package dev.qcal.jobs.cli;

import dev.qcal.jobs.output.Schedule;
import picocli.CommandLine.Option;

/**
 * The options of scheduled runs, shared by every command that writes a calibration table ({@code
 * @Mixin ScheduleOptions schedule;}): {@code --run-id}, {@code --baseline}, {@code --max-drift},
 * each also a {@code spark.qcal.*} key. {@link #resolve} validates them before any Spark session.
 */
final class ScheduleOptions {
  @Option(names = "--run-id", paramLabel = "ID",
      description = "Write under OUTPUT/run_id=ID/ (a rerun of the same id replaces it) and move OUTPUT/_LATEST to it"
          + " on success; letters, digits, '.', '_', '-' (spark.qcal.run-id).")
  String runId;

  @Option(names = "--baseline", paramLabel = "PATH|latest",
      description = "Compare with an earlier table: its calibration.json, its run directory, or 'latest' (the run"
          + " OUTPUT/_LATEST names; needs --run-id); writes drift.json (spark.qcal.baseline).")
  String baseline;

  @Option(names = "--max-drift", paramLabel = "FRACTION",
      description = "Exit 4 (outputs written, _LATEST not moved) if a tensor's relative change exceeds this, e.g. 0.10"
          + " (spark.qcal.max-drift; default: report only).")
  String maxDrift;

  /** The options merged with their {@code spark.qcal.*} keys, validated. */
  Schedule resolve(Settings settings) {
    return new Schedule(
        settings.get("run-id", runId, null),
        settings.get("baseline", baseline, null),
        Schedule.parseMaxDrift(settings.get("max-drift", maxDrift, null)));
  }
}
