/*
 * Tab 4, partial pooling in two dimensions: each station's least-squares line (no pooling)
 * against its exact conditional posterior mean given the population (partial pooling).
 *
 * Station j has n days (T_i, y_i) with y_i = alpha_j + beta_j T_i + Normal(0, sigma), and
 * theta_j = (alpha_j, beta_j) ~ N(mu, Sigma), Sigma = diag(sa, sb) R diag(sa, sb). With
 * X the n x 2 matrix of rows (1, T_i), given mu, Sigma and sigma the posterior of theta_j is
 * normal (the Gaussian conjugate update, e.g. Gelman et al., Bayesian Data Analysis, 3rd ed.,
 * section 14.8) with
 *     precision  P = Sigma^-1 + X'X / sigma^2,
 *     mean       P^-1 (Sigma^-1 mu + X'y / sigma^2),
 * a precision-weighted average of mu and the least-squares estimate (X'X)^-1 X'y. Fewer days
 * make X'X smaller, so the mean moves towards mu, along the directions Sigma makes cheap.
 *
 * The readout's shrinkage of a station is the share of its no-pooling distance to mu that
 * partial pooling removes, distances measured in the population's own metric (Mahalanobis,
 * sqrt(d' Sigma^-1 d)): 1 - |pp - mu| / |np - mu|; 0 = no pooling, 1 = complete pooling.
 */
(function (teachkit) {
  "use strict";

  const MAX_DAYS = 400;

  /** Slider position (log10 days) to a whole number of days, as displayed. */
  function daysFromSlider(position) {
    return Math.max(1, Math.min(MAX_DAYS, Math.round(Math.pow(10, position))));
  }

  function inverse2(m) {
    const det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    return [
      [m[1][1] / det, -m[0][1] / det],
      [-m[1][0] / det, m[0][0] / det],
    ];
  }

  function times2(m, v) {
    return [m[0][0] * v[0] + m[0][1] * v[1], m[1][0] * v[0] + m[1][1] * v[1]];
  }

  /** X'X and X'y of the first n days, X with rows (1, T_i). */
  function crossProducts(temp, y, n) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let sy = 0;
    let sty = 0;
    for (let i = 0; i < n; i++) {
      s0 += 1;
      s1 += temp[i];
      s2 += temp[i] * temp[i];
      sy += y[i];
      sty += temp[i] * y[i];
    }
    return {
      xtx: [
        [s0, s1],
        [s1, s2],
      ],
      xty: [sy, sty],
    };
  }

  /** Least squares (alpha, beta); NaNs when the line is not determined (n < 2, equal T). */
  function noPooling({ xtx, xty }) {
    const det = xtx[0][0] * xtx[1][1] - xtx[0][1] * xtx[1][0];
    if (xtx[0][0] < 2 || !(det > 1e-9 * xtx[0][0] * xtx[1][1])) return [NaN, NaN];
    return times2(inverse2(xtx), xty);
  }

  /** Conditional posterior mean of (alpha, beta) given mu, Sigma and sigma. */
  function partialPooling({ xtx, xty }, mu, cov, sigma) {
    const prior = inverse2(cov);
    const w = 1 / (sigma * sigma);
    const precision = [
      [prior[0][0] + w * xtx[0][0], prior[0][1] + w * xtx[0][1]],
      [prior[1][0] + w * xtx[1][0], prior[1][1] + w * xtx[1][1]],
    ];
    const pm = times2(prior, mu);
    return times2(inverse2(precision), [pm[0] + w * xty[0], pm[1] + w * xty[1]]);
  }

  /** Mahalanobis length sqrt(d' P d) of d = x - mu, P a precision matrix. */
  function mahalanobis(x, mu, precision) {
    const d = [x[0] - mu[0], x[1] - mu[1]];
    const pd = times2(precision, d);
    return Math.sqrt(d[0] * pd[0] + d[1] * pd[1]);
  }

  /** Mean over stations of 1 - |pp - mu| / |np - mu| (Mahalanobis under Sigma); NaN if n < 2. */
  function meanShrinkage(est, mu, cov) {
    const precision = inverse2(cov);
    const shares = est.np_alpha.map((_, j) => {
      const np = [est.np_alpha[j], est.np_beta[j]];
      const pp = [est.pp_alpha[j], est.pp_beta[j]];
      return 1 - mahalanobis(pp, mu, precision) / mahalanobis(np, mu, precision);
    });
    return teachkit.summary.mean(shares);
  }

  /** Rows of the data source grouped by station (rows come sorted by station, days in order). */
  const groupsCache = new WeakMap();
  function stationGroups(source, nStations) {
    if (groupsCache.has(source)) return groupsCache.get(source);
    const { station, temp, log_ozone } = source.data;
    const groups = Array.from({ length: nStations }, () => ({ temp: [], y: [] }));
    for (let i = 0; i < station.length; i++) {
      groups[station[i]].temp.push(temp[i]);
      groups[station[i]].y.push(log_ozone[i]);
    }
    groupsCache.set(source, groups);
    return groups;
  }

  /** Estimates of every station for n days and the given hyperparameters. */
  function estimates(groups, n, mu, cov, sigma) {
    const out = { n_days: [], np_alpha: [], np_beta: [], pp_alpha: [], pp_beta: [] };
    for (const g of groups) {
      const used = Math.min(n, g.temp.length);
      const cp = crossProducts(g.temp, g.y, used);
      const np = noPooling(cp);
      const pp = partialPooling(cp, mu, cov, sigma);
      out.n_days.push(used);
      out.np_alpha.push(np[0]);
      out.np_beta.push(np[1]);
      out.pp_alpha.push(pp[0]);
      out.pp_beta.push(pp[1]);
    }
    return out;
  }

  function finite(values) {
    return values.filter((x) => Number.isFinite(x));
  }

  /** Redraw tab 4 from its sliders. */
  function update(args) {
    const { format, summary, mvn } = teachkit;
    const names = args.stations.data.name;
    const colors = args.stations.data.color;
    const groups = stationGroups(args.data, names.length);
    const n = daysFromSlider(args.days_slider.value);
    const sa = args.sa_slider.value;
    const sb = args.sb_slider.value;
    const rho = args.rho_slider.value;
    const sigma = args.sigma_slider.value;
    const mu = [args.mu_alpha, args.mu_beta];
    const cov = mvn.covariance(sa, sb, rho);

    const est = estimates(groups, n, mu, cov, sigma);
    args.estimates.data = { name: names, color: colors, ...est };
    const rings = mvn.MASSES.map((m) => mvn.ellipse(mu, cov, m));
    args.rings.data = { xs: rings.map((r) => r.x), ys: rings.map((r) => r.y) };

    // the chosen station: its days and three lines
    const j = Math.max(0, names.indexOf(args.station_select.value));
    const g = groups[j];
    const used = est.n_days[j];
    args.station_points.data = { temp: g.temp.slice(0, used), log_ozone: g.y.slice(0, used) };
    const t = [args.temp_lo, args.temp_hi];
    const line = (a, b) => ({ temp: t, log_ozone: t.map((x) => a + b * x) });
    args.line_np.data = line(est.np_alpha[j], est.np_beta[j]);
    args.line_pp.data = line(est.pp_alpha[j], est.pp_beta[j]);
    args.line_pop.data = line(mu[0], mu[1]);
    args.station_points_renderer.glyph.fill_color = colors[j];
    args.line_np_renderer.glyph.line_color = colors[j];
    args.line_pp_renderer.glyph.line_color = colors[j];

    const v = format.value;
    const f2 = (x) => format.fixed(x, 2);
    const f3 = (x) => format.fixed(x, 3);
    const f4 = (x) => format.fixed(x, 4);
    const note =
      n < 2 ? "<div class='tk-formula'>one day fixes no line: no-pooling estimates need two</div>" : "";
    const shrinkage = meanShrinkage(est, mu, cov);
    args.readout.text =
      `<div class="tk-settings">${v("days", String(n))} days per station<br>` +
      `shrinkage towards μ: ${v("shrinkage", format.fixed(100 * shrinkage, 0))}%</div>` +
      note +
      `<div class="tk-settings">sd of the ${names.length} stations' estimates:</div>` +
      format.table(
        [
          [
            "\u03b1<sub>j</sub>",
            v("sd_alpha_np", f2(summary.sd(finite(est.np_alpha)))),
            v("sd_alpha_pp", f2(summary.sd(est.pp_alpha))),
            f2(sa),
          ],
          [
            "\u03b2<sub>j</sub>",
            v("sd_beta_np", f4(summary.sd(finite(est.np_beta)))),
            v("sd_beta_pp", f4(summary.sd(est.pp_beta))),
            f4(sb),
          ],
        ],
        ["", "no pooling", "partial", "population \u03c3"],
      ) +
      `<div class="tk-settings">${format.escapeHtml(names[j])}: ` +
      `no pooling ${f2(est.np_alpha[j])} + ${f3(est.np_beta[j])} T, ` +
      `partial ${f2(est.pp_alpha[j])} + ${f3(est.pp_beta[j])} T</div>`;
  }

  teachkit.pooling = {
    MAX_DAYS,
    daysFromSlider,
    crossProducts,
    noPooling,
    partialPooling,
    estimates,
    mahalanobis,
    meanShrinkage,
    update,
  };
})((globalThis.teachkit = globalThis.teachkit || {}));
