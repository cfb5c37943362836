package dev.qcal.jobs.cli;

import dev.qcal.jobs.ExitCode;
import dev.qcal.jobs.JobException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One setting of the command line, declared once in an area class {@link SettingRegistry} lists:
 * its name (the flag {@code --name}, and for job settings the key {@code spark.qcal.name}), how its
 * text is read, its default, its help text and the commands that take it. {@link SettingOptions}
 * turns it into a picocli option, {@link Settings} finds its value, and the documentation tests
 * check {@code conf/qcal.properties} and the usage synopses of docs/operating.md against it.
 *
 * @param <T> the value the text is read into
 */
final class Setting<T> {
  /** Prefix of the job settings' keys: spark-submit keeps only {@code spark.*} keys. */
  static final String KEY_PREFIX = "spark.qcal.";

  /** How a setting is written on the command line. */
  enum Shape {
    /** A flag without a value, true when given ({@code --overwrite}). */
    SWITCH,
    /** One value ({@code --bins 2048}); giving it twice is a usage error. */
    VALUE,
    /** Comma-separated values, the flag repeatable ({@code --input a,b --input c}). */
    LIST,
    /** One value per occurrence, never split ({@code --conf k=v --conf k2=v2}). */
    REPEATED
  }

  private final String name;
  private final Shape shape;
  private final String label;
  private final Function<String, T> parser;
  private final boolean keyed;
  private final boolean required;
  private final boolean hidden;
  private final String defaultText;
  private final String defaultHelp;
  private final String description;
  private final String keysTitle;
  private final Supplier<String> keysListing;
  private final Set<String> commands;

  private Setting(Builder<T> b, Set<String> commands) {
    this.name = b.name;
    this.shape = b.shape;
    this.label = b.label;
    this.parser = b.parser;
    this.keyed = b.keyed;
    this.required = b.required;
    this.hidden = b.hidden;
    this.defaultText = b.defaultText;
    this.defaultHelp = b.defaultHelp;
    this.description = b.description;
    this.keysTitle = b.keysTitle;
    this.keysListing = b.keysListing;
    this.commands = commands;
  }

  /**
   * A setting of one value read by {@code parser}, which throws IllegalArgumentException or
   * JobException.
   */
  static <T> Builder<T> of(String name, String label, Function<String, T> parser) {
    return new Builder<>(name, Shape.VALUE, label, parser);
  }

  /** A setting of one text value, taken as given. */
  static Builder<String> text(String name, String label) {
    return of(name, label, Function.identity());
  }

  /** An integer setting. */
  static Builder<Integer> integer(String name, String label) {
    return of(name, label, t -> (int) whole(t, Integer.MIN_VALUE, Integer.MAX_VALUE));
  }

  /** A 64-bit integer setting. */
  static Builder<Long> longInteger(String name, String label) {
    return of(name, label, t -> whole(t, Long.MIN_VALUE, Long.MAX_VALUE));
  }

  /** A flag without value: true when given, else its key's {@code true} or {@code false}. */
  static Builder<Boolean> flag(String name) {
    return new Builder<>(name, Shape.SWITCH, null, Setting::bool).byDefault("false");
  }

  /** Comma-separated values, the flag repeatable: {@code --name a,b --name c}. */
  static Builder<List<String>> list(String name, String label) {
    return new Builder<>(name, Shape.LIST, label, Setting::splitList);
  }

  /** One value per occurrence of the flag, never split: read with {@link Settings#values}. */
  static Builder<List<String>> repeated(String name, String label) {
    return new Builder<>(name, Shape.REPEATED, label, List::of);
  }

  /** The name: the flag without its dashes, and the key without {@link #KEY_PREFIX}. */
  String name() {
    return name;
  }

  /** The flag, {@code --name}. */
  String flag() {
    return "--" + name;
  }

  /** The key {@code spark.qcal.name} of a job setting; null for a flag-only one. */
  String key() {
    return keyed ? KEY_PREFIX + name : null;
  }

  /** Whether commands that read {@code spark.qcal.*} keys also take this one as a key. */
  boolean keyed() {
    return keyed;
  }

  /** The shape on the command line. */
  Shape shape() {
    return shape;
  }

  /** The value's label in help ({@code DIR}); null for a switch. */
  String label() {
    return label;
  }

  /** The flag as a user writes it: {@code --input PATH[,PATH...]}. */
  String usage() {
    if (shape == Shape.SWITCH) {
      return flag();
    }
    return flag() + " " + label + (shape == Shape.LIST ? "[," + label + "...]" : "");
  }

  /** Whether a run needs a value (from the flag, or for job settings from the key). */
  boolean required() {
    return required;
  }

  /** Whether help leaves it out (for A/B runs, not for users). */
  boolean hidden() {
    return hidden;
  }

  /** The text of the default value, read like any other value; null when there is none. */
  String defaultText() {
    return defaultText;
  }

  /** The default as help and the docs say it (a computed default in words); null for none. */
  String defaultHelp() {
    return defaultHelp != null ? defaultHelp : defaultText;
  }

  /** What the setting does, one sentence without a final period. */
  String description() {
    return description;
  }

  /**
   * The title of the valid keys listed under the command's help, or null (see {@link
   * #keysListing()}).
   */
  String keysTitle() {
    return keysTitle;
  }

  /** The valid keys, for help, computed from the registries that define them; null for none. */
  String keysListing() {
    return keysListing == null ? null : keysListing.get();
  }

  /** The commands that take this setting. */
  Set<String> commands() {
    return commands;
  }

  /** The help line: the description, then the key (if {@code withKey}) and the default. */
  String help(boolean withKey) {
    List<String> notes = new ArrayList<>();
    if (withKey && keyed) {
      notes.add(key());
    }
    if (defaultHelp() != null && shape != Shape.SWITCH) {
      notes.add("default " + defaultHelp());
    }
    return description + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")") + ".";
  }

  /**
   * Reads {@code text}. A wrong value is a usage error (exit 2) naming the flag, and with {@code
   * withKey} the key.
   */
  T parse(String text, boolean withKey) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw invalid(e, withKey);
    } catch (JobException e) {
      throw e.exitCode() == ExitCode.USAGE ? invalid(e, withKey) : e;
    }
  }

  private JobException invalid(RuntimeException e, boolean withKey) {
    String where = withKey && keyed ? flag() + " (" + key() + ")" : flag();
    return JobException.usage("Invalid " + where + ": " + e.getMessage(), e);
  }

  /** The non-blank parts of a comma-separated list, trimmed. */
  static List<String> splitList(String value) {
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  private static long whole(String text, long min, long max) {
    long v;
    try {
      v = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not an integer", e);
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException("'" + text + "' is out of range");
    }
    return v;
  }

  private static Boolean bool(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (!t.equals("true") && !t.equals("false")) {
      throw new IllegalArgumentException("'" + text + "' is neither true nor false");
    }
    return Boolean.valueOf(t);
  }

  /**
   * Declares a setting: {@code Setting.integer("bins",
   * "N").keyed().byDefault(...).help(...).takenBy(...)}.
   */
  static final class Builder<T> {
    private final String name;
    private final Shape shape;
    private final String label;
    private final Function<String, T> parser;
    private boolean keyed;
    private boolean required;
    private boolean hidden;
    private String defaultText;
    private String defaultHelp;
    private String description;
    private String keysTitle;
    private Supplier<String> keysListing;

    private Builder(String name, Shape shape, String label, Function<String, T> parser) {
      this.name = name;
      this.shape = shape;
      this.label = label;
      this.parser = parser;
    }

    /** Also the key {@code spark.qcal.<name>} in commands that read keys (a job setting). */
    Builder<T> keyed() {
      keyed = true;
      return this;
    }

    /** A run cannot go without it. */
    Builder<T> required() {
      required = true;
      return this;
    }

    /** Left out of help (for A/B measurements). */
    Builder<T> hidden() {
      hidden = true;
      return this;
    }

    /** The value when none is given, as text. */
    Builder<T> byDefault(String text) {
      defaultText = text;
      return this;
    }

    /**
     * How help states a default that is computed rather than fixed ("the fewest among the states").
     */
    Builder<T> defaultHelp(String words) {
      defaultHelp = words;
      return this;
    }

    /** The valid keys, listed under the help of every command that takes the setting. */
    Builder<T> keysListed(String title, Supplier<String> listing) {
      keysTitle = title;
      keysListing = listing;
      return this;
    }

    /** What it does: one sentence, no final period; the key and default are appended in help. */
    Builder<T> help(String text) {
      description = text;
      return this;
    }

    /** The commands that take the setting; ends the declaration. */
    Setting<T> takenBy(String... commandNames) {
      if (description == null) {
        throw new IllegalStateException("setting " + name + " has no help text");
      }
      return new Setting<>(this, Set.of(commandNames));
    }
  }
}
