package dev.qcal.jobs;

import dev.qcal.jobs.cli.Commands;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * The entry point of {@code bin/qcal} and {@code spark-submit}: subcommands {@code calibrate},
 * {@code recompute}, {@code generate}, {@code histogram} and {@code qdq}. Exits with the codes of
 * {@link ExitCode}, and only after Spark has stopped.
 */
public final class Main {
  private Main() {}

  /**
   * Runs a command and exits with its code; SIGTERM, SIGINT and SIGHUP are reported as such, with
   * their codes ({@link Interruption}).
   */
  public static void main(String[] args) {
    Interruption.install();
    // The console's own charset, as System.out and System.err use it (Java 17 has no
    // stdout.encoding).
    Charset console = Charset.defaultCharset();
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, console), true);
    int code = run(args, new PrintWriter(new OutputStreamWriter(System.out, console), true), err);
    if (Interruption.received().isPresent()
        && (code == ExitCode.OK.code() || code == ExitCode.DRIFT.code())) {
      // The signal came after the commit's first rename, which then completed: say so, since the
      // process exits with the signal's code all the same.
      err.println(
          "qcal: "
              + Interruption.signal().orElse("a signal")
              + " arrived after the output was committed: it is"
              + " complete; the process exits "
              + Interruption.received().get().code()
              + " as the signal asks");
    }
    Interruption.reported();
    System.exit(code);
  }

  /** Runs a command and returns its exit code (for tests and embedding). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return Commands.run(args, out, err);
  }
}
