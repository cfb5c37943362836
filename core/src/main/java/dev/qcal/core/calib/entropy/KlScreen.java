package dev.qcal.core.calib.entropy;

import static dev.qcal.core.calib.screen.Float32Error.U;
import static dev.qcal.core.calib.screen.Float32Error.gamma;

import dev.qcal.core.calib.NumpyPairwiseSum;
import dev.qcal.core.calib.screen.Screening;

/**
 * A rigorous interval for one candidate's float32 KL of the signed-window family, in O(groups)
 * instead of O(window), from the closed form of {@link KlClosedForm}: the screen of {@link
 * CppKlWindow} (MXNet, TVM) and {@link NumpyKlWindow} (ORT, MXNet 1.5). A candidate whose interval
 * lies above the smallest upper bound cannot be the tool's pick and is never evaluated bin by bin.
 *
 * <h2>The bound, |V − K| ≤ E</h2>
 *
 * With u = 2^-24, γ_m = m·u/(1 − m·u), and a bound B ≥ Σ|t_k| on the exact terms t_k =
 * a_k·ln(a_k/b_k):
 *
 * <ul>
 *   <li><b>s's own rounding</b>: s = s̃ + ρ with |ρ| ≤ u·s̃ (0 when e = 0); ∂K/∂s_k = (ln(a_k/b_k)
 *       + 1)/P̂, so the change is at most {@code u·(B + Σa)}, up to (1 + 4u).
 *   <li><b>per-term roundings</b>: pn = a(1 + δ1), qn = b(1 + δ2), the ratio (1 + δ3), the log
 *       correctly rounded ({@code (float) Math.log}, |η| ≤ u·|ln r|) and the product (1 + δ4):
 *       |t̂_k − t_k| ≤ a_k·(3u + 3u·|ln(a_k/b_k)|) to first order, hence {@code 3.01·u·(B + Σa)} in
 *       all.
 *   <li><b>the final float sum</b>: numpy's pairwise sum (ORT, MXNet 1.5) is within {@code
 *       γ_d·Σ|t̂|} where d is the deepest chain of additions of {@link NumpyPairwiseSum#sum}
 *       ({@link NumpyPairwiseSum#depth}, 31 for 8001 terms); the C++ left-to-right sum (MXNet, TVM)
 *       is within {@code u·Σ_k |Ŝ_k|} (each addition rounds to within u of its result), and the
 *       partial sums are bounded per group: inside group g they stay within {@code |S_{a_g}| +
 *       neg_g + max(T_g, 0)} where T_g is the group's sum and neg_g its negative part, plus
 *       γ_len·Σ|t̂| for the rounding accumulated so far.
 *   <li><b>B and neg_g</b>: a·ln(a/b) ≥ a − b, so a negative term is at most b − a in size and
 *       {@code neg_g ≤ ½(Σ_g|b − a| + Σ_g(b − a))}; on the non-zero positions b is one constant β
 *       and Cauchy–Schwarz gives {@code Σ|β − a| ≤ sqrt(N·Σ(β − a)²)}, a variance from the prefix
 *       sums of h and h²; then {@code B = Σ_g max(|T_g|, T_g + 2·neg_g)}.
 *   <li><b>unknown sums</b>: when P̂ and Q̂ are only known to lie in intervals (numpy's pairwise
 *       sum of positive terms is within γ_d·S of the exact S; the left-to-right sums of MXNet and
 *       TVM are computed exactly instead, their worst-case bound u·Σ_k S_k ≈ u·len·S/2 being far
 *       too wide to screen with), K is evaluated at the corners: it increases with Q̂ and decreases
 *       with P̂ as long as P̂ &lt; Q̂·e^{1 + A/S} (checked), and the error terms above, evaluated
 *       at the midpoint, are widened by the relative spans.
 * </ul>
 *
 * <h2>The quick bound</h2>
 *
 * Given the smallest upper bound so far, the interval first bounds every quantity of the pass over
 * the groups by the candidate's totals (kept by {@link #load}): Σ|T_g| ≤ (Σ|A_g| +
 * S·|ln(Q̂/P̂)|)/P̂; the Cauchy–Schwarz terms by Σb + sqrt(len·Σa²); neg_g ≤ ½(absDiff_g + Σ_g b);
 * the partial sums by len·(2·Σ|T_g| + Σneg). The error is increasing in B and in the partial-sum
 * bound, so this is a valid, looser interval; when it already lies above the limit the pass is
 * skipped (the estimate is the same). The searches seed the limit first ({@link
 * dev.qcal.core.calib.screen.ScreenedSearch}).
 *
 * <p>Not thread-safe (scratch per candidate); one instance per search.
 */
final class KlScreen extends KlClosedForm {
  /** How the tool sums P, Q and the KL terms. */
  enum Sums {
    /** A float accumulator, left to right (the C++ of MXNet and TVM). */
    LEFT_TO_RIGHT,
    /** numpy's pairwise summation (ORT, MXNet 1.5). */
    PAIRWISE
  }

  /** The screen of the histogram {@code hv} ({@link KlClosedForm#KlClosedForm}). */
  KlScreen(float[] hv, int maxGroups) {
    super(hv, maxGroups);
  }

  /**
   * The interval of the candidate last loaded into {@code out}, its float sums P̂ and Q̂ the given
   * values (left to right: MXNet and TVM, whose own float sums are computed) or bounded (pairwise:
   * ORT and MXNet 1.5, {@code pHat} and {@code qHat} unused). When a quick, looser bound built from
   * the candidate's totals alone (no pass over its groups) already puts the candidate above {@code
   * limit} (the smallest upper bound so far), {@code out} gets that looser interval (the estimate
   * is the same) and the result is true. After {@link #loadClasses} the pass over the groups is not
   * available: unless the quick bound settles the candidate, {@code out} is unknown and the
   * candidate must be {@link #load}ed.
   */
  boolean interval(Sums sums, float pHat, float qHat, double limit, Screening out) {
    double pLo;
    double pHi;
    double qLo;
    double qHi;
    double rho = e == 0 ? 0 : U;
    double sLo = sTotal * (1 - rho) * (1 - D);
    double sHi = sTotal * (1 + rho) * (1 + D);
    if (sums == Sums.LEFT_TO_RIGHT) {
      pLo = pHi = pHat;
      qLo = qHi = qHat;
    } else {
      double g = gamma(pairwiseDepth(len));
      pLo = sLo * (1 - g);
      pHi = sHi * (1 + g);
      qLo = qTotal * (1 - D - qRel) * (1 - g);
      qHi = qTotal * (1 + D + qRel) * (1 + g);
    }
    if (!(pLo > 0 && qLo > 0)) {
      out.unknown();
      return false;
    }
    double crit = Math.exp(1 + aTotal / sTotal);
    // With loadClasses' totals, A is known to within the magnitude: keep clear of the turn by more.
    double margin = 1e-9 + (classTotals ? 4 * magnitude / sTotal : 0);
    if (!(pHi < qLo * crit * (1 - margin))) {
      out.unknown(); // K might not be monotone in P̂ on the interval
      return false;
    }

    double k1 = value(pHi, qLo);
    double k2 = value(pLo, qHi);
    double k3 = value(pLo, qLo);
    double k4 = value(pHi, qHi);
    double kMin = Math.min(Math.min(k1, k2), Math.min(k3, k4));
    double kMax = Math.max(Math.max(k1, k2), Math.max(k3, k4));

    double pm = 0.5 * (pLo + pHi);
    double qm = 0.5 * (qLo + qHi);
    double x = (pHi - pLo) / pLo; // relative spans around the midpoint (generous)
    double y = (qHi - qLo) / qLo;
    double lnQP = Math.log(qm / pm);
    double sumA = sTotal * (1 + rho) / pm;
    double b0 = 0;
    double partial = 0;
    double running = 0;
    double cf = (taylor + magnitude + Math.abs(lnQP) * sTotal * D) / pLo;
    // Reciprocals instead of divisions: these terms only feed the error bound, whose relative
    // slack (the 1.01 and 1e-6 factors) covers a few more roundings.
    double ip = 1 / pm;
    double iq = 1 / qm;
    double epsA = EPS * ip;
    if (limit < Double.POSITIVE_INFINITY) {
      // The quick bound: every quantity of the loop below bounded by the candidate's totals.
      // Σ|t_g| ≤ (Σ|A_g| + S·|ln(Q/P)|)/P̂; each absDiff_g term by its sum (var ≤ (1 + 8D)·(N·β² +
      // Σa²), so sqrt(N·var) ≤ sqrt(1 + 8D)·(N·β + sqrt(N·Σa²)), Σ_g N_g·β_g ≤ Σb and
      // Cauchy–Schwarz
      // over the groups); neg_g ≤ ½(absDiff_g + bMass_g); partial sums ≤ len·(2·Σ|t| + Σneg).
      double sumQ = qTotal * iq;
      double t1 = (absATotal + sTotal * Math.abs(lnQP)) * ip * (1 + 1e-9);
      double ad =
          (sumQ + zeroTotal * epsA)
              + (1 + D) * Math.sqrt(1 + 8 * D) * (sumQ + Math.sqrt(len * Math.max(0, s2Total)) * ip)
              + rho * sTotal * ip
              + 1.01 * (x * sTotal * ip + y * sumQ);
      double negAll = 0.5 * (ad + sumQ) * (1 + 1e-9);
      double partialBound = len * (2 * t1 + negAll);
      if (classTotals && sums == Sums.LEFT_TO_RIGHT) {
        partialBound = Math.min(partialBound, classPartials(ip, iq, t1));
      }
      double quick = error(t1 + 2 * negAll, partialBound, cf, x, y, sumA, rho, sums, kMax - kMin);
      if (kMin - quick > limit) {
        return settle(kMin - quick, kMax + quick, 0.5 * (kMin + kMax), out);
      }
    }
    if (classTotals) {
      out.unknown(); // no per-group arrays: the caller loads the candidate
      return false;
    }
    for (int g = 0; g < groups; g++) {
      double mass = gS[g] + gZ[g] * EPS;
      double t = (gSL[g] + mass * lnQP) * ip;
      double aMass = mass * ip;
      double bMass = gMass[g] * iq;
      double absDiff = 0;
      int nz = gN[g];
      if (gZ[g] > 0) {
        absDiff += gZ[g] * Math.abs(qZ[g] * iq - epsA);
      }
      if (nz > 0) {
        double beta = qNz[g] * iq;
        double sa = gS[g] * ip;
        double s2 = gS2[g] * ip * ip;
        double var = nz * beta * beta - 2 * beta * sa + s2;
        var = Math.max(0, var) + 4 * D * (nz * beta * beta + s2);
        absDiff += Math.sqrt(nz * var) * (1 + D) + rho * sa;
      }
      absDiff += 1.01 * (x * aMass + y * bMass);
      double neg = Math.max(0, 0.5 * (absDiff + (bMass - aMass)));
      double tAbs = Math.max(Math.abs(t), t + 2 * neg);
      b0 += tAbs;
      int width = groupEnd[g] - groupStart[g];
      partial += width * (Math.abs(running) + neg + Math.max(t, 0));
      running += t;
    }
    double err = error(b0, partial, cf, x, y, sumA, rho, sums, kMax - kMin);
    settle(kMin - err, kMax + err, 0.5 * (kMin + kMax), out);
    return false;
  }

  /** [lo, hi] and the estimate into {@code out}; true unless it is unknown (NaN or overflow). */
  private static boolean settle(double lo, double hi, double estimate, Screening out) {
    if (!(lo <= hi) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
      out.unknown();
      return false;
    }
    out.interval(lo, hi, estimate);
    return true;
  }

  /**
   * A bound on Σ_k |S_k|, the partial sums of the terms t_k = a_k·ln(a_k/b_k) in the tool's order,
   * from {@link #loadClasses}' totals (the quick bound's own, len·(2·Σ|t| + Σneg), is dominated by
   * Σneg ≈ Σb ≈ 1). With D_k = Σ_{j≤k} (a_j − b_j) and t ≥ a − b: D_k ≤ S_k ≤ K − (D_len − D_k), so
   * |S_k| ≤ |D_k| + |K| + |D_len| with |K| ≤ Σ|t| ({@code t1}). D moves by a group's mass mismatch
   * between groups and by at most the larger of its two masses inside one, so |D_k| ≤ Σ_g |a_g −
   * b_g| + max_g max(a_g, b_g); the interior's mismatches are bounded by {@code classExcess} (Σ|S_g
   * − Q_g|) and the normalisations' difference.
   */
  private double classPartials(double ip, double iq, double t1) {
    double mismatch = classExcess * ip + classQmass * Math.abs(ip - iq);
    double largest = Math.max(classMaxP * ip, classMaxQ * iq);
    for (int g = 0; g < groups; g++) {
      double mass = gS[g] + gZ[g] * EPS;
      mismatch += Math.abs(mass * ip - gMass[g] * iq);
      largest = Math.max(largest, Math.max(mass * ip, gMass[g] * iq));
    }
    double dLen = Math.abs(sTotal * ip - qTotal * iq);
    return len * (mismatch + largest + t1 + dLen) * (1 + 1e-6);
  }

  /**
   * |V − K| ≤ the returned value, from B ({@code b0}, at the midpoint) and the partial-sum bound
   * ({@code partial}) of {@link #interval}'s pass over the groups (or any larger values).
   */
  private double error(
      double b0,
      double partial,
      double cf,
      double x,
      double y,
      double sumA,
      double rho,
      Sums sums,
      double spread) {
    // Move from the midpoint to any P̂, Q̂ of the intervals (terms scale by 1/(1 + x), shift by
    // a·ln((1 + y)/(1 + x))).
    double shift = 1.01 * (x + y);
    double scale = 1 / (1 - x);
    double bTilde = (b0 + cf) * scale + sumA * shift * scale;
    double bound = (bTilde + 1.0001 * rho * sumA) / (1 - 1.0001 * rho);
    double sumAx = sumA * scale;
    double rhoErr = 1.0001 * rho * (bound + sumAx);
    double perTerm = 3.01 * U * (bound + sumAx);
    double cfErr = cf + rhoErr;
    double absHat = (bound + perTerm) * (1 + 1e-6);
    double sumErr;
    if (sums == Sums.PAIRWISE) {
      sumErr = gamma(pairwiseDepth(len)) * absHat;
    } else {
      double partials = (partial + len * sumA * shift) * scale + len * (cfErr + perTerm + spread);
      sumErr = U * (1 + gamma(len)) * (partials + len * gamma(len) * absHat);
    }
    return (cfErr + perTerm + sumErr) * (1 + 1e-6) + 1e-300;
  }

  private double value(double p, double q) {
    return (aTotal + sTotal * Math.log(q / p)) / p;
  }

  private int depthLen = -1;
  private int depth;

  /** {@link NumpyPairwiseSum#depth}, remembered for the last length (candidates repeat it). */
  private int pairwiseDepth(int m) {
    if (m != depthLen) {
      depth = NumpyPairwiseSum.depth(m);
      depthLen = m;
    }
    return depth;
  }
}
