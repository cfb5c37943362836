package dev.qcal.jobs.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The settings one area class declares, in textual order (static fields initialize in that order,
 * JLS 12.4.2), for {@link SettingRegistry#ALL}.
 */
final class SettingGroup {
  private final List<Setting<?>> declared = new ArrayList<>();

  /** Adds {@code setting} to the area and returns it, for a field initializer. */
  <T> Setting<T> declare(Setting<T> setting) {
    declared.add(setting);
    return setting;
  }

  /** The settings declared so far, and those declared later (a view). */
  List<Setting<?>> all() {
    return Collections.unmodifiableList(declared);
  }

  /** The keys of {@code values}, comma-separated, for help texts. */
  static <E> String keys(E[] values, Function<E, String> key) {
    return Arrays.stream(values).map(key).collect(Collectors.joining(", "));
  }
}
