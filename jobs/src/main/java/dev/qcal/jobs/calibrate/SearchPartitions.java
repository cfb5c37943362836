package dev.qcal.jobs.calibrate;

import org.apache.spark.api.java.JavaPairRDD;

/**
 * How many partitions the per-tensor merge gets, and so the searches that run in its partitions:
 * the scan's, raised to at least {@value #PER_CORE} a core, but to no more than twice the scan's.
 * Left at the scan's (one partition per file split), a 20 000-tensor dump of 5 files ran its
 * searches as 5 tasks on 2 cores: 2.1, 2.1, 1.6, 1.6 and 1.5 s, the last alone on one core while
 * the other idled (a timestamped log of one run). A tensor's searches cost from microseconds to
 * milliseconds, so smaller tasks even out the last wave. The cap keeps a small dump on a large
 * cluster from scheduling thousands of near-empty tasks. The tables do not depend on the
 * partitioning.
 */
final class SearchPartitions {
  /** The tasks a core gets at least, where the scan's partitions allow. */
  static final int PER_CORE = 4;

  private SearchPartitions() {}

  /** The merge's partitions for records coming from {@code scan}. */
  static int of(JavaPairRDD<?, ?> scan) {
    int splits = scan.getNumPartitions();
    int wanted = PER_CORE * scan.context().defaultParallelism();
    return Math.max(1, Math.max(splits, Math.min(wanted, 2 * splits)));
  }
}
