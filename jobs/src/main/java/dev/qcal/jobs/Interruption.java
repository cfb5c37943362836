package dev.qcal.jobs;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * The signals that stop a qcal process on purpose: SIGTERM (schedulers, {@code kill}, container
 * runtimes), SIGINT (Ctrl-C) and SIGHUP (a closed terminal). The process still exits as the JVM
 * would, with 128 + the signal's number after the shutdown hooks; what qcal adds is a record of
 * which signal arrived, so that
 *
 * <ul>
 *   <li>the failure the signal causes (Spark's shutdown hook stops the SparkContext under the
 *       running job: "SparkContext was shut down") is reported as what it is, with the code the
 *       process really returns ({@link Failures});
 *   <li>a commit that has not reached its first rename writes nothing ({@link #check});
 *   <li>the JVM waits, a bounded time, for the command to say so before it halts.
 * </ul>
 *
 * <p>Installed by {@link Main#main} only: an application that embeds qcal ({@link Main#run}) keeps
 * its own signal handling.
 */
public final class Interruption {
  private static final Map<String, ExitCode> SIGNALS =
      Map.of("TERM", ExitCode.TERMINATED, "INT", ExitCode.INTERRUPTED, "HUP", ExitCode.HANGUP);

  /** How long the shutdown waits for the command to report the interruption. */
  private static final long REPORT_SECONDS = 30;

  private static volatile ExitCode received;
  private static volatile String signalName;
  private static final CountDownLatch REPORTED = new CountDownLatch(1);

  private Interruption() {}

  /** Records SIGTERM, SIGINT and SIGHUP before the process exits with their codes. */
  static void install() {
    SIGNALS.forEach(
        (name, code) -> {
          try {
            Signal.handle(
                new Signal(name),
                s -> {
                  signalName = "SIG" + name;
                  received = code;
                  // What the JVM's own handler does (Shutdown.exit(128 + n)): the hooks run, then
                  // it halts.
                  System.exit(code.code());
                });
          } catch (IllegalArgumentException e) {
            // The signal is reserved (-Xrs) or ignored (nohup): the JVM's behaviour stays as it is.
          }
        });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (received != null) {
                    try {
                      REPORTED.await(REPORT_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                },
                "qcal interruption report"));
  }

  /** The exit code of the signal stopping this process, if one arrived. */
  public static Optional<ExitCode> received() {
    return Optional.ofNullable(received);
  }

  /** The signal's name, e.g. {@code SIGTERM}, if one arrived. */
  public static Optional<String> signal() {
    return Optional.ofNullable(signalName);
  }

  /**
   * Refuses to go on once a signal has arrived: called right before the first irreversible step of
   * a commit, so an interrupted run leaves the output as it was.
   *
   * @throws JobException with the signal's exit code
   */
  public static void check(String what) {
    ExitCode code = received;
    if (code != null) {
      throw new JobException(code, "interrupted by " + signalName + " before " + what);
    }
  }

  /** The command has reported (or had nothing to report): the shutdown may go on. */
  static void reported() {
    REPORTED.countDown();
  }
}
