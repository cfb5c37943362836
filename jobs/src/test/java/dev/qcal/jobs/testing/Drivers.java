package dev.qcal.jobs.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The driver JVMs a test starts ({@link ChildProcess#qcal}), killed after each test if still
 * running, and a log of the test's steps with the time since it started (register with
 * {@code @RegisterExtension final Drivers drivers = new Drivers("KilledRunIT");}).
 */
public final class Drivers implements AfterEachCallback {
  private final String test;
  private final long start = System.nanoTime();
  private final List<ChildProcess> started = new ArrayList<>();

  /** Drivers of the test named {@code test} in the log. */
  public Drivers(String test) {
    this.test = test;
  }

  /** Starts a driver JVM running {@code args} in {@code dir}, logging to {@code dir/name.log}. */
  public ChildProcess start(String name, Path dir, List<String> args, String... jvmOptions)
      throws IOException {
    ChildProcess child = ChildProcess.qcal(name, dir, args, List.of(jvmOptions));
    started.add(child);
    return child;
  }

  /** Prints a step of the test with the seconds since it started. */
  public void log(String what) {
    System.out.printf(
        Locale.ROOT, "[%s %5.1f s] %s%n", test, (System.nanoTime() - start) / 1e9, what);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    started.stream().filter(ChildProcess::running).forEach(ChildProcess::kill);
  }
}
