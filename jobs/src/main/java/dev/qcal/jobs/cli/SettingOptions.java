package dev.qcal.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The picocli side of the settings: a command annotated with {@code @Command(modelTransformer =
 * SettingOptions.class)} gets one option per setting of {@link SettingRegistry} that names it, in
 * registry order, then {@code --help} and {@code --version}; a one-line synopsis with its required
 * settings; and under its help the valid keys of its settings (method and format keys). picocli
 * only collects the text: {@link Settings} reads it, so a flag and its key are read alike.
 */
final class SettingOptions implements CommandLine.IModelTransformer {
  @Override
  public CommandSpec transform(CommandSpec spec) {
    boolean keys = SettingRegistry.readsKeys(spec.name());
    List<String[]> listings = new ArrayList<>();
    for (Setting<?> s : SettingRegistry.of(spec.name())) {
      spec.addOption(option(s, keys));
      if (s.keysListing() != null) {
        String defaults = s.defaultHelp() == null ? "" : "; default " + s.defaultHelp();
        listings.add(
            new String[] {s.keysTitle() + " (" + s.flag() + defaults + ")", s.keysListing()});
      }
    }
    spec.mixinStandardHelpOptions(true);
    UsageMessageSpec usage = spec.usageMessage();
    usage.sortOptions(false);
    usage
        .sectionMap()
        .put(
            UsageMessageSpec.SECTION_KEY_SYNOPSIS,
            help -> synopsis(help.commandSpec()) + System.lineSeparator());
    if (!listings.isEmpty()) {
      usage
          .sectionMap()
          .put(UsageMessageSpec.SECTION_KEY_FOOTER, help -> keysSection(help, listings));
    }
    return spec;
  }

  private static OptionSpec option(Setting<?> s, boolean withKey) {
    OptionSpec.Builder b =
        OptionSpec.builder(s.flag())
            .description(s.help(withKey))
            .hidden(s.hidden())
            .required(s.required() && !withKey);
    switch (s.shape()) {
      case SWITCH -> b.type(Boolean.class);
      case VALUE -> b.type(String.class).paramLabel(s.label());
      case LIST ->
          b.type(List.class).auxiliaryTypes(String.class).splitRegex(",").paramLabel(s.label());
      case REPEATED -> b.type(List.class).auxiliaryTypes(String.class).paramLabel(s.label());
    }
    return b.build();
  }

  /**
   * One line of usage: {@code qcal calibrate --input PATH[,PATH...] --output DIR [OPTIONS]}; for a
   * command with subcommands, {@code qcal calibrate|recompute|... [OPTIONS]}.
   */
  static String synopsis(CommandSpec spec) {
    StringBuilder line = new StringBuilder(spec.qualifiedName());
    if (!spec.subcommands().isEmpty()) {
      line.append(' ').append(String.join("|", spec.subcommands().keySet()));
    }
    for (Setting<?> s : SettingRegistry.of(spec.name())) {
      if (s.required()) {
        line.append(' ').append(s.usage());
      }
    }
    return line.append(" [OPTIONS]").toString();
  }

  /** The paragraphs, word-wrapped to the help width and indented under their titles. */
  private static String keysSection(Help help, List<String[]> listings) {
    int width = help.commandSpec().usageMessage().width();
    StringBuilder out = new StringBuilder();
    for (String[] titleAndKeys : listings) {
      out.append(System.lineSeparator())
          .append(titleAndKeys[0])
          .append(':')
          .append(System.lineSeparator());
      StringBuilder line = new StringBuilder("  ");
      for (String word : titleAndKeys[1].split(" ")) {
        if (line.length() > 2 && line.length() + 1 + word.length() > width) {
          out.append(line).append(System.lineSeparator());
          line = new StringBuilder("  ");
        }
        line.append(line.length() > 2 ? " " : "").append(word);
      }
      out.append(line).append(System.lineSeparator());
    }
    return out.toString();
  }

  /** The text given to {@code setting}'s flag (a list joined with commas); null when not given. */
  static String flagText(CommandSpec command, Setting<?> setting) {
    Object value = command.findOption(setting.flag()).getValue();
    if (value instanceof List<?> list) {
      return list.isEmpty() ? null : String.join(",", list.stream().map(String::valueOf).toList());
    }
    return value == null ? null : value.toString();
  }

  /** Every value given to a repeatable flag, each as given. */
  static List<String> flagValues(CommandSpec command, Setting<List<String>> setting) {
    List<String> out = new ArrayList<>();
    Object value = command.findOption(setting.flag()).getValue();
    if (value instanceof List<?> list) {
      list.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }
}
