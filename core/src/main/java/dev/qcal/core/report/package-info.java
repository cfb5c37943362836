/**
 * The HTML report: a small model the job fills ({@link dev.qcal.core.report.ReportModel}), the
 * per-tensor numbers it shows (clipped fraction, quantization noise), computed on the executors
 * from the full histograms, and a renderer ({@link dev.qcal.core.report.HtmlReport}) that writes
 * one self-contained, deterministic HTML file (inline CSS, inline SVG, a little inline JS).
 *
 * <h2>Where each part runs</h2>
 *
 * {@link dev.qcal.core.report.TensorPlot#of} needs a tensor's full histograms, so the job calls it
 * next to {@link dev.qcal.core.calib.TensorCalibrator#calibrate} on the executors; what it returns
 * is small (a histogram coarsened to at most 256 bins and three numbers per method) and {@link
 * java.io.Serializable}. The driver pairs it with the table row ({@link
 * dev.qcal.core.report.ReportModel#of}) and renders.
 */
package dev.qcal.core.report;
