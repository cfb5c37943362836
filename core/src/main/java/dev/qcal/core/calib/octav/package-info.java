/**
 * OCTAV: MSE-optimal clipping by the fixed-point (Newton) iteration of Sakr et al., "Optimal
 * Clipping and Magnitude-aware Differentiation for Improved Quantization-aware Training", ICML
 * 2022, eq. (6), on the |x| histogram ({@link dev.qcal.core.calib.octav.OctavCalibrator}), and the
 * Google AI Edge Quantizer's raw-value version ({@link dev.qcal.core.calib.octav.RawOctav}).
 */
package dev.qcal.core.calib.octav;
