package dev.qcal.jobs;

import dev.qcal.jobs.cli.Commands;
import java.io.PrintWriter;

/**
 * The entry point of {@code bin/qcal} and {@code spark-submit}: subcommands {@code calibrate},
 * {@code recompute}, {@code generate}, {@code histogram}, {@code qdq} and {@code bench}. Exits with the codes of {@link ExitCode}, and only after
 * Spark has stopped.
 */
public final class Main {
  private Main() {}

  /** Runs a command and exits with its code. */
  public static void main(String[] args) {
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }

  /** Runs a command and returns its exit code (for tests and embedding). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return Commands.run(args, out, err);
  }
}
