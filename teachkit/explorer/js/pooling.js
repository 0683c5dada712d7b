/*
 * Tab 4, partial pooling in two dimensions: each group's least-squares line (no pooling)
 * against its exact conditional posterior mean given the population (partial pooling).
 *
 * Group j (a station, on the lecture's page) has n rows (x_i, y_i) with
 * y_i = alpha_j + beta_j (x_i - c) + Normal(0, sigma), c the point where intercepts are read
 * (0 unless x was centred), and theta_j = (alpha_j, beta_j) ~ N(mu, Sigma),
 * Sigma = diag(sa, sb) R diag(sa, sb). With X the n x 2 matrix of rows (1, x_i - c), given
 * mu, Sigma and sigma the posterior of theta_j is
 * normal (the Gaussian conjugate update, e.g. Gelman et al., Bayesian Data Analysis, 3rd ed.,
 * section 14.8) with
 *     precision  P = Sigma^-1 + X'X / sigma^2,
 *     mean       P^-1 (Sigma^-1 mu + X'y / sigma^2),
 * a precision-weighted average of mu and the least-squares estimate (X'X)^-1 X'y. Fewer rows
 * make X'X smaller, so the mean moves towards mu, along the directions Sigma makes cheap.
 *
 * The readout's shrinkage of a group is the share of its no-pooling distance to mu that
 * partial pooling removes, distances measured in the population's own metric (Mahalanobis,
 * sqrt(d' Sigma^-1 d)): 1 - |pp - mu| / |np - mu|; 0 = no pooling, 1 = complete pooling.
 */
(function (teachkit) {
  "use strict";

  const MAX_DAYS = 400;

  /** Slider position (log10 rows) to a whole number of rows, at most `max`, as displayed. */
  function daysFromSlider(position, max = MAX_DAYS) {
    return Math.max(1, Math.min(max, Math.round(Math.pow(10, position))));
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

  /** X'X and X'y of the first n rows, X with rows (1, x_i - c); c defaults to 0. */
  function crossProducts(x, y, n, c = 0) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let sy = 0;
    let sty = 0;
    for (let i = 0; i < n; i++) {
      const u = x[i] - c;
      s0 += 1;
      s1 += u;
      s2 += u * u;
      sy += y[i];
      sty += u * y[i];
    }
    return {
      xtx: [
        [s0, s1],
        [s1, s2],
      ],
      xty: [sy, sty],
    };
  }

  /** Least squares (alpha, beta); NaNs when the line is not determined (n < 2, equal x). */
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

  /**
   * Mean over groups of 1 - |pp - mu| / |np - mu| (Mahalanobis under Sigma), over the groups
   * whose no-pooling line is determined; NaN when none is (n < 2).
   */
  function meanShrinkage(est, mu, cov) {
    const precision = inverse2(cov);
    const shares = est.np_alpha.map((_, j) => {
      const np = [est.np_alpha[j], est.np_beta[j]];
      const pp = [est.pp_alpha[j], est.pp_beta[j]];
      return 1 - mahalanobis(pp, mu, precision) / mahalanobis(np, mu, precision);
    });
    return teachkit.summary.mean(shares.filter((x) => Number.isFinite(x)));
  }

  /** Rows of the data source by group (rows come sorted by group, each group's in order). */
  const groupsCache = new WeakMap();
  function rowGroups(source, nGroups) {
    if (groupsCache.has(source)) return groupsCache.get(source);
    const { group, x, y } = source.data;
    const groups = Array.from({ length: nGroups }, () => ({ x: [], y: [] }));
    for (let i = 0; i < group.length; i++) {
      groups[group[i]].x.push(x[i]);
      groups[group[i]].y.push(y[i]);
    }
    groupsCache.set(source, groups);
    return groups;
  }

  /** Estimates of every group for n rows and the given hyperparameters; intercepts at c. */
  function estimates(groups, n, mu, cov, sigma, c = 0) {
    const out = { n_days: [], np_alpha: [], np_beta: [], pp_alpha: [], pp_beta: [] };
    for (const g of groups) {
      const used = Math.min(n, g.x.length);
      const cp = crossProducts(g.x, g.y, used, c);
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
    const names = args.groups.data.name;
    const colors = args.groups.data.color;
    const groups = rowGroups(args.data, names.length);
    const n = daysFromSlider(args.days_slider.value, args.max_rows);
    const c = args.x_center;
    const words = args.words;
    const digits = args.digits;
    const sa = args.sa_slider.value;
    const sb = args.sb_slider.value;
    const rho = args.rho_slider.value;
    const sigma = args.sigma_slider.value;
    const mu = [args.mu_alpha, args.mu_beta];
    const cov = mvn.covariance(sa, sb, rho);

    const est = estimates(groups, n, mu, cov, sigma, c);
    args.estimates.data = { name: names, color: colors, ...est };
    const rings = mvn.MASSES.map((m) => mvn.ellipse(mu, cov, m));
    args.rings.data = { xs: rings.map((r) => r.x), ys: rings.map((r) => r.y) };

    // the chosen group: its rows and three lines
    const j = Math.max(0, names.indexOf(args.group_select.value));
    const g = groups[j];
    const used = est.n_days[j];
    args.group_points.data = { x: g.x.slice(0, used), y: g.y.slice(0, used) };
    const t = [args.x_lo, args.x_hi];
    const line = (a, b) => ({ x: t, y: t.map((x) => a + b * (x - c)) });
    args.line_np.data = line(est.np_alpha[j], est.np_beta[j]);
    args.line_pp.data = line(est.pp_alpha[j], est.pp_beta[j]);
    args.line_pop.data = line(mu[0], mu[1]);
    args.group_points_renderer.glyph.fill_color = colors[j];
    args.line_np_renderer.glyph.line_color = colors[j];
    args.line_pp_renderer.glyph.line_color = colors[j];

    const v = format.value;
    const esc = format.escapeHtml;
    const fa = (x) => format.fixed(x, digits.alpha);
    const fb = (x) => format.fixed(x, digits.beta);
    const la = (x) => format.fixed(x, digits.line_alpha);
    const lb = (x) => format.fixed(x, digits.line_beta);
    // "a − b x" for a negative slope, not "a + −b x"
    const slopeTerm = (x) => {
      const text = lb(x);
      return text.startsWith(format.MINUS) ? `${format.MINUS} ${text.slice(1)}` : `+ ${text}`;
    };
    const note =
      n < 2
        ? `<div class='tk-formula'>one ${esc(words.row)} fixes no line: ` +
          "no-pooling estimates need two</div>"
        : "";
    const shrinkage = meanShrinkage(est, mu, cov);
    const group = esc(words.group);
    args.readout.text =
      `<div class="tk-settings">${v("days", String(n))} ${esc(words.rows)} per ${group}<br>` +
      `shrinkage towards μ: ${v("shrinkage", format.fixed(100 * shrinkage, 0))}%</div>` +
      note +
      `<div class="tk-settings">sd of the ${names.length} ${esc(words.groups)}' estimates:</div>` +
      format.table(
        [
          [
            "\u03b1<sub>j</sub>",
            v("sd_alpha_np", fa(summary.sd(finite(est.np_alpha)))),
            v("sd_alpha_pp", fa(summary.sd(est.pp_alpha))),
            fa(sa),
          ],
          [
            "\u03b2<sub>j</sub>",
            v("sd_beta_np", fb(summary.sd(finite(est.np_beta)))),
            v("sd_beta_pp", fb(summary.sd(est.pp_beta))),
            fb(sb),
          ],
        ],
        ["", "no pooling", "partial", "population \u03c3"],
      ) +
      `<div class="tk-settings">${esc(names[j])}: ` +
      `no pooling ${la(est.np_alpha[j])} ${slopeTerm(est.np_beta[j])} ${esc(words.x_term)}, ` +
      `partial ${la(est.pp_alpha[j])} ${slopeTerm(est.pp_beta[j])} ${esc(words.x_term)}</div>`;
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
