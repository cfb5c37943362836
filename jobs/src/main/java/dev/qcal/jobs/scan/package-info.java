/**
 * How a dump is scanned on the executors: {@link dev.qcal.jobs.scan.ChunkScans} picks the reader,
 * and every reader is a {@link dev.qcal.jobs.scan.ChunkScan} that folds (tensor, float chunk)
 * slices into one accumulator per tensor and task ({@link dev.qcal.jobs.scan.TensorFold}): qcal's
 * page decoder ({@link dev.qcal.jobs.scan.PageScan}, {@code PageDecoder}) for every layout, or with
 * {@code --reader spark} Spark's Parquet reader ({@link dev.qcal.jobs.scan.SparkRowScan} over
 * {@link dev.qcal.jobs.scan.DumpReader}). The per-channel rows are read by {@link
 * dev.qcal.jobs.scan.ChannelDump}. What a dump is (files, schema, layout) is {@code
 * dev.qcal.jobs.dump}'s; what the accumulators compute is core's.
 */
package dev.qcal.jobs.scan;
