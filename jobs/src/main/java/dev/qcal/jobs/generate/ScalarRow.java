package dev.qcal.jobs.generate;

import java.io.Serializable;

/** One row of a scalar-layout dump (a Java bean for Spark's encoder). */
public final class ScalarRow implements Serializable {
  private static final long serialVersionUID = 1L;
  private String tensor;
  private float value;

  /** An empty row (for the encoder). */
  public ScalarRow() {}

  ScalarRow(String tensor, float value) {
    this.tensor = tensor;
    this.value = value;
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
  public float getValue() {
    return value;
  }

  /** Bean setter for Spark's encoder. */
  public void setValue(float value) {
    this.value = value;
  }
}
