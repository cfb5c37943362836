package dev.qcal.jobs.testing;

import dev.qcal.jobs.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Runs the command line in-process (joining the shared session) and captures its streams. */
public final class Qcal {
  /** The repository root (set by surefire; the working directory otherwise). */
  public static final Path ROOT =
      Paths.get(System.getProperty("qcal.repo.root", "..")).toAbsolutePath().normalize();

  /** The sample dump. */
  public static final Path SAMPLE = ROOT.resolve("data/sample");

  /** The expected outputs of the sample dump. */
  public static final Path EXPECTED = ROOT.resolve("data/expected");

  private Qcal() {}

  /** The outcome of one command. */
  public record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Runs {@code qcal args...}. */
  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}
