package dev.qcal.jobs.calibrate;

import dev.qcal.jobs.dump.DumpFiles;
import dev.qcal.jobs.dump.InputFile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a run's state covers, for its {@code _STATE.json}: the dumps as given and every data file
 * folded in (today's files as listed, and those of the states merged; {@link StateMerge#check} made
 * sure no file is among them twice).
 *
 * @param inputs the dumps, as given, in order, without repeats
 * @param files the data files, sorted
 */
record StateCoverage(List<String> inputs, List<InputFile> files) {

  /** Today's dump plus the states merged into it (null: none). */
  static StateCoverage of(DumpFiles today, StateMerge states) {
    Set<String> inputs = new LinkedHashSet<>(today.inputs());
    List<InputFile> files = new ArrayList<>(today.identities());
    if (states != null) {
      inputs.addAll(states.inputs());
      files.addAll(states.files());
    }
    files.sort(null);
    return new StateCoverage(List.copyOf(inputs), List.copyOf(files));
  }

  /** The states merged by {@code recompute}. */
  static StateCoverage of(StateMerge states) {
    List<InputFile> files = new ArrayList<>(states.files());
    files.sort(null);
    return new StateCoverage(states.inputs(), List.copyOf(files));
  }
}
