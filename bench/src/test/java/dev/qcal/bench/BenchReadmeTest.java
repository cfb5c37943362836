package dev.qcal.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.ReadmeCommands;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code bin/qcal bench} lines of the README and docs/ pages (docs/performance.md's) are this
 * module's command as written: every command parses (the jobs module's {@code ReadmeCommandsTest}
 * lists them as not run), and the synopsis shows every option and no other.
 */
class BenchReadmeTest {
  @Test
  void everyBenchCommandParsesAndTheSynopsisShowsEveryOption() throws IOException {
    int commands = 0;
    int synopses = 0;
    List<ReadmeCommands.Command> bench = new ArrayList<>();
    List<String> wheres = new ArrayList<>();
    for (Path page : ReadmeCommands.userDocs(Qcal.ROOT)) {
      for (ReadmeCommands.Command c : ReadmeCommands.read(page)) {
        if (c.name().equals("bench")) {
          bench.add(c);
          wheres.add(Qcal.ROOT.relativize(page) + " line " + c.line() + ": " + c.normalized());
        }
      }
    }
    for (int i = 0; i < bench.size(); i++) {
      ReadmeCommands.Command c = bench.get(i);
      String where = wheres.get(i);
      if (c.isSynopsis()) {
        synopses++;
        Set<String> shown = new TreeSet<>();
        Matcher flag = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*").matcher(c.text());
        while (flag.find()) {
          shown.add(flag.group());
        }
        Set<String> options = new TreeSet<>();
        for (OptionSpec o : new CommandLine(new Bench()).getCommandSpec().options()) {
          if (!o.usageHelp() && !o.versionHelp()) {
            options.add(o.longestName());
          }
        }
        assertEquals(options, shown, where);
        continue;
      }
      commands++;
      try {
        new CommandLine(new Bench())
            .parseArgs(c.args().subList(1, c.args().size()).toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        fail(where + ": " + e.getMessage());
      }
    }
    assertEquals(1, synopses, "the README and docs/ show one synopsis of bin/qcal bench");
    assertTrue(commands >= 3, "found only " + commands + " bin/qcal bench commands in the docs");
  }
}
