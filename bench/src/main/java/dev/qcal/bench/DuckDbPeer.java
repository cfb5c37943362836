package dev.qcal.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The peer of the benchmark: DuckDB (its JDBC driver, in process) computing the same per-tensor
 * range and then the same per-tensor {@code |x|} histograms with SQL over the same Parquet files.
 * Its binning is qcal's formula (core {@code histogram/package-info.java}): bin = min(n−1,
 * ⌊|x|·(n/hi)⌋) in double, hi = max|x| over the tensor (1 when it is 0), so the counts must equal
 * qcal's ABSOLUTE histograms in the range layout exactly. The SQL lists each row's values with
 * {@code list_min}/{@code list_max}, then {@code unnest}s the bins; it assumes finite values (the
 * benchmark dump has no NaN or ±Inf).
 *
 * <p>{@link DuckDbProcess#main} runs it in a process of its own, as {@code bin/qcal bench} times
 * it.
 */
public final class DuckDbPeer {
  /** The result: seconds per pass, and the counts by tensor. */
  public record Result(
      double connectSeconds, double pass1Seconds, double pass2Seconds, Map<String, long[]> counts) {
    /** Both passes. */
    public double passesSeconds() {
      return pass1Seconds + pass2Seconds;
    }
  }

  private DuckDbPeer() {}

  /** The pass-1 SQL: hi = max|x| per tensor, and n/hi. */
  static String pass1(String glob, int bins) {
    return String.format(
        Locale.ROOT,
        "CREATE OR REPLACE TEMP TABLE mm AS SELECT tensor, CASE WHEN hi > 0 THEN %d.0::DOUBLE / hi"
            + " ELSE %d.0::DOUBLE END inv FROM (SELECT tensor,"
            + " greatest(abs(min(list_min(\"values\"))), abs(max(list_max(\"values\"))))::DOUBLE hi"
            + " FROM read_parquet('%s') GROUP BY tensor)",
        bins,
        bins,
        glob.replace("'", "''"));
  }

  /** The pass-2 SQL: (tensor, bin, count). */
  static String pass2(String glob, int bins) {
    return String.format(
        Locale.ROOT,
        "SELECT tensor, b, count(*)::BIGINT c FROM (SELECT p.tensor,"
            + " unnest(list_transform(p.\"values\", lambda x: least(%d, floor(abs(x::DOUBLE) *"
            + " m.inv))::INTEGER)) b FROM read_parquet('%s') p JOIN mm m USING (tensor)) GROUP BY"
            + " ALL",
        bins - 1,
        glob.replace("'", "''"));
  }

  /** Runs both passes over the Parquet files matching {@code glob} with {@code threads} threads. */
  public static Result run(String glob, int bins, int threads) {
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET threads=" + threads);
      s.execute("SET preserve_insertion_order=false");
      long t1 = System.nanoTime();
      s.execute(pass1(glob, bins));
      long t2 = System.nanoTime();
      Map<String, long[]> counts = new HashMap<>();
      try (ResultSet rs = s.executeQuery(pass2(glob, bins))) {
        while (rs.next()) {
          counts.computeIfAbsent(rs.getString(1), k -> new long[bins])[rs.getInt(2)] =
              rs.getLong(3);
        }
      }
      long t3 = System.nanoTime();
      return new Result((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, counts);
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB failed: " + e.getMessage(), e);
    }
  }
}
