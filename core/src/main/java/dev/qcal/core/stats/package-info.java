/**
 * Mergeable per-tensor range statistics (pass 1 of the calibration job).
 *
 * <p><b>Non-finite values.</b> NaN, +Inf and -Inf are counted separately and never enter the
 * minimum or maximum, which are taken over the finite values only (as Parquet-java's statistics
 * count NaN apart). {@link dev.qcal.core.stats.RangeStats#count()} counts every value seen.
 */
package dev.qcal.core.stats;
