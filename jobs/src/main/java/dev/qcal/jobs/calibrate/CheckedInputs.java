package dev.qcal.jobs.calibrate;

import dev.qcal.jobs.JobException;
import dev.qcal.jobs.dump.DumpFiles;
import dev.qcal.jobs.dump.DumpLayout;
import dev.qcal.jobs.dump.DumpSchema;
import dev.qcal.jobs.scan.ChannelDump;
import dev.qcal.jobs.state.StateFiles.StateSource;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.types.StructType;

/**
 * What {@link Calibration#check} found before Spark started, through the Hadoop file system alone:
 * the dump's files, its schema and layout, and the persisted states to merge, each checked.
 *
 * @param files the dump's files as listed
 * @param schema the first file's schema
 * @param dump the resolved layout and columns
 * @param states the states to merge, checked
 * @param listMillis time to list the files and read the footer
 * @param statesMillis time to check the states
 */
public record CheckedInputs(
    DumpFiles files,
    StructType schema,
    DumpLayout dump,
    List<StateSource> states,
    long listMillis,
    long statesMillis) {

  /**
   * Checks the inputs of {@code job}: the dump's files listed (each with its length and time), the
   * first file's footer and the columns the layout needs, the per-channel column, and the states to
   * merge (their {@code _STATE.json}, layout, domains, identity and content digest, and that none
   * covers a file twice).
   *
   * @throws JobException exit 3 for a missing path, an unreadable footer or a bad column; exit 2
   *     for a state that cannot be merged or a file given twice
   */
  static CheckedInputs check(Calibration job, Configuration hadoop) {
    long start = System.nanoTime();
    DumpFiles files = DumpFiles.list(job.inputs, hadoop);
    StructType schema = DumpSchema.read(files.first(), hadoop);
    DumpLayout dump =
        DumpLayout.resolve(
            job.layout,
            schema,
            files.first().toString(),
            job.tensorColumn,
            job.valuesColumn,
            job.tensors);
    if (job.channels != null) {
      ChannelDump.check(schema, files.first().toString(), dump, job.channels);
    }
    long listed = System.nanoTime();
    List<StateSource> states =
        job.mergeState.isEmpty()
            ? List.of()
            : StateMerge.check(
                job.mergeState,
                hadoop,
                job.histogramLayout,
                job.domains(),
                "the methods " + String.join(",", job.methods) + " need",
                files.identities());
    return new CheckedInputs(
        files,
        schema,
        dump,
        states,
        (listed - start) / 1_000_000,
        (System.nanoTime() - listed) / 1_000_000);
  }
}
