package dev.qcal.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qcal.jobs.testing.Qcal;
import dev.qcal.jobs.testing.ReadmeCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The documents that describe the settings agree with {@link SettingRegistry}: the table of
 * docs/settings.md is generated from it (run with {@code -Dqcal.docs.update=true} to rewrite it),
 * conf/qcal.properties names every key and only known ones, each with its default where it has a
 * fixed one, and the usage synopses of the README and docs/ pages (docs/operating.md's) name only
 * options the commands take (and, for calibrate and recompute, every one).
 */
class SettingsDocsTest {
  private static final Path SETTINGS_DOC = Qcal.ROOT.resolve("docs/settings.md");
  private static final String BEGIN =
      "<!-- generated from SettingRegistry by SettingsDocsTest: do not edit by hand -->";
  private static final String END = "<!-- end of the generated table -->";
  private static final Pattern PROPERTY =
      Pattern.compile("^(#\\s*)?(spark\\.qcal\\.[A-Za-z0-9.-]+)\\s*=\\s*(.*)$");

  @Test
  void theSettingsTableIsTheRegistrys() throws IOException {
    String doc = Files.readString(SETTINGS_DOC, StandardCharsets.UTF_8);
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertTrue(begin >= 0 && end > begin, "docs/settings.md lacks the markers of its table");
    String current = doc.substring(begin + BEGIN.length(), end);
    String expected = "\n" + table() + "\n";
    if (!current.equals(expected) && Boolean.getBoolean("qcal.docs.update")) {
      Files.writeString(
          SETTINGS_DOC,
          doc.substring(0, begin + BEGIN.length()) + expected + doc.substring(end),
          StandardCharsets.UTF_8);
      return;
    }
    assertEquals(
        expected,
        current,
        "docs/settings.md's table differs from SettingRegistry; regenerate it with mvn -B -o -q"
            + " -pl jobs -am test -Dtest=SettingsDocsTest -Dsurefire.failIfNoSpecifiedTests=false"
            + " -Dqcal.docs.update=true");
  }

  /** One row per setting users see: flag, key, default, commands, what it does. */
  static String table() {
    List<String> commands =
        new ArrayList<>(new CommandLine(new Commands()).getSubcommands().keySet());
    StringBuilder out =
        new StringBuilder(
            "| flag | key | default | commands | what it does |\n|---|---|---|---|---|\n");
    for (Setting<?> s : SettingRegistry.ALL) {
      if (s.hidden()) {
        continue;
      }
      List<String> takenBy = new ArrayList<>(commands);
      takenBy.retainAll(s.commands());
      boolean fixed = s.defaultText() != null && s.defaultText().equals(s.defaultHelp());
      String dflt =
          s.required()
              ? "required"
              : fixed ? "`" + cell(s.defaultText()) + "`" : text(s.defaultHelp());
      out.append("| `")
          .append(cell(s.usage()))
          .append("` | ")
          .append(s.keyed() ? "`" + s.key() + "`" : "")
          .append(" | ")
          .append(dflt)
          .append(" | ")
          .append(String.join(", ", takenBy))
          .append(" | ")
          .append(text(s.description()))
          .append(" |\n");
    }
    return out.toString();
  }

  /** Text inside a code span of a table cell. */
  private static String cell(String text) {
    return text.replace("|", "\\|");
  }

  /** Plain text in a table cell: no HTML tags, no column breaks. */
  private static String text(String words) {
    return words == null ? "" : cell(words.replace("<", "&lt;").replace(">", "&gt;"));
  }

  @Test
  void thePropertiesFileNamesEveryKeyWithItsFixedDefault() throws IOException {
    Map<String, Setting<?>> byKey = new LinkedHashMap<>();
    SettingRegistry.keyed().forEach(s -> byKey.put(s.key(), s));
    Set<String> seen = new TreeSet<>();
    List<String> lines = Files.readAllLines(Qcal.ROOT.resolve("conf/qcal.properties"));
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = PROPERTY.matcher(lines.get(i));
      if (!m.matches()) {
        continue;
      }
      String where = "conf/qcal.properties line " + (i + 1) + ": ";
      Setting<?> s = byKey.get(m.group(2));
      if (s == null) {
        fail(where + m.group(2) + " is no setting of SettingRegistry");
      }
      assertTrue(seen.add(s.key()), where + s.key() + " is listed twice");
      String value = m.group(3).trim();
      assertNotNull(s.parse(value, true), where);
      boolean fixedDefault = s.defaultText() != null && s.defaultHelp().equals(s.defaultText());
      boolean commented = m.group(1) != null;
      if (fixedDefault) {
        assertFalse(commented, where + s.key() + " has a fixed default: list it uncommented");
        assertEquals(s.defaultText(), value, where + s.key() + " must be set to its default");
      } else {
        assertTrue(commented, where + s.key() + " has no fixed default: list it commented out");
      }
    }
    assertEquals(new TreeSet<>(byKey.keySet()), seen, "conf/qcal.properties must list every key");
  }

  @Test
  void theReadmeSynopsesNameTheOptionsOfTheirCommands() throws IOException {
    Map<String, CommandLine> commands = new CommandLine(new Commands()).getSubcommands();
    int synopses = 0;
    for (Path page : ReadmeCommands.userDocs(Qcal.ROOT)) {
      for (ReadmeCommands.Command c : ReadmeCommands.read(page)) {
        if (!c.isSynopsis() || c.name().equals("bench")) {
          continue; // bin/qcal bench runs module bench's own command, whose BenchReadmeTest checks
          // it
        }
        synopses++;
        checkSynopsis(
            commands,
            Qcal.ROOT.relativize(page) + " line " + c.line() + " (" + c.name() + "): ",
            c);
      }
    }
    assertTrue(synopses >= 5, "found only " + synopses + " synopses in the README and docs/");
  }

  private static void checkSynopsis(
      Map<String, CommandLine> commands, String where, ReadmeCommands.Command c) {
    CommandLine command = commands.get(c.name());
    assertNotNull(command, where + "no such command");
    Set<String> shown = new TreeSet<>();
    Matcher flag = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*").matcher(c.text());
    while (flag.find()) {
      shown.add(flag.group());
    }
    Set<String> options = new TreeSet<>();
    for (Setting<?> s : SettingRegistry.of(c.name())) {
      if (!s.hidden()) {
        options.add(s.flag());
      }
    }
    Set<String> unknown = new TreeSet<>(shown);
    unknown.removeAll(options);
    assertEquals(Set.of(), unknown, where + "options it does not take");
    if (SettingRegistry.readsKeys(c.name())) {
      Set<String> missing = new TreeSet<>(options);
      missing.removeAll(shown);
      assertEquals(Set.of(), missing, where + "options missing from the synopsis");
    }
  }

  @Test
  void everyKeyTheDocsNameIsASetting() throws IOException {
    Set<String> keys = new TreeSet<>();
    SettingRegistry.keyed().forEach(s -> keys.add(s.key()));
    List<Path> docs = new ArrayList<>(ReadmeCommands.userDocs(Qcal.ROOT)); // settings.md included
    try (var conf = Files.walk(Qcal.ROOT.resolve("conf"))) {
      conf.filter(Files::isRegularFile).forEach(docs::add);
    }
    Pattern key = Pattern.compile("spark\\.qcal\\.[a-z][a-z0-9-]*[a-z0-9]");
    List<String> unknown = new ArrayList<>();
    for (Path doc : docs) {
      Matcher m = key.matcher(Files.readString(doc, StandardCharsets.UTF_8));
      while (m.find()) {
        if (!keys.contains(m.group())) {
          unknown.add(Qcal.ROOT.relativize(doc) + ": " + m.group());
        }
      }
    }
    assertEquals(List.of(), unknown, "keys that are no setting");
  }

  @Test
  void everyFileTheReadmeNamesExists() throws IOException {
    String readme = Files.readString(Qcal.ROOT.resolve("README.md"));
    Matcher link =
        Pattern.compile("\\]\\(([^)#\\s]+)[^)]*\\)|(?<![\\w/.-])([\\w/.-]+\\.md)\\b")
            .matcher(readme);
    List<String> missing = new ArrayList<>();
    while (link.find()) {
      String target = link.group(1) != null ? link.group(1) : link.group(2);
      if (!target.contains("://") && !Files.exists(Qcal.ROOT.resolve(target))) {
        missing.add(target);
      }
    }
    assertEquals(List.of(), missing, "README.md names files the repository does not have");
  }
}
