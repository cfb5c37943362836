/**
 * Per-channel ranges: how a row's values split into channels ({@link
 * dev.qcal.core.channel.ChannelSplit}), the mergeable per-channel accumulators (one per tensor and
 * task, holding one small accumulator per channel: {@link
 * dev.qcal.core.channel.ChannelGridAccumulator} in one pass, or range statistics then {@link
 * dev.qcal.core.channel.ChannelHistogramAccumulator} in two), their merged {@link
 * dev.qcal.core.channel.ChannelStates}, and the per-channel runs of the max, percentile, mse and
 * octav calibrators ({@link dev.qcal.core.channel.ChannelCalibrator}). The table's per-channel
 * record is {@link dev.qcal.core.table.ChannelCalibration}.
 */
package dev.qcal.core.channel;
