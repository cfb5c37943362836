package dev.qcal.core.calib.eval;

import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.quant.QuantParams;

/**
 * How well one candidate clip range represents a reference histogram ({@link CandidateEvaluation}
 * defines both scores).
 *
 * @param range the candidate
 * @param params its grid (scale, zero point, integer range)
 * @param kl KL(P‖Q) of the folded histogram against its re-binning on the grid (natural log)
 * @param mse mean squared error of fake-quantizing every bin centre, outliers included
 */
public record CandidateScore(ClipRange range, QuantParams params, double kl, double mse) {}
