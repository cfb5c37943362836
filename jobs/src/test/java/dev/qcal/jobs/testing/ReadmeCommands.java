package dev.qcal.jobs.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code bin/qcal} commands of a Markdown file's fenced code blocks, split into arguments as a
 * shell would: a line holding {@code bin/qcal}, with the lines it continues onto (after a trailing
 * backslash, or indented below it as in a usage synopsis), without {@code # comments}.
 */
public final class ReadmeCommands {
  private static final Pattern QCAL = Pattern.compile("(^|\\s)bin/qcal(\\s|$)");

  private ReadmeCommands() {}

  /**
   * One command as the file shows it.
   *
   * @param line the line number where it starts
   * @param text its lines joined, comments dropped (with what precedes {@code bin/qcal}, e.g.
   *     {@code /usr/bin/time -v})
   * @param args the arguments after {@code bin/qcal}, unquoted
   */
  public record Command(int line, String text, List<String> args) {
    /** The subcommand, e.g. {@code calibrate}. */
    public String name() {
      return args.isEmpty() ? "" : args.get(0);
    }

    /** A usage synopsis ({@code [--bits 8]}, {@code DIR[,DIR...]}) rather than a command to run. */
    public boolean isSynopsis() {
      return text.contains("[");
    }

    /** The text as one line, single-spaced: how exclusion lists name a command. */
    public String normalized() {
      return text.trim().replaceAll("\\s+", " ");
    }
  }

  /** Every {@code bin/qcal} command in the fenced blocks of {@code markdown}, in order. */
  public static List<Command> read(Path markdown) throws IOException {
    List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
    List<Command> out = new ArrayList<>();
    boolean fenced = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.trim().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (!fenced || !QCAL.matcher(line).find()) {
        continue;
      }
      int start = i;
      StringBuilder text = new StringBuilder(withoutComment(line));
      while (i + 1 < lines.size()) {
        String next = lines.get(i + 1);
        boolean continued = text.toString().stripTrailing().endsWith("\\");
        boolean indented = !next.isBlank() && Character.isWhitespace(next.charAt(0));
        if (next.trim().startsWith("```")
            || QCAL.matcher(next).find()
            || !(continued || indented)) {
          break;
        }
        String body = text.toString().stripTrailing();
        text = new StringBuilder(continued ? body.substring(0, body.length() - 1) : body);
        text.append(' ').append(withoutComment(next).trim());
        i++;
      }
      out.add(new Command(start + 1, text.toString().trim(), arguments(text.toString())));
    }
    return out;
  }

  private static String withoutComment(String line) {
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'' && !dbl) {
        single = !single;
      } else if (c == '"' && !single) {
        dbl = !dbl;
      } else if (c == '#'
          && !single
          && !dbl
          && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i).stripTrailing();
      }
    }
    return line;
  }

  /** The words after {@code bin/qcal}, quotes removed. */
  private static List<String> arguments(String text) {
    Matcher m = QCAL.matcher(text);
    m.find();
    String rest = text.substring(m.end());
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
