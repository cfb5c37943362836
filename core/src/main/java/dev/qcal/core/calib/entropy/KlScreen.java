package dev.qcal.core.calib.entropy;

import static dev.qcal.core.calib.screen.Float32Error.U;
import static dev.qcal.core.calib.screen.Float32Error.gamma;

import dev.qcal.core.calib.NumpyPairwiseSum;
import dev.qcal.core.calib.screen.Screening;

/**
 * A rigorous interval for one signed-window candidate's float32 KL in O(groups), or O(1) from class
 * totals, around {@link KlClosedForm}'s exact value (docs/design/entropy-screens.md §3). Not
 * thread-safe.
 */
final class KlScreen extends KlClosedForm {
  /** How the tool sums P, Q and the KL terms: left to right in float (C++), or numpy's pairwise. */
  enum Sums {
    LEFT_TO_RIGHT,
    PAIRWISE
  }

  KlScreen(float[] hv, int maxGroups) {
    super(hv, maxGroups);
  }

  /**
   * The last loaded candidate's interval into {@code out}, P̂ and Q̂ given (left to right) or
   * bounded (pairwise); true when the quick bound (the only one after {@link #addClasses}) settles.
   */
  boolean interval(Sums sums, float pHat, float qHat, double limit, Screening out) {
    double rho = e == 0 ? 0 : U;
    boolean pairwise = sums == Sums.PAIRWISE;
    double gp = pairwise ? gamma(NumpyPairwiseSum.depth(len)) : 0;
    double pLo = pairwise ? sTotal * (1 - rho) * (1 - D) * (1 - gp) : pHat;
    double pHi = pairwise ? sTotal * (1 + rho) * (1 + D) * (1 + gp) : pHat;
    double qLo = pairwise ? qTotal * (1 - D - qRel) * (1 - gp) : qHat;
    double qHi = pairwise ? qTotal * (1 + D + qRel) * (1 + gp) : qHat;
    if (!(pLo > 0 && qLo > 0)) {
      out.unknown();
      return false;
    }
    double crit = Math.exp(1 + aTotal / sTotal);
    // With addClasses' totals, A is known to within the magnitude: keep clear of the turn by more.
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
    // Reciprocals instead of divisions: the bound's slack covers the extra roundings.
    double ip = 1 / pm;
    double iq = 1 / qm;
    double epsA = EPS * ip;
    if (limit < Double.POSITIVE_INFINITY) { // the quick bound (§3): the loop's terms by the totals
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

  /** A bound on Σ_k |S_k| from class totals (docs/design/entropy-screens.md §3, last part). */
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

  /** |V − K| ≤ the result, from B ({@code b0}) and the partial-sum bound (or larger values). */
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
    // From the midpoint to any P̂, Q̂ of the intervals.
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
      sumErr = gamma(NumpyPairwiseSum.depth(len)) * absHat;
    } else {
      double partials = (partial + len * sumA * shift) * scale + len * (cfErr + perTerm + spread);
      sumErr = U * (1 + gamma(len)) * (partials + len * gamma(len) * absHat);
    }
    return (cfErr + perTerm + sumErr) * (1 + 1e-6) + 1e-300;
  }

  private double value(double p, double q) {
    return (aTotal + sTotal * Math.log(q / p)) / p;
  }
}
