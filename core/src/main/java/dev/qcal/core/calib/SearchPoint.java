package dev.qcal.core.calib;

/**
 * One candidate of a search and its objective (KL divergence, MSE, ...), for the report's curves.
 *
 * @param threshold the candidate clip (amax, or the upper end for two-sided searches)
 * @param objective the objective at that candidate; may be +Inf (e.g. KL with an empty Q bin)
 */
public record SearchPoint(double threshold, double objective) implements java.io.Serializable {}
