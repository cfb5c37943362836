/**
 * Calibrators: pure functions from a tensor's statistics to a clip range, scale and zero point.
 *
 * <p>One class per method. Each has one documented default and, where users come from a tool that
 * behaves differently, named variants that reproduce that tool on the same histogram
 * (docs/design/algorithms.md, one section per tool). A calibrator never mutates its inputs, returns
 * the same result for the same inputs, and turns degenerate tensors (no finite value, constant, all
 * zero) into a documented fallback with a note instead of an exception or a NaN scale.
 */
package dev.qcal.core.calib;
