/*
 * Summaries of draws: histograms scaled as densities, means, standard deviations, quantiles.
 */
(function (teachkit) {
  "use strict";

  /**
   * Histogram of `values` on `bins` equal bins over [lo, hi], scaled as a density (area 1 over
   * all values, so it can be drawn over an exact density). Values outside [lo, hi] are dropped
   * from the bars but still count in the total.
   * Returns arrays {lo, hi, density, count}: bin edges, heights and counts, ready for a Bokeh
   * quad glyph standing up (left=lo, right=hi, top=density) or lying down (bottom=lo, top=hi,
   * right=density).
   */
  function histogram(values, lo, hi, bins) {
    const width = (hi - lo) / bins;
    const count = new Array(bins).fill(0);
    for (const v of values) {
      if (!(v >= lo && v <= hi)) continue;
      count[Math.min(bins - 1, Math.floor((v - lo) / width))] += 1;
    }
    const n = values.length;
    return {
      lo: count.map((_, i) => lo + i * width),
      hi: count.map((_, i) => lo + (i + 1) * width),
      density: count.map((k) => (n > 0 ? k / (n * width) : 0)),
      count,
    };
  }

  function mean(values) {
    let total = 0;
    for (const v of values) total += v;
    return total / values.length;
  }

  /** Sample standard deviation (divisor n - 1). */
  function sd(values) {
    const m = mean(values);
    let total = 0;
    for (const v of values) total += (v - m) ** 2;
    return Math.sqrt(total / (values.length - 1));
  }

  /** Sample correlation of two equally long arrays. */
  function correlation(x, y) {
    const mx = mean(x);
    const my = mean(y);
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) ** 2;
      syy += (y[i] - my) ** 2;
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  /** Quantile q of the values, linear interpolation between order statistics (numpy's default). */
  function quantile(values, q) {
    const sorted = Array.from(values).sort((a, b) => a - b);
    const pos = q * (sorted.length - 1);
    const i = Math.floor(pos);
    const frac = pos - i;
    return i + 1 < sorted.length ? sorted[i] + frac * (sorted[i + 1] - sorted[i]) : sorted[i];
  }

  /** Fraction of values for which predicate(v) is true. */
  function fraction(values, predicate) {
    let k = 0;
    for (const v of values) if (predicate(v)) k += 1;
    return k / values.length;
  }

  /** `n` evenly spaced numbers from lo to hi, both included. */
  function linspace(lo, hi, n) {
    return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  }

  teachkit.summary = { histogram, mean, sd, correlation, quantile, fraction, linspace };
})((globalThis.teachkit = globalThis.teachkit || {}));
