package dev.qcal.jobs.dump;

import dev.qcal.jobs.JobException;
import java.io.Serializable;

/**
 * Where a per-channel run finds each value's channel: an integer column giving the channel of the
 * whole row ({@code --channel-column NAME}; {@code --channel-axis N} is then only recorded as the
 * axis, default 0), or a shape column from which each row is split along an axis ({@code
 * --channel-axis N}, with {@code --shape-column NAME}, default {@code shape}; a negative axis
 * counts from the end, as in numpy).
 */
public final class ChannelSource implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The shape column unless told otherwise. */
  public static final String DEFAULT_SHAPE_COLUMN = "shape";

  /** How the channel is found. */
  public enum Kind {
    /** An integer column holds each row's channel. */
    COLUMN,
    /** A shape column and an axis split each row. */
    SHAPE
  }

  private final Kind kind;
  private final String column;
  private final int axis;

  private ChannelSource(Kind kind, String column, int axis) {
    this.kind = kind;
    this.column = column;
    this.axis = axis;
  }

  /**
   * Channels from the integer column {@code column}; {@code axis} is recorded in the outputs.
   *
   * @throws JobException (usage) if the axis is negative (there is no shape to count from)
   */
  public static ChannelSource column(String column, int axis) {
    if (axis < 0) {
      throw JobException.usage(
          "Cannot record channel axis "
              + axis
              + " with --channel-column: there is no shape to count a"
              + " negative axis from; give the axis as 0, 1, ...");
    }
    return new ChannelSource(Kind.COLUMN, column, axis);
  }

  /** Channels from splitting each row of shape column {@code column} along {@code axis}. */
  public static ChannelSource shape(String column, int axis) {
    return new ChannelSource(Kind.SHAPE, column == null ? DEFAULT_SHAPE_COLUMN : column, axis);
  }

  /** How the channel is found. */
  public Kind kind() {
    return kind;
  }

  /** The channel or shape column. */
  public String column() {
    return column;
  }

  /** The axis: recorded (COLUMN) or split along (SHAPE, may be negative). */
  public int axis() {
    return axis;
  }

  /** What to check about a bad row, for the end of its message: the column and the flag. */
  public String hint() {
    return kind == Kind.SHAPE
        ? " (the shape column '" + column + "' is split along --channel-axis " + axis + ")"
        : " (channels come from column '" + column + "', --channel-column)";
  }

  @Override
  public String toString() {
    return kind == Kind.COLUMN
        ? "channel column '" + column + "' (axis " + axis + ")"
        : "shape column '" + column + "' split along axis " + axis;
  }
}
