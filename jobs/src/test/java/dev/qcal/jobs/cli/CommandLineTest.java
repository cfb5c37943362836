package dev.qcal.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.io.TableFormat;
import dev.qcal.jobs.Main;
import dev.qcal.jobs.calibrate.Calibration;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line as a user meets it, without Spark: each command's options are its registry
 * settings, help lists the keys core knows, and a mistake gets two lines and exit 2.
 */
class CommandLineTest {
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void anUnknownOptionGetsTheNearestOneAndOneLineOfUsage() {
    Run r = run("calibrate", "--input", "data/sample", "--method", "entropy");
    assertEquals(2, r.code());
    assertEquals(
        "qcal: error: Unknown option: '--method'; did you mean --methods?\n"
            + "Usage: qcal calibrate --input PATH[,PATH...] --output DIR [OPTIONS]"
            + "  (see qcal calibrate --help)\n",
        r.err().replace(System.lineSeparator(), "\n"));
    assertEquals("", r.out());
  }

  @Test
  void captureMistakesGetTheNearestNameAndCapturesUsage() {
    Run r =
        run(
            "capture",
            "--model",
            "m.onnx",
            "--inputs",
            "lines",
            "--output",
            "dump",
            "--op",
            "Conv");
    assertEquals(2, r.code());
    assertEquals(
        "qcal: error: Unknown option: '--op'; did you mean --ops?\n"
            + "Usage: qcal capture --model MODEL.onnx --inputs PATH[,PATH...] --output DIR"
            + " [OPTIONS]  (see qcal capture --help)\n",
        r.err().replace(System.lineSeparator(), "\n"));
    // A required option missing is reported first (picocli), naming the flag to give.
    Run missing = run("capture", "--model", "m.onnx", "--input", "lines", "--output", "dump");
    assertEquals(2, missing.code());
    assertTrue(
        missing.err().startsWith("qcal: error: Missing required option: '--inputs=PATH'\n"),
        missing.err());
    Run typo = run("captur");
    assertEquals(2, typo.code());
    assertTrue(
        typo.err().startsWith("qcal: error: Unknown command: 'captur'; did you mean capture?"),
        typo.err());
  }

  @Test
  void anUnknownCommandIsNamedAndCloseOnesSuggested() {
    Run typo = run("recompte");
    assertEquals(2, typo.code());
    assertTrue(
        typo.err().startsWith("qcal: error: Unknown command: 'recompte'; did you mean recompute?"),
        typo.err());
    Run far = run("frobnicate");
    assertEquals(2, far.code());
    assertTrue(far.err().startsWith("qcal: error: Unknown command: 'frobnicate'\n"), far.err());
    assertTrue(
        far.err()
            .contains(
                "Usage: qcal calibrate|recompute|capture|generate|histogram|sensitivity|qdq"
                    + " [OPTIONS]"),
        far.err());
    assertEquals(2, far.err().lines().count(), far.err());
  }

  @Test
  void calibrateHelpListsTheMethodAndFormatKeysOfCore() {
    Run r = run("calibrate", "--help");
    assertEquals(0, r.code());
    String help = r.out().replaceAll("\\s+", " ");
    assertTrue(
        help.contains(
            "Method keys (--methods; default "
                + String.join(",", Calibration.DEFAULT_METHODS)
                + ")"),
        help);
    assertTrue(
        help.contains(
            String.join(", ", Calibrators.names())
                + "; with a parameter as KEY@VALUE (percentile@99.9): "
                + String.join(", ", Calibrators.parameterizedNames())),
        help);
    assertTrue(help.contains("Format keys (--formats; default qcal-json,trt-cache,csv)"), help);
    assertTrue(help.contains(String.join(", ", TableFormat.keys())), help);
  }

  @Test
  void everyCommandHasExactlyTheOptionsTheRegistryGivesIt() {
    CommandLine cli = new CommandLine(new Commands());
    Set<String> commands = cli.getSubcommands().keySet();
    for (Setting<?> s : SettingRegistry.ALL) {
      assertTrue(commands.containsAll(s.commands()), s.flag() + " names an unknown command");
    }
    for (String name : commands) {
      List<String> expected =
          SettingRegistry.of(name).stream()
              .map(Setting::flag)
              .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
      expected.addAll(List.of("--help", "--version"));
      List<String> options =
          cli.getSubcommands().get(name).getCommandSpec().options().stream()
              .map(OptionSpec::longestName)
              .toList();
      assertEquals(expected, options, name);
      Run help = run(name, "--help");
      for (Setting<?> s : SettingRegistry.of(name)) {
        boolean listed =
            java.util.regex.Pattern.compile("(?m)^\\s+" + s.flag() + "[=\\s]")
                .matcher(help.out())
                .find();
        assertEquals(!s.hidden(), listed, name + " " + s.flag());
      }
    }
  }

  @Test
  void theRegistryIsConsistent() {
    Set<String> keys = new HashSet<>();
    for (Setting<?> s : SettingRegistry.ALL) {
      assertTrue(s.name().matches("[a-z][a-z0-9-]*"), s.name());
      assertFalse(s.description().endsWith("."), s.flag() + ": help text ends without a period");
      if (s.defaultText() != null) {
        assertNotNull(s.parse(s.defaultText(), true), s.flag() + "'s default must parse");
      }
      if (s.keyed()) {
        assertTrue(keys.add(s.key()), s.key() + " is declared twice");
      }
      if (s.keyed()) {
        assertTrue(
            s.commands().stream().anyMatch(SettingRegistry::readsKeys),
            s.flag() + " is keyed but no command that takes it reads keys");
      }
    }
    for (String command : new CommandLine(new Commands()).getSubcommands().keySet()) {
      Set<String> names = new HashSet<>();
      for (Setting<?> s : SettingRegistry.of(command)) {
        assertTrue(names.add(s.name()), command + " takes two settings named " + s.name());
      }
    }
  }
}
