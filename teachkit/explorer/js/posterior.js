/*
 * Tab 5, the real posterior: draws of the covarying model's fit, embedded when the page was
 * built. Histogram of rho's posterior over its LKJ(eta) prior (for d = 2 the prior of rho is
 * (rho + 1) / 2 ~ Beta(eta, eta), drawn with teachkit.lkj.marginalPdf), and one group's
 * fitted lines alpha_j + beta_j (x - c) over its rows (c = 0 unless x was centred).
 */
(function (teachkit) {
  "use strict";

  const BINS = 40;
  const HDI_MASS = 0.94; // the central interval shown, as in the lecture's summaries

  /** Redraw tab 5: rho's histogram and prior, and the chosen group's lines. */
  function update(args) {
    const { summary, format, lkj } = teachkit;
    const rho = Array.from(args.rho.data.rho);
    const eta = args.prior_eta;
    const r = summary.linspace(-0.999, 0.999, 401);
    const prior = r.map((x) => lkj.marginalPdf(x, eta, 2));
    args.prior.data = { r, pdf: prior };
    args.y_range.start = 0;
    args.y_range.end = 1.1 * Math.max(...prior);
    const v = format.value;
    const f2 = (x) => format.fixed(x, 2);
    if (rho.length === 0) {
      args.hist.data = { lo: [], hi: [], density: [] };
      args.readout.text =
        `<div class="tk-badge tk-bad">no fit embedded</div>` +
        `<div class="tk-formula">This page was built without a stored fit of the covarying ` +
        `model, so only the LKJ(${eta}) prior of \u03c1 is shown.</div>`;
      return;
    }
    const h = summary.histogram(rho, -1, 1, BINS);
    args.hist.data = { lo: h.lo, hi: h.hi, density: h.density };
    args.y_range.end = 1.1 * Math.max(...prior, ...h.density);
    const tail = (1 - HDI_MASS) / 2;
    const rows = [
      [
        "\u03c1",
        v("rho_mean", f2(summary.mean(rho))),
        `[${v("rho_lo", f2(summary.quantile(rho, tail)))}, ` +
          `${v("rho_hi", f2(summary.quantile(rho, 1 - tail)))}]`,
      ],
    ];
    const hyper = args.hyper.data;
    for (let i = 0; i < hyper.name.length; i++) {
      const digits = hyper.digits[i];
      rows.push([
        hyper.label[i],
        v(`${hyper.name[i]}_mean`, format.fixed(hyper.mean[i], digits)),
        `[${format.fixed(hyper.lo[i], digits)}, ${format.fixed(hyper.hi[i], digits)}]`,
      ]);
    }
    const pNeg = summary.fraction(rho, (x) => x < 0);
    args.readout.text =
      `<div class="tk-settings">${v("n_draws", String(rho.length))} posterior draws; ` +
      `P(\u03c1 &lt; 0) = ${v("p_negative", f2(pNeg))} (prior: 0.50)</div>` +
      format.table(rows, ["", "mean", `${Math.round(100 * HDI_MASS)}% interval`]);

    updateGroup(args);
  }

  /** The chosen group: its rows, its lines from posterior draws, and the population line. */
  function updateGroup(args) {
    const st = args.groups.data;
    const j = Math.max(0, st.name.indexOf(args.group_select.value));
    const t = [args.x_lo, args.x_hi];
    const c = args.x_center;
    const line = (a, b) => t.map((x) => a + b * (x - c));

    const pts = args.points.data;
    const x = [];
    const y = [];
    for (let i = 0; i < pts.group.length; i++) {
      if (pts.group[i] === j) {
        x.push(pts.x[i]);
        y.push(pts.y[i]);
      }
    }
    args.group_points.data = { x, y };

    const dr = args.draws.data;
    const xs = [];
    const ys = [];
    for (let i = 0; i < dr.group.length; i++) {
      if (dr.group[i] === j) {
        xs.push(t);
        ys.push(line(dr.alpha[i], dr.beta[i]));
      }
    }
    args.group_draws.data = { xs, ys };
    args.group_mean.data = { x: t, y: line(st.alpha_mean[j], st.beta_mean[j]) };
    args.population.data = { x: t, y: line(args.mu_alpha, args.mu_beta) };
    const others = st.name.map((_, k) => k).filter((k) => k !== j);
    args.other_means.data = {
      xs: others.map(() => t),
      ys: others.map((k) => line(st.alpha_mean[k], st.beta_mean[k])),
    };
    args.points_renderer.glyph.fill_color = st.color[j];
    args.draws_renderer.glyph.line_color = st.color[j];
    args.mean_renderer.glyph.line_color = st.color[j];

    const { format } = teachkit;
    const esc = format.escapeHtml;
    const words = args.words;
    args.group_readout.text =
      `<div class="tk-settings">${esc(st.name[j])}: ` +
      `${format.value("group_alpha", format.fixed(st.alpha_mean[j], args.digits.alpha))} + ` +
      `${format.value("group_beta", format.fixed(st.beta_mean[j], args.digits.beta))} ` +
      `${esc(words.x_term)} (posterior means); ${x.length} of its ${esc(words.rows)} drawn</div>`;
  }

  teachkit.posterior = { BINS, HDI_MASS, update, updateGroup };
})((globalThis.teachkit = globalThis.teachkit || {}));
