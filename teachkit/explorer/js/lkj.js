/*
 * Tab 1, the LKJ prior: draws of a correlation matrix by the onion method, and the exact
 * marginal of one correlation, side by side as eta and the dimension change.
 *
 * LKJ(eta) has density proportional to det(R)^(eta - 1) over the d x d correlation matrices
 * (Lewandowski, Kurowicka and Joe 2009, "Generating random correlation matrices based on vines
 * and extended onion method", J. Multivariate Anal. 100).
 *  - Draws: the onion method in Cholesky form (their section 3.2, as teachkit.lkj does it):
 *    row 0 of L is (1, 0, ..., 0); row i is (sqrt(y) u, sqrt(1 - y)) with
 *    y ~ Beta(i / 2, eta + (d - 1 - i) / 2) and u uniform on the unit sphere in R^i; R = L L^T.
 *  - Marginal: every off-diagonal entry r has (r + 1) / 2 ~ Beta(b, b), b = eta - 1 + d / 2,
 *    so sd(r) = 1 / sqrt(2 b + 1) and P(|r| > t) = 2 I_{(1 - t) / 2}(b, b).
 */
(function (teachkit) {
  "use strict";

  const N_DRAWS = 5000; // draws per update; Monte-Carlo sd of P(|rho| > 0.5) is at most 0.007
  const SEED = 20090301; // reseeded on every update: the same settings give the same picture
  const BINS = 40;
  const THRESHOLD = 0.5; // the readout's P(|rho| > 0.5)
  const GRID = 401;

  /** Slider position (log10 eta) to eta, rounded to 2 significant digits as displayed. */
  function etaFromSlider(position) {
    return Number(Math.pow(10, position).toPrecision(2));
  }

  /** Shape b of the marginal: (r + 1) / 2 ~ Beta(b, b). */
  function marginalShape(eta, dim) {
    return eta - 1 + dim / 2;
  }

  /** Exact density of one off-diagonal entry: (1 - r^2)^(b - 1) / (2^(2b - 1) B(b, b)). */
  function marginalPdf(r, eta, dim) {
    if (!(Math.abs(r) < 1)) return 0;
    const b = marginalShape(eta, dim);
    const logDensity =
      (b - 1) * Math.log1p(-r * r) - (2 * b - 1) * Math.LN2 - teachkit.special.betaln(b, b);
    return Math.exp(logDensity);
  }

  function marginalSd(eta, dim) {
    return 1 / Math.sqrt(2 * marginalShape(eta, dim) + 1);
  }

  /** P(|r| > t) for one off-diagonal entry, 0 <= t < 1. */
  function probAbsAbove(t, eta, dim) {
    const b = marginalShape(eta, dim);
    return 2 * teachkit.special.betainc((1 - t) / 2, b, b);
  }

  /** Cholesky factor of one LKJ(eta) draw by the onion method; rows as arrays. */
  function onionCholesky(eta, dim, rng) {
    const L = [[1]];
    for (let i = 1; i < dim; i++) {
      const y = rng.beta(i / 2, eta + (dim - 1 - i) / 2);
      const z = Array.from({ length: i }, () => rng.normal());
      const norm = Math.hypot(...z);
      const row = z.map((zk) => (Math.sqrt(y) * zk) / norm);
      row.push(Math.sqrt(1 - y));
      L.push(row);
    }
    return L;
  }

  /**
   * `n` draws of the correlation between the last two variables, R[d-2, d-1] = L[d-2] . L[d-1]
   * (every entry has the same marginal; the last pair uses every step of the construction).
   */
  function sampleCorrelation(eta, dim, n, rng) {
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const L = onionCholesky(eta, dim, rng);
      const a = L[dim - 2];
      const b = L[dim - 1];
      let r = 0;
      for (let j = 0; j < a.length; j++) r += a[j] * b[j];
      out[k] = r;
    }
    return out;
  }

  /** Redraw tab 1 from its sliders. */
  function update({ eta_slider, dim_slider, hist, density, readout, y_range }) {
    const { summary, format } = teachkit;
    const eta = etaFromSlider(eta_slider.value);
    const dim = Math.round(dim_slider.value);
    const draws = sampleCorrelation(eta, dim, N_DRAWS, new teachkit.random.Random(SEED));

    const h = summary.histogram(draws, -1, 1, BINS);
    hist.data = { lo: h.lo, hi: h.hi, density: h.density };
    // keep the grid off the endpoints: for b < 1 the density is infinite there
    const r = summary.linspace(-0.999, 0.999, GRID);
    const pdf = r.map((x) => marginalPdf(x, eta, dim));
    density.data = { r, pdf };
    const inner = pdf.filter((_, i) => Math.abs(r[i]) <= 0.95);
    y_range.start = 0;
    y_range.end = 1.12 * Math.max(...h.density, ...inner);

    const b = marginalShape(eta, dim);
    const v = format.value;
    const f3 = (x) => format.fixed(x, 3);
    readout.text =
      `<div class="tk-formula">(\u03c1 + 1) / 2 ~ Beta(b, b)<br>` +
      `b = \u03b7 \u2212 1 + d/2 = ${v("b", f3(b))}</div>` +
      `<div class="tk-settings">\u03b7 = ${v("eta", format.significant(eta, 2))}, ` +
      `d = ${v("dim", String(dim))}, ${N_DRAWS} draws</div>` +
      format.table(
        [
          ["sd(\u03c1)", v("sd_exact", f3(marginalSd(eta, dim))), v("sd_sampled", f3(summary.sd(draws)))],
          [
            `P(|\u03c1| &gt; ${THRESHOLD})`,
            v("p_exact", f3(probAbsAbove(THRESHOLD, eta, dim))),
            v("p_sampled", f3(summary.fraction(draws, (x) => Math.abs(x) > THRESHOLD))),
          ],
        ],
        ["", "exact", "sampled"],
      );
  }

  teachkit.lkj = {
    N_DRAWS,
    SEED,
    BINS,
    etaFromSlider,
    marginalShape,
    marginalPdf,
    marginalSd,
    probAbsAbove,
    onionCholesky,
    sampleCorrelation,
    update,
  };
})((globalThis.teachkit = globalThis.teachkit || {}));
