package dev.qcal.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/**
 * The warm-up of Spark's and Hadoop's classes: begun only for the commands that await it, and every
 * await returns, whether one began or not (a command that never began one must not wait on it).
 */
class SparkWarmUpTest {
  @Test
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
    assertEquals("string", DataTypes.StringType.typeName());
  }
}
