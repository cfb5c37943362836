package dev.qcal.jobs.cli;

import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.Failures;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.Version;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The picocli command tree and the mapping of failures to exit codes. */
@Command(
    name = "qcal",
    mixinStandardHelpOptions = true,
    versionProvider = Commands.VersionProvider.class,
    description = "Quantization calibration of activation dumps, on Spark.",
    subcommands = {
      CalibrateCommand.class,
      RecomputeCommand.class,
      CaptureCommand.class,
      GenerateCommand.class,
      HistogramCommand.class,
      SensitivityCommand.class,
      QdqCommand.class
    })
public final class Commands implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  /** Runs {@code args} and returns the exit code; messages go to {@code err}. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    SparkWarmUp.begin(args);
    CommandLine cli = new CommandLine(new Commands());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExitCodeExceptionMapper(
        e ->
            e instanceof JobException
                ? ((JobException) e).exitCode().code()
                : ExitCode.FAILURE.code());
    cli.setParameterExceptionHandler(new UsageErrors());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> Failures.report(e, err));
    int code;
    try {
      code = cli.execute(args);
    } catch (
        Error
            e) { // picocli hands only Exceptions to the handler: OutOfMemoryError, Hadoop's FSError
      code = Failures.report(e, err);
    }
    out.flush();
    err.flush();
    return code;
  }

  /** {@code --version}. */
  public static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"qcal " + Version.qcal()};
    }
  }
}
