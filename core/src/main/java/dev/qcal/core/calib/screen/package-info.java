/**
 * The screened search: a tool's candidate search reproduced exactly, with only the candidates that
 * could be the tool's pick evaluated the tool's way.
 *
 * <p>{@link dev.qcal.core.calib.screen.ScreenedSearch} is the one driver: it asks a tool's {@link
 * dev.qcal.core.calib.screen.Candidates} for a rigorous interval around each candidate's value (or
 * for the value itself where the tool's special cases decide it), keeps the smallest upper bound,
 * evaluates exactly every candidate whose lower bound does not exceed it, and applies the tool's
 * {@link dev.qcal.core.calib.screen.TieRule} to the exact values. A candidate left out lies
 * strictly above a value the rule sees, so it could not have been picked: the pick and its value
 * are the exhaustive search's, bit for bit. The per-tool parts (the window of one candidate, its
 * closed form and error bound) live with the calibrators: {@code entropy} (ONNX Runtime, MXNet,
 * TVM, ncnn) and {@code mse} (NVIDIA).
 */
package dev.qcal.core.calib.screen;
