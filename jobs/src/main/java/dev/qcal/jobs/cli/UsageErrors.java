package dev.qcal.jobs.cli;

import dev.qcal.jobs.ExitCode;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command-line mistake in two lines on stderr, exit 2: what is wrong, with picocli's nearest
 * option or command when there is one ("did you mean --methods?"), then the command's one-line
 * usage. The full option list stays in {@code --help}, where it does not bury the message.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandSpec spec = e.getCommandLine().getCommandSpec();
    e.getCommandLine().getErr().println("qcal: error: " + message(e));
    e.getCommandLine()
        .getErr()
        .println(
            "Usage: "
                + SettingOptions.synopsis(spec)
                + "  (see "
                + spec.qualifiedName()
                + " --help)");
    return ExitCode.USAGE.code();
  }

  /** The mistake: for an unknown option or command, the first one and the nearest known name. */
  static String message(ParameterException e) {
    if (!(e instanceof UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
      return e.getMessage();
    }
    String arg = u.getUnmatched().get(0);
    boolean isCommand = !arg.startsWith("-") && !e.getCommandLine().getSubcommands().isEmpty();
    String what =
        arg.startsWith("-")
            ? "Unknown option: '" + arg + "'"
            : isCommand ? "Unknown command: '" + arg + "'" : "Unexpected argument: '" + arg + "'";
    String nearest = nearest(arg, u.getSuggestions(), isCommand);
    return nearest == null ? what : what + "; did you mean " + nearest + "?";
  }

  /**
   * picocli ranks options sharing the argument's first two letters by similarity, but every
   * command, however far: a command is suggested only if it shares the first two letters too.
   */
  private static String nearest(String arg, List<String> suggestions, boolean isCommand) {
    if (suggestions.isEmpty()) {
      return null;
    }
    String best = suggestions.get(0);
    if (isCommand && (arg.length() < 2 || !best.startsWith(arg.substring(0, 2)))) {
      return null;
    }
    return best;
  }
}
