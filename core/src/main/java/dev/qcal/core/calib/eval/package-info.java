/**
 * Evaluation of given clip ranges against a reference histogram (KL divergence and MSE per
 * candidate), for comparing calibration methods rather than choosing a range.
 */
package dev.qcal.core.calib.eval;
