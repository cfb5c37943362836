package dev.qcal.jobs.calibrate;

import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.table.CalibrationTable;
import dev.qcal.core.table.TensorCalibration;
import dev.qcal.core.table.TensorFlag;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The record of one calibration run, written as its {@code summary.json} ({@code
 * output.SummaryJson}): what it read, what it found, where it ran and how long each stage took
 * (which, unlike {@code calibration.json}, may hold timings). Not the report's {@code
 * core.report.RunSummary}, which holds the few facts the HTML report shows.
 */
public final class RunRecord {
  private final List<String> inputs;
  private final int files;
  private final long bytes;
  private final String layout;
  private final List<String> columns;
  private final long rows;
  private final long nullRows;
  private final long values;
  private final long nan;
  private final long posInf;
  private final long negInf;
  private final long nulls;
  private final long tensorNullRows;
  private final int tensors;
  private final SortedMap<String, List<String>> flagged;
  private final Map<String, Long> stageMillis;
  private final String sparkVersion;
  private final String master;
  private final String applicationId;

  RunRecord(Builder b) {
    this.inputs = List.copyOf(b.inputs);
    this.files = b.files;
    this.bytes = b.bytes;
    this.layout = b.layout;
    this.columns = List.copyOf(b.columns);
    this.rows = b.rows;
    this.nullRows = b.nullRows;
    this.values = b.values;
    this.nan = b.nan;
    this.posInf = b.posInf;
    this.negInf = b.negInf;
    this.nulls = b.nulls;
    this.tensorNullRows = b.tensorNullRows;
    this.tensors = b.tensors;
    this.flagged = Collections.unmodifiableSortedMap(new TreeMap<>(b.flagged));
    this.stageMillis = Collections.unmodifiableMap(new LinkedHashMap<>(b.stageMillis));
    this.sparkVersion = b.sparkVersion;
    this.master = b.master;
    this.applicationId = b.applicationId;
  }

  /** The input paths as given. */
  public List<String> inputs() {
    return inputs;
  }

  /** Number of data files found under the inputs. */
  public int files() {
    return files;
  }

  /** Total size of the data files. */
  public long bytes() {
    return bytes;
  }

  /** The layout read (never auto). */
  public String layout() {
    return layout;
  }

  /** The columns read. */
  public List<String> columns() {
    return columns;
  }

  /** Rows read by the scan (by pass 1 in the range layout; a retried task may count twice). */
  public long rows() {
    return rows;
  }

  /**
   * Rows skipped because their tensor name or values were null (a retried task may count twice).
   */
  public long nullRows() {
    return nullRows;
  }

  /** Values read, NaN and ±Inf included (exact: from the range statistics). */
  public long values() {
    return values;
  }

  /** NaN values read. */
  public long nan() {
    return nan;
  }

  /** +Inf values read. */
  public long posInf() {
    return posInf;
  }

  /** −Inf values read. */
  public long negInf() {
    return negInf;
  }

  /** Null elements read, apart from the values (exact: from the range statistics). */
  public long nulls() {
    return nulls;
  }

  /**
   * Rows whose values list was null, summed over the tensors (exact: from the range statistics).
   */
  public long tensorNullRows() {
    return tensorNullRows;
  }

  /** Tensors calibrated. */
  public int tensors() {
    return tensors;
  }

  /** Flag keys of every flagged tensor, by tensor name. */
  public SortedMap<String, List<String>> flagged() {
    return flagged;
  }

  /** Wall time of each stage in milliseconds, in run order. */
  public Map<String, Long> stageMillis() {
    return stageMillis;
  }

  /** The Spark version that ran the job. */
  public String sparkVersion() {
    return sparkVersion;
  }

  /** The Spark master URL. */
  public String master() {
    return master;
  }

  /** The Spark application id. */
  public String applicationId() {
    return applicationId;
  }

  static final class Builder {
    List<String> inputs = List.of();
    int files;
    long bytes;
    String layout;
    List<String> columns = List.of();
    long rows;
    long nullRows;
    long values;
    long nan;
    long posInf;
    long negInf;
    long nulls;
    long tensorNullRows;
    int tensors;
    final Map<String, List<String>> flagged = new TreeMap<>();
    final Map<String, Long> stageMillis = new LinkedHashMap<>();
    String sparkVersion;
    String master;
    String applicationId;

    /** Sums the counts of the table's tensors and records the flagged ones. */
    void tensors(CalibrationTable table) {
      for (TensorCalibration row : table.tensors()) {
        RangeStats s = row.stats();
        values += s.count();
        nan += s.nanCount();
        posInf += s.posInfCount();
        negInf += s.negInfCount();
        nulls += s.nullCount();
        tensorNullRows += s.nullRows();
        if (!row.flags().isEmpty()) {
          List<String> keys = new ArrayList<>();
          for (TensorFlag f : row.flags()) {
            keys.add(f.key());
          }
          flagged.put(row.name(), keys);
        }
      }
      tensors = table.tensors().size();
    }

    RunRecord build() {
      return new RunRecord(this);
    }
  }
}
