package dev.qcal.jobs.cli;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The warm-up of Spark's and Hadoop's classes: begun only for the commands that await it, and every
 * await returns, whether one began or not (a command that never began one must not wait on it).
 */
class SparkWarmUpTest {
  @Test
  // In a thread of its own: an await retries when interrupted, so a hang must fail from outside.
  @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void awaitsReturnWithOrWithoutAWarmUp() {
    // Neither a command without Spark nor an empty command line begins one.
    SparkWarmUp.begin(new String[] {SettingRegistry.HISTOGRAM, "--help"});
    SparkWarmUp.begin(new String[0]);
    SparkWarmUp.awaitHadoop();
    SparkWarmUp.awaitSql();
    // A calibrate command line begins it (once per JVM); both parts finish.
    SparkWarmUp.begin(new String[] {SettingRegistry.CALIBRATE, "--input", "dump"});
    SparkWarmUp.awaitHadoop();
    SparkWarmUp.awaitSql();
  }
}
