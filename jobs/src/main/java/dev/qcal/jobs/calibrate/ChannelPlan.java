package dev.qcal.jobs.calibrate;

import dev.qcal.core.channel.ChannelCalibrator;
import dev.qcal.jobs.scan.PerChannelRows;
import java.io.Serializable;

/**
 * What a run calibrates per channel: which rows (the per-channel tensors and where their channels
 * come from), with which methods, in how many bins per channel.
 *
 * @param rows the per-channel tensors and their channel or shape column
 * @param calibrator the methods that run per channel
 * @param bins histogram bins per channel ({@code --channel-bins})
 */
record ChannelPlan(PerChannelRows rows, ChannelCalibrator calibrator, int bins)
    implements Serializable {}
