package dev.qcal.core.calib.wq;

import dev.qcal.core.calib.SearchPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The weight search of caffe-WQ ({@code src/caffe/util/eh_functions.cu}: {@code QuantInfo}, {@code
 * recUpdate}, {@code eh_weight_quant_update}) over M sorted atoms with counts and importances,
 * given as prefix sums at the M + 1 boundaries. Raw weights are M = N atoms of count 1 and
 * importance w²; a histogram is one atom per bin. Package-private.
 *
 * <p>State: {@code slice[k]}, the exclusive end boundary of magnitude cluster k ({@code slice[half
 * − 1] = M}), with half = (numLevel + 1)/2; for an odd numLevel cluster 0 is the zero level and
 * stays out of the entropy. p_k = count_k/N, wp_k = importance_k/N, H = −Σ wp_k·ln(p_k/2) (the /2:
 * each magnitude cluster is split into ±). While H grows (from 0), every boundary k = 0..half − 2
 * in turn is moved to the maximum of the entropy of clusters k and k + 1 inside [slice[k−1],
 * slice[k+1] − 1] by a bisection that assumes a unimodal function.
 *
 * <p>Termination, where the authors' {@code recUpdate} recurses forever: a range of a single
 * candidate (begin = end, including their sentinel (0, 0)) takes that candidate, and an empty range
 * (end < begin, when clusters k and k + 1 are both empty) keeps slice[k] = slice[k−1]. Both are
 * counted in {@link Slicing#singleCandidates()}. The outer loop cannot cycle (H strictly grows over
 * a finite set of states).
 *
 * <p>Cost: a boundary search depends only on its two neighbours (slice[k−1] and slice[k+1]) and the
 * fixed atoms, so when neither moved since boundary k was last searched, the search would find the
 * same slice[k] with the same number of single-candidate ranges: it is skipped and its count
 * repeated. In the later passes most neighbours stand still, so this removes most of the entropy
 * evaluations (two logs each) without changing any state, trace or count.
 *
 * <p>More generally, the search of any boundary k ≥ 1 depends only on its range [lo, hi]: it
 * compares the entropies of clusters k and k + 1, [lo, c) and [c, hi + 1), and nothing else (k = 0
 * differs: for an odd numLevel cluster 0 stays out, and wp(0) reads S[slice[0]] rather than a
 * difference). So its result is kept per range ({@link RangeResults}) and reused when another
 * boundary gets the same range. A spike atom makes this the common case: with half the mass in the
 * bin of 0 (ReLU) the initial slices leave half the clusters empty, the empty clusters drift
 * through the boundaries a little each pass (313 passes against a gaussian's 162), and a boundary
 * keeps getting ranges that boundary k + 1 (or k + 2, k + 3) searched some 4–25 passes before: on
 * the 2048-bin ReLU benchmark tensor 16 000 of the 24 000 searches that the skip above leaves
 * repeat a range already searched.
 */
final class WeightedEntropySlicer {
  private final long[] cumCount;
  private final double[] cumImportance;
  private final int numLevel;
  private final int half;
  private final Arithmetic arithmetic;
  private final double n;
  private final int[] slice;
  private int singleCandidates;

  /** Per boundary: the neighbours of its last search (−1: never searched) and its single count. */
  private final int[] searchedLo;

  private final int[] searchedHi;
  private final int[] searchedSingles;
  private final boolean skipRepeats;

  /** The result of every bisection of a boundary k ≥ 1 by its range, or null (no reuse). */
  private final RangeResults ranges;

  /** Per cluster: the ends of its last term in {@link #total} (−1: none) and that term. */
  private final int[] termFrom;

  private final int[] termTo;
  private final double[] termValue;

  /** The current search's known partial entropies: at lo, lo + 1 and hi (−1: not known). */
  private int seenLo;

  private int seenNext;
  private int seenHi;
  private double seenLoValue;
  private double seenNextValue;
  private double seenHiValue;

  /** Bisections done (for tests: that reusing ranges spares some). */
  private int bisections;

  /**
   * The search's result.
   *
   * @param slices the final slices (exclusive end boundary of each cluster)
   * @param entropy H at the final slices
   * @param trace (top level, H) before the first pass and after every pass
   * @param singleCandidates boundary searches with one candidate or none
   */
  record Slicing(int[] slices, double entropy, List<SearchPoint> trace, int singleCandidates) {}

  WeightedEntropySlicer(
      long[] cumCount, double[] cumImportance, int numLevel, Arithmetic arithmetic) {
    this(cumCount, cumImportance, numLevel, arithmetic, true);
  }

  /**
   * For tests: {@code skipRepeats = false} is the plain search, without any of the shortcuts
   * (searches every boundary in every pass, evaluates every candidate and every term).
   */
  WeightedEntropySlicer(
      long[] cumCount,
      double[] cumImportance,
      int numLevel,
      Arithmetic arithmetic,
      boolean skipRepeats) {
    this.skipRepeats = skipRepeats;
    this.ranges = skipRepeats ? new RangeResults(cumCount.length - 1) : null;
    this.cumCount = cumCount;
    this.cumImportance = cumImportance;
    this.numLevel = numLevel;
    this.half = (numLevel + 1) / 2;
    this.arithmetic = arithmetic;
    this.n = arithmetic.round((double) cumCount[cumCount.length - 1]);
    this.slice = new int[half];
    this.searchedLo = new int[half];
    this.searchedHi = new int[half];
    this.searchedSingles = new int[half];
    this.termFrom = new int[half];
    this.termTo = new int[half];
    this.termValue = new double[half];
  }

  /**
   * The script's initial slices ({@code script_for_WQ/quantization_alexnet.py}: slice[k] =
   * N·(k+1)//half, equal counts): the first boundary whose prefix count reaches that target; the
   * last slice is M.
   */
  int[] initialSlices() {
    int m = cumCount.length - 1;
    long total = cumCount[m];
    int[] out = new int[half];
    int j = 0;
    for (int k = 0; k < half - 1; k++) {
      long target = total * (k + 1) / half;
      while (cumCount[j] < target) {
        j++;
      }
      out[k] = j;
    }
    out[half - 1] = m;
    return out;
  }

  /** Runs the search from {@code initial} (copied). */
  Slicing run(int[] initial) {
    System.arraycopy(initial, 0, slice, 0, half);
    Arrays.fill(searchedLo, -1);
    Arrays.fill(termFrom, -1);
    List<SearchPoint> trace = new ArrayList<>();
    double next = total();
    double prev = 0;
    trace.add(new SearchPoint(topLevel(), next));
    while (next > prev) {
      for (int k = 0; k < half - 1; k++) {
        update(k);
      }
      prev = next;
      next = total();
      trace.add(new SearchPoint(topLevel(), next));
    }
    return new Slicing(slice.clone(), next, trace, singleCandidates);
  }

  /** Boundary searches run so far (not skipped, not reused). */
  int bisections() {
    return bisections;
  }

  /** RMS of the top cluster (its representative), 0 when it is empty. */
  private double topLevel() {
    int k = half - 1;
    long count = cumCount[slice[k]] - cumCount[begin(k)];
    double imp = cumImportance[slice[k]] - cumImportance[begin(k)];
    return count > 0 ? Math.sqrt(Math.max(0, imp / count)) : 0;
  }

  private int begin(int k) {
    return k == 0 ? 0 : slice[k - 1];
  }

  /** p_k, the authors' {@code QuantInfo::p}: float(count)/N. */
  double p(int k) {
    return arithmetic.round(
        arithmetic.round((double) (cumCount[slice[k]] - cumCount[begin(k)])) / n);
  }

  /**
   * wp_k, the authors' {@code QuantInfo::wp}: (S[slice[k] − 1] − S[slice[k−1] − 1])/N, where S[−1]
   * (read out of bounds upstream when a slice is 0) is taken as 0.
   */
  double wp(int k) {
    double diff =
        k == 0 ? cumImportance[slice[0]] : cumImportance[slice[k]] - cumImportance[slice[k - 1]];
    return arithmetic.round(arithmetic.round(diff) / n);
  }

  /** −Σ wp_k·ln(p_k/2) over clusters [from, to). */
  private double entropy(int from, int to) {
    double ent = 0;
    for (int k = from; k < to; k++) {
      ent = arithmetic.round(ent - arithmetic.term(wp(k), p(k)));
    }
    return ent;
  }

  /**
   * H over all clusters, as {@code entropy(numLevel % 2, half)} (same terms, same order), with the
   * term of a cluster whose ends did not move since the last pass taken from that pass: after the
   * first passes most clusters stand still.
   */
  private double total() {
    if (!skipRepeats) {
      return entropy(numLevel % 2, half);
    }
    double ent = 0;
    for (int k = numLevel % 2; k < half; k++) {
      int from = begin(k);
      if (termFrom[k] != from || termTo[k] != slice[k]) {
        termFrom[k] = from;
        termTo[k] = slice[k];
        termValue[k] = arithmetic.term(wp(k), p(k));
      }
      ent = arithmetic.round(ent - termValue[k]);
    }
    return ent;
  }

  /** The authors' {@code pEnt(k)}: clusters max(k, numLevel % 2) .. k + 1. */
  private double partial(int k) {
    return entropy(Math.max(k, numLevel % 2), k + 2);
  }

  private double at(int k, int boundary) {
    slice[k] = boundary;
    return partial(k);
  }

  /**
   * {@link #at}, or its value from an earlier step of the same search (the partial entropy at the
   * ends of the range and at lo + 1: the neighbours stand still during a search, so the same
   * candidate gives the same number). Spares about one evaluation in the last steps.
   */
  private double known(int k, int boundary) {
    if (skipRepeats) {
      if (boundary == seenLo) {
        return seenLoValue;
      }
      if (boundary == seenNext) {
        return seenNextValue;
      }
      if (boundary == seenHi) {
        return seenHiValue;
      }
    }
    return at(k, boundary);
  }

  /**
   * The authors' {@code recUpdate(k)}, skipped when boundary k's neighbours are those of its last
   * search (slice[k] is then already that search's result: only update(k) writes it).
   */
  private void update(int k) {
    int lo = begin(k);
    int hi = slice[k + 1] - 1;
    if (skipRepeats && searchedLo[k] == lo && searchedHi[k] == hi) {
      singleCandidates += searchedSingles[k];
      return;
    }
    int before = singleCandidates;
    if (ranges != null && k > 0 && hi > lo) {
      // A range of two or more candidates: no single-candidate count to repeat.
      int slot = ranges.find(lo, hi);
      if (ranges.has(slot)) {
        slice[k] = ranges.result(slot);
      } else {
        search(k, lo, hi);
        ranges.put(slot, lo, hi, slice[k]);
      }
    } else {
      search(k, lo, hi);
    }
    searchedLo[k] = lo;
    searchedHi[k] = hi;
    searchedSingles[k] = singleCandidates - before;
  }

  /** The bisection of {@code recUpdate(k)} over [lo, hi], as a loop that always ends. */
  private void search(int k, int lo, int hi) {
    bisections++;
    seenLo = -1;
    seenNext = -1;
    seenHi = -1;
    while (true) {
      if (hi <= lo) {
        // One candidate (or none): the authors recurse forever here.
        slice[k] = lo;
        singleCandidates++;
        return;
      }
      if (hi - lo == 1) {
        double b = known(k, lo);
        double e = known(k, hi);
        slice[k] = b > e ? lo : hi;
        return;
      }
      int center = (lo + hi) >>> 1;
      double f = known(k, center);
      double g = known(k, center + 1);
      if (f > g) {
        seenHi = center;
        seenHiValue = f;
        hi = center;
      } else {
        seenLo = center;
        seenLoValue = f;
        seenNext = center + 1;
        seenNextValue = g;
        lo = center;
      }
    }
  }
}
