/**
 * MSE calibrators: clip ranges minimising a quantization-error objective on a histogram.
 *
 * <ul>
 *   <li>{@code mse} ({@link dev.qcal.core.calib.mse.NvMseCalibrator}): NVIDIA pytorch-quantization
 *       / ModelOpt {@code _compute_amax_mse} on the |x| histogram, in float32 as upstream;
 *   <li>{@code mse:ppq}, {@code mse:ppq-affine} ({@link dev.qcal.core.calib.mse.PpqMseCalibrator}):
 *       PPQ's {@code TorchMSEObserver} bin-unit error model;
 *   <li>{@code mse:torch} ({@link dev.qcal.core.calib.mse.TorchHistogramCalibrator}): PyTorch's
 *       {@code HistogramObserver} L2 search;
 *   <li>{@code mse:sweep} ({@link dev.qcal.core.calib.mse.SweepMseCalibrator}): ModelOpt's {@code
 *       MseCalibrator} grid, evaluated on the |x| histogram.
 * </ul>
 *
 * The float32 emulation helpers ({@code ReferenceFloat32}) reproduce numpy's summation order, which
 * is what the reference values were computed with.
 */
package dev.qcal.core.calib.mse;
