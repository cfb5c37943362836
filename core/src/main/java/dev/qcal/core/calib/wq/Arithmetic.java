package dev.qcal.core.calib.wq;

/** How the weight search computes its entropies. Package-private. */
enum Arithmetic {
  /**
   * As the authors' {@code QuantInfo<float>}: every operation rounded to float32, and an empty
   * cluster's 0·log 0 left as NaN (which loses every comparison, so the search moves away from it).
   */
  AUTHORS_FLOAT32,
  /** Double arithmetic, 0·log 0 = 0 (the limit). */
  FLOAT64;

  double round(double v) {
    return this == AUTHORS_FLOAT32 ? (float) v : v;
  }

  /** wp·ln(p/2), the term of cluster k. */
  double term(double wp, double p) {
    if (this == FLOAT64) {
      return p == 0 ? 0 : wp * Math.log(p / 2);
    }
    double half = (float) (p / 2);
    return (float) (wp * (float) Math.log(half));
  }
}
