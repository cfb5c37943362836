package dev.qcal.jobs.state;

import java.util.Collection;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * A finished run's per-tensor states, still on the executors ({@link KeptStates}), ready to be
 * written into the output's {@code state/} by {@link #write}; {@link #release} frees them. A state
 * the driver holds whole ({@link StateFiles#collectsWhole}) may come with its rows already encoded
 * by the searches, which then need no job of their own.
 */
public final class RunState {
  private final SparkSession spark;
  private final KeptStates states;
  private final StateMeta meta;
  private final Runnable release;
  private final List<StateRow> rows;

  /**
   * @param spark the session the states live in
   * @param states the states by tensor
   * @param meta what {@code _STATE.json} says
   * @param release frees the persisted states and their broadcasts
   * @param rows every state's row, encoded beside the searches, or null (encoded when written)
   */
  public RunState(
      SparkSession spark,
      KeptStates states,
      StateMeta meta,
      Runnable release,
      List<StateRow> rows) {
    this.spark = spark;
    this.rows = rows;
    this.states = states;
    this.meta = meta;
    this.release = release;
  }

  /** What {@code _STATE.json} says. */
  public StateMeta meta() {
    return meta;
  }

  /**
   * Writes the states into {@code dir} (which must not exist yet); {@code names} are the run's
   * tensors, which cut the sorted rows into ranges ({@link StateFiles#write}) when the rows were
   * not encoded beside the searches.
   */
  public void write(Collection<String> names, Path dir) {
    spark.sparkContext().setJobDescription("qcal: write state");
    if (rows != null) {
      StateFiles.write(spark, rows, meta, dir);
    } else {
      StateFiles.write(spark, states, meta, names, dir);
    }
  }

  /** Frees the persisted states; the state cannot be written afterwards. */
  public void release() {
    release.run();
  }
}
