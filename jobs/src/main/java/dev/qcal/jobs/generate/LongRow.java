package dev.qcal.jobs.generate;

import java.io.Serializable;

/** One row of a long-layout dump (a Java bean for Spark's encoder: float[] is copied in bulk). */
public final class LongRow implements Serializable {
  private static final long serialVersionUID = 1L;
  private String tensor;
  private float[] values;

  /** An empty row (for the encoder). */
  public LongRow() {}

  /** A row of {@code tensor} holding {@code values}. */
  public LongRow(String tensor, float[] values) {
    this.tensor = tensor;
    this.values = values;
  }

  /** Bean getter for Spark's encoder. */
  public String getTensor() {
    return tensor;
  }

  /** Bean setter for Spark's encoder. */
  public void setTensor(String tensor) {
    this.tensor = tensor;
  }

  /** Bean getter for Spark's encoder. */
  public float[] getValues() {
    return values;
  }

  /** Bean setter for Spark's encoder. */
  public void setValues(float[] values) {
    this.values = values;
  }
}
