/**
 * What a dump is, checked on the driver before Spark starts: its data files ({@link
 * dev.qcal.jobs.dump.DumpFiles}, {@link dev.qcal.jobs.dump.InputFile}), the first file's schema
 * ({@link dev.qcal.jobs.dump.DumpSchema}), its layout and the columns read ({@link
 * dev.qcal.jobs.dump.Layout}, {@link dev.qcal.jobs.dump.DumpLayout}), the codecs this JVM reads,
 * where per-channel runs find channels ({@link dev.qcal.jobs.dump.ChannelSource}), and the errors
 * that name a dump's file, column or row ({@link dev.qcal.jobs.dump.InputErrors}). How a dump is
 * read is {@code dev.qcal.jobs.scan}'s.
 */
package dev.qcal.jobs.dump;
