package dev.qcal.jobs.calibrate;

import dev.qcal.core.histogram.HistogramSetAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import java.io.Serializable;

/** One tensor's pass-2 histograms in one partition, with the layouts they were made with. */
final class PassTwoHistograms implements Serializable {
  private static final long serialVersionUID = 1L;
  final HistogramSpec[] specs;
  final HistogramSetAccumulator set = new HistogramSetAccumulator();

  PassTwoHistograms(HistogramSpec[] specs) {
    this.specs = specs;
  }

  /** A tensor's histograms read from a persisted state, already in the layouts {@code specs}. */
  PassTwoHistograms(HistogramSpec[] specs, HistogramSetAccumulator set) {
    this.specs = specs;
    this.set.merge(set);
  }

  void add(float[] values, int from, int to) {
    set.add(specs, values, from, to);
  }

  PassTwoHistograms merge(PassTwoHistograms other) {
    set.merge(other.set);
    return this;
  }
}
