package dev.qcal.jobs.output;

/** What to do when the output directory exists. */
public enum OutputMode {
  /** Refuse (exit 2): the default, so a finished table is never replaced by accident. */
  REFUSE_EXISTING,
  /** Replace it, once the new output is complete. */
  OVERWRITE
}
