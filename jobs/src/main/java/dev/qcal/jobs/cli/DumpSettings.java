package dev.qcal.jobs.cli;

import static dev.qcal.jobs.cli.SettingRegistry.CALIBRATE;

import dev.qcal.core.channel.ChannelGridAccumulator;
import dev.qcal.jobs.calibrate.Calibration;
import dev.qcal.jobs.dump.Layout;
import dev.qcal.jobs.scan.Reader;
import java.util.List;

/** How {@code calibrate} reads a dump: layout, columns, tensors, reader, per-channel rows. */
final class DumpSettings {
  private static final SettingGroup AREA = new SettingGroup();

  // The dump.

  static final Setting<Layout> LAYOUT =
      AREA.declare(
          Setting.of("layout", "LAYOUT", Layout::parse)
              .keyed()
              .byDefault(Layout.AUTO.key())
              .help("Dump layout: " + SettingGroup.keys(Layout.values(), Layout::key))
              .takenBy(CALIBRATE));

  static final Setting<String> TENSOR_COLUMN =
      AREA.declare(
          Setting.text("tensor-column", "NAME")
              .keyed()
              .defaultHelp("tensor")
              .help("Tensor-name column")
              .takenBy(CALIBRATE));

  static final Setting<String> VALUES_COLUMN =
      AREA.declare(
          Setting.text("values-column", "NAME")
              .keyed()
              .defaultHelp("values, or value for scalar")
              .help("Values column")
              .takenBy(CALIBRATE));

  static final Setting<String> TENSORS =
      AREA.declare(
          Setting.text("tensors", "REGEX")
              .keyed()
              .help("Calibrate only tensors whose whole name matches this Java regex")
              .takenBy(CALIBRATE));

  static final Setting<Integer> CHUNK_VALUES =
      AREA.declare(
          Setting.integer("chunk-values", "N")
              .keyed()
              .byDefault(String.valueOf(Calibration.DEFAULT_CHUNK_VALUES))
              .help(
                  "Values per chunk for one-value-per-row layouts (scalar, wide float columns)"
                      + " read by Spark's reader")
              .takenBy(CALIBRATE));

  static final Setting<Reader> READER =
      AREA.declare(
          Setting.of("reader", "READER", Reader::parse)
              .keyed()
              .byDefault(Reader.AUTO.key())
              .help(
                  "Parquet reader: auto or pages (qcal's page decoder, every layout) or spark"
                      + " (Spark's reader)")
              .takenBy(CALIBRATE));

  // Per-channel ranges.

  static final Setting<String> CHANNEL_COLUMN =
      AREA.declare(
          Setting.text("channel-column", "NAME")
              .keyed()
              .help("Also calibrate per channel, each row's channel read from this integer column")
              .takenBy(CALIBRATE));

  static final Setting<Integer> CHANNEL_AXIS =
      AREA.declare(
          Setting.integer("channel-axis", "N")
              .keyed()
              .help(
                  "Also calibrate per channel, splitting each row along axis N of its shape column"
                      + " (negative counts from the end); with --channel-column, only the axis"
                      + " written to the outputs, 0 by default")
              .takenBy(CALIBRATE));

  static final Setting<String> SHAPE_COLUMN =
      AREA.declare(
          Setting.text("shape-column", "NAME")
              .keyed()
              .defaultHelp("shape")
              .help("Shape column for --channel-axis, array<int> or array<bigint>")
              .takenBy(CALIBRATE));

  static final Setting<String> PER_CHANNEL_TENSORS =
      AREA.declare(
          Setting.text("per-channel-tensors", "REGEX")
              .keyed()
              .defaultHelp("all")
              .help("Calibrate per channel only tensors whose whole name matches, e.g. '.*weight'")
              .takenBy(CALIBRATE));

  static final Setting<Integer> CHANNEL_BINS =
      AREA.declare(
          Setting.integer("channel-bins", "N")
              .keyed()
              .byDefault(String.valueOf(ChannelGridAccumulator.DEFAULT_BINS))
              .help(
                  "Histogram bins per channel; a task holds channels x bins x 8 bytes per domain"
                      + " and tensor")
              .takenBy(CALIBRATE));

  /** This area's settings, in declaration order. */
  static final List<Setting<?>> ALL = AREA.all();

  private DumpSettings() {}
}
