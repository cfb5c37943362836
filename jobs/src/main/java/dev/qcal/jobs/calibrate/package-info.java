/**
 * The calibration job: {@link dev.qcal.jobs.calibrate.Calibration} (the Java API, built by {@link
 * dev.qcal.jobs.calibrate.CalibrationBuilder}) checks its inputs before Spark starts ({@link
 * dev.qcal.jobs.calibrate.CheckedInputs}) and runs stage by stage on the driver ({@code
 * CalibrationStages}): the grid layout's {@code OneScan}, or the {@code TwoPasses} with the layouts
 * fixed between them, then the searches on the executors ({@code SearchStage}) and the {@code
 * PerChannelPasses}. {@code StateMerge} adds persisted states, {@link
 * dev.qcal.jobs.calibrate.Recompute} calibrates from states alone. The result is a {@link
 * dev.qcal.jobs.calibrate.CalibrationRun}: the table, the plots and the {@link
 * dev.qcal.jobs.calibrate.RunRecord} that becomes {@code summary.json}.
 */
package dev.qcal.jobs.calibrate;
