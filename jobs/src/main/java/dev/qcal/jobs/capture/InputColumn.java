package dev.qcal.jobs.capture;

import dev.qcal.onnx.DeclaredShape;
import java.io.Serializable;

/**
 * Where one model input comes from in the dataset: its values column (array of float, or of double
 * narrowed to float32 as a cast would) and, when present, its shape column (array of int or
 * bigint), with the shape the model declares for it.
 *
 * @param declared the model input
 * @param doubles whether the values column holds doubles
 * @param shapeColumn the shape column's name, or null when the shape follows from the model
 * @param longShape whether the shape column holds bigints
 */
record InputColumn(DeclaredShape declared, boolean doubles, String shapeColumn, boolean longShape)
    implements Serializable {
  /** The suffix of a shape column's name: input {@code x} has its shapes in {@code x_shape}. */
  static final String SHAPE_SUFFIX = "_shape";

  /** The values column: the input's name. */
  String valuesColumn() {
    return declared.name();
  }
}
