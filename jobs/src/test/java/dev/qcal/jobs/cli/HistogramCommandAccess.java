package dev.qcal.jobs.cli;

import java.io.PrintStream;

/** Test access to where {@code qcal histogram} prints. */
public final class HistogramCommandAccess {
  private HistogramCommandAccess() {}

  /** Sets the stream and returns the previous one. */
  public static PrintStream swap(PrintStream out) {
    PrintStream previous = HistogramCommand.stdout;
    HistogramCommand.stdout = out;
    return previous;
  }
}
