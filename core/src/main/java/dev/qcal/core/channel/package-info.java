/**
 * Per-channel ranges: how a row's values split into channels ({@link
 * dev.qcal.core.channel.ChannelSplit}), the mergeable per-channel accumulators of both passes (one
 * per tensor and task, holding one small accumulator per channel), and the per-channel runs of the
 * max, percentile, mse and octav calibrators ({@link dev.qcal.core.channel.ChannelCalibrator}). The
 * table's per-channel record is {@link dev.qcal.core.table.ChannelCalibration}.
 */
package dev.qcal.core.channel;
