package dev.qcal.jobs.calibrate;

import dev.qcal.core.calib.Calibrators;
import dev.qcal.core.channel.ChannelGridAccumulator;
import dev.qcal.core.channel.ChannelStates;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.histogram.HistogramSetAccumulator;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.stats.RangeStats;
import dev.qcal.jobs.JobException;
import dev.qcal.jobs.dump.InputFile;
import dev.qcal.jobs.state.StateErrors;
import dev.qcal.jobs.state.StateFiles;
import dev.qcal.jobs.state.StateFiles.StateSource;
import dev.qcal.jobs.state.TensorState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Persisted states added to a run ({@code calibrate --merge-state}, {@code recompute}): their range
 * statistics merge before the layouts are chosen, and their histograms are regridded into those
 * layouts on the executors. Every (state, tensor, domain) is checked on the driver first, from the
 * range statistics alone, so an inexact merge (range layouts of different ranges, a coarser state)
 * is refused before any histogram is read, naming both layouts.
 */
final class StateMerge {
  private final List<StateSource> sources;
  private final List<JavaPairRDD<String, TensorState>> tensors;
  private final List<Map<String, RangeStats>> ranges;

  private StateMerge(
      List<StateSource> sources,
      List<JavaPairRDD<String, TensorState>> tensors,
      List<Map<String, RangeStats>> ranges) {
    this.sources = sources;
    this.tensors = tensors;
    this.ranges = ranges;
  }

  /**
   * Opens the states at {@code paths} on the driver (no Spark): each checked by {@link
   * StateFiles#open}, in {@code layout}, holding every domain in {@code domains}; and no state or
   * data file counted twice: not the same state twice (the same {@code state_id}, whatever the
   * spelling of its path), not two states covering one dump file, not a state covering one of
   * {@code today}'s files.
   *
   * @param layout the run's histogram layout, or null to take the first state's
   * @param today the files this run scans (empty for recompute)
   * @throws JobException exit 2 for a foreign, corrupt, changed, incompatible or repeated state,
   *     exit 3 for a missing path
   */
  static List<StateSource> check(
      List<String> paths,
      Configuration conf,
      HistogramLayout layout,
      Set<Domain> domains,
      String domainsHint,
      List<InputFile> today) {
    List<StateSource> sources = new ArrayList<>();
    for (String p : paths) {
      sources.add(StateFiles.open(p, conf));
    }
    HistogramLayout expected = layout != null ? layout : sources.get(0).meta().layout();
    for (StateSource s : sources) {
      if (s.meta().layout() != expected) {
        throw JobException.usage(
            String.format(
                "Cannot merge the state %s (histogram layout %s) with histogram layout %s%s:"
                    + " histograms of different layouts never merge exactly",
                s.path(),
                s.meta().layout().key(),
                expected.key(),
                layout != null
                    ? " (this run's --histogram-layout)"
                    : " (state " + sources.get(0).path() + ")"));
      }
      if (!s.meta().domainSet().containsAll(domains)) {
        Set<Domain> missing = new LinkedHashSet<>(domains);
        missing.removeAll(s.meta().domainSet());
        throw JobException.usage(
            String.format(
                "The state %s holds the histogram domains %s, not %s, which %s: with this state use"
                    + " methods among %s; to keep more domains next time, run calibrate with"
                    + " --state-domains %s",
                s.path(),
                keys(s.meta().domainSet()),
                keys(missing),
                domainsHint,
                supportedMethods(s.meta().domainSet()),
                keys(domains)));
      }
    }
    checkCountedOnce(sources, today);
    return sources;
  }

  /**
   * Refuses a state given twice, or a dump file covered twice (by two states, or a state and
   * today's scan).
   */
  private static void checkCountedOnce(List<StateSource> sources, List<InputFile> today) {
    Map<String, StateSource> byId = new HashMap<>();
    Map<InputFile, String> coveredBy = new HashMap<>();
    today.forEach(f -> coveredBy.put(f, "this run's --input"));
    for (StateSource s : sources) {
      StateSource same = byId.putIfAbsent(s.identity().stateId(), s);
      if (same != null) {
        throw JobException.usage(
            "The states "
                + same.path()
                + " and "
                + s.path()
                + " are the same state ("
                + s.identity().stateId()
                + "): merging it twice would count every value twice; give it once");
      }
      for (InputFile f : s.meta().files()) {
        String other = coveredBy.putIfAbsent(f, "the state " + s.path());
        if (other != null) {
          throw JobException.usage(
              "Cannot merge the state "
                  + s.path()
                  + ": it covers the dump file "
                  + f.describe()
                  + ", which "
                  + other
                  + " also covers, so its values would be counted twice. A state built with"
                  + " --merge-state covers every state it merged: merge it instead of them, and"
                  + " never merge a state of the dump this run scans");
        }
      }
    }
  }

  /**
   * The states {@link #check} opened, with their range statistics collected (a few dozen bytes per
   * tensor).
   *
   * @throws JobException exit 2 for a corrupt state
   */
  static StateMerge open(SparkSession spark, List<StateSource> sources) {
    List<JavaPairRDD<String, TensorState>> rdds = new ArrayList<>();
    List<Map<String, RangeStats>> ranges = new ArrayList<>();
    for (StateSource s : sources) {
      spark.sparkContext().setJobDescription("qcal: read state " + s.path());
      JavaPairRDD<String, TensorState> rdd = s.read(spark);
      Map<String, RangeStats> r = new HashMap<>();
      try {
        rdd.mapValues(TensorState::stats).collectAsMap().forEach(r::put);
      } catch (Exception e) {
        throw Calibration.<RuntimeException>rethrow(StateErrors.classify(e));
      }
      if (r.size() != s.meta().tensors()) {
        throw JobException.usage(
            String.format(
                "Cannot read the qcal state %s: %d tensors in its Parquet files, %d in its %s",
                s.path(), r.size(), s.meta().tensors(), StateFiles.META));
      }
      rdds.add(rdd);
      ranges.add(r);
    }
    return new StateMerge(sources, rdds, ranges);
  }

  List<StateSource> sources() {
    return sources;
  }

  /** The histogram layout of the states. */
  HistogramLayout layout() {
    return sources.get(0).meta().layout();
  }

  /** The domains every state holds (a merged state keeps them all). */
  Set<Domain> commonDomains() {
    Set<Domain> out = java.util.EnumSet.allOf(Domain.class);
    sources.forEach(s -> out.retainAll(s.meta().domainSet()));
    return out;
  }

  /** The fewest bins among the states (every state coarsens to it). */
  int minBins() {
    int b = Integer.MAX_VALUE;
    for (StateSource s : sources) {
      b = Math.min(b, s.meta().bins());
    }
    return b;
  }

  /** The dump files the states cover ({@link #check} made sure none twice). */
  List<InputFile> files() {
    List<InputFile> out = new ArrayList<>();
    sources.forEach(s -> out.addAll(s.meta().files()));
    return out;
  }

  /** The inputs the states cover, in order, without repeats. */
  List<String> inputs() {
    Set<String> out = new LinkedHashSet<>();
    sources.forEach(s -> out.addAll(s.meta().inputs()));
    return new ArrayList<>(out);
  }

  /** {@code base} merged, tensor by tensor, with every state's range statistics. */
  Map<String, RangeStats> mergeRanges(Map<String, RangeStats> base) {
    Map<String, RangeStats> out = new HashMap<>(base);
    for (Map<String, RangeStats> r : ranges) {
      r.forEach((name, stats) -> out.merge(name, stats, RangeStats::merge));
    }
    return out;
  }

  /**
   * Checks on the driver that every state's histogram regrids exactly into {@code specs}: the
   * state's layout of a tensor is a function of its statistics, its bins and its layout.
   */
  void checkExact(Map<String, HistogramSpec[]> specs) {
    for (int i = 0; i < sources.size(); i++) {
      StateSource s = sources.get(i);
      for (Map.Entry<String, RangeStats> e : ranges.get(i).entrySet()) {
        for (HistogramSpec target : specs.get(e.getKey())) {
          HistogramSpec stored =
              HistogramSpec.forStats(
                  target.domain(), e.getValue(), s.meta().bins(), s.meta().layout());
          try {
            Histogram.empty(stored).regrid(target);
          } catch (IllegalArgumentException x) {
            throw JobException.usage(
                String.format(
                    "Cannot merge the state %s (%s layout, %d bins) exactly, tensor '%s': %s%s",
                    s.path(),
                    s.meta().layout().key(),
                    s.meta().bins(),
                    e.getKey(),
                    x.getMessage(),
                    s.meta().layout() == HistogramLayout.RANGE
                        ? " (range-layout states merge only when every range is equal; calibrate"
                            + " with --histogram-layout grid, the default, to get mergeable"
                            + " states)"
                        : " (a state coarsens only to as many bins or fewer: give --bins "
                            + s.meta().bins()
                            + " or fewer)"));
          }
        }
      }
    }
  }

  /**
   * Whether every state has {@code bins} bins or more, so that each coarsens exactly to the grid
   * layout of its own statistics with {@code bins} bins, and then to any wider one: the states can
   * then take part in the grid layout's one scan ({@link #accumulators}), whatever today's data.
   * Otherwise whether a state merges exactly depends on today's range statistics, which must be
   * known (and checked by {@link #checkExact}) before any histogram is read: two passes.
   */
  boolean coarsensTo(int bins) {
    return layout() == HistogramLayout.GRID && minBins() >= bins;
  }

  /**
   * Every state as one-pass accumulators in {@code domains} with {@code bins} bins (one entry per
   * state and tensor), to be merged with the scan's ({@link #coarsensTo} must hold); a tensor the
   * run calibrates per channel ({@code channels}, may be null) brings its per-channel state too.
   */
  JavaPairRDD<String, TensorAccumulator> accumulators(
      Set<Domain> domains, int bins, ChannelPlan channels) {
    Set<Domain> wanted =
        domains.isEmpty()
            ? java.util.EnumSet.noneOf(Domain.class)
            : java.util.EnumSet.copyOf(domains);
    Set<Domain> channelDomains = channels == null ? null : channels.calibrator().domains();
    JavaPairRDD<String, TensorAccumulator> out = null;
    for (JavaPairRDD<String, TensorState> rdd : tensors) {
      JavaPairRDD<String, TensorAccumulator> a =
          rdd.mapToPair(
              t ->
                  new Tuple2<>(
                      t._1(),
                      new TensorAccumulator(
                          GrowingGridAccumulator.of(
                              t._2().stats(), t._2().histograms(), wanted, bins),
                          channels != null
                                  && t._2().channels() != null
                                  && channels.rows().selects(t._1())
                              ? channelAccumulator(t, channelDomains, channels.bins())
                              : null)));
      out = out == null ? a : out.union(a);
    }
    return out;
  }

  /**
   * The fewest {@code --channel-bins} among the states that hold per-channel tensors, 0 when none
   * does.
   */
  int minChannelBins() {
    int min = 0;
    for (StateSource s : sources) {
      if (s.meta().hasChannels()) {
        min = min == 0 ? s.meta().channelBins() : Math.min(min, s.meta().channelBins());
      }
    }
    return min;
  }

  /**
   * The per-channel states of every tensor some state holds per channel, merged across the states
   * (histograms in {@code domains}, coarsened to {@code bins} bins).
   */
  JavaPairRDD<String, ChannelStates> channelStates(Set<Domain> domains, int bins) {
    JavaPairRDD<String, ChannelGridAccumulator> out = null;
    for (JavaPairRDD<String, TensorState> rdd : tensors) {
      JavaPairRDD<String, ChannelGridAccumulator> a =
          rdd.filter(t -> t._2().channels() != null)
              .mapToPair(t -> new Tuple2<>(t._1(), channelAccumulator(t, domains, bins)));
      out = out == null ? a : out.union(a);
    }
    return out.reduceByKey(StateMerge::mergeChannels).mapValues(a -> a.states(0));
  }

  private static ChannelGridAccumulator channelAccumulator(
      Tuple2<String, TensorState> t, Set<Domain> domains, int bins) {
    try {
      return ChannelGridAccumulator.of(t._1(), t._2().channels(), domains, bins);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          String.format(
              "%s: tensor '%s' per channel: %s", StateErrors.CORRUPT, t._1(), e.getMessage()),
          e);
    }
  }

  private static ChannelGridAccumulator mergeChannels(
      ChannelGridAccumulator a, ChannelGridAccumulator b) {
    try {
      return a.merge(b);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(StateErrors.CORRUPT + ": " + e.getMessage(), e);
    }
  }

  /** Every state's histograms regridded into {@code specs}, one entry per state and tensor. */
  JavaPairRDD<String, PassTwoHistograms> histograms(Broadcast<Map<String, HistogramSpec[]>> specs) {
    JavaPairRDD<String, PassTwoHistograms> out = null;
    for (JavaPairRDD<String, TensorState> rdd : tensors) {
      JavaPairRDD<String, PassTwoHistograms> h =
          rdd.mapToPair(
              t -> {
                HistogramSpec[] target = specs.value().get(t._1());
                Map<Domain, Histogram> regridded = new EnumMap<>(Domain.class);
                for (HistogramSpec spec : target) {
                  regridded.put(spec.domain(), t._2().histograms().get(spec.domain()).regrid(spec));
                }
                return new Tuple2<>(
                    t._1(), new PassTwoHistograms(target, HistogramSetAccumulator.of(regridded)));
              });
      out = out == null ? h : out.union(h);
    }
    return out;
  }

  private static String keys(Set<Domain> domains) {
    List<String> k = new ArrayList<>();
    domains.forEach(d -> k.add(d.key()));
    return String.join(",", k);
  }

  /** The method keys whose histograms are all in {@code domains}. */
  static List<String> supportedMethods(Set<Domain> domains) {
    List<String> out = new ArrayList<>();
    for (String key : Calibrators.names()) {
      if (domains.containsAll(Calibrators.create(key).domains())) {
        out.add(key);
      }
    }
    return out;
  }
}
