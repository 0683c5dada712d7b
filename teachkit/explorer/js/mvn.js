/*
 * Tab 2, the bivariate normal: Sigma = diag(sigma) R diag(sigma), draws x = L z, the regions
 * holding 50% and 94% of the probability, and the marginals beside those of the independent
 * normal with the same sds (the lecture's "can't tell them apart" slide).
 *
 * For Sigma = [[sa^2, rho sa sb], [rho sa sb, sb^2]] the Cholesky factor is
 * L = [[sa, 0], [rho sb, sb sqrt(1 - rho^2)]], and z ~ N(0, I) gives L z ~ N(0, Sigma).
 * (x - mu)' Sigma^-1 (x - mu) is chi-square with 2 degrees of freedom, so the region of mass p
 * is the ellipse mu + r L (cos t, sin t) with r = sqrt(-2 log(1 - p)) (as teachkit.mvn.ellipse).
 */
(function (teachkit) {
  "use strict";

  const N_DRAWS = 800;
  const SEED = 1958;
  const MASSES = [0.5, 0.94];
  const BINS = 30;
  const ELLIPSE_POINTS = 200;

  /** [[sa^2, rho sa sb], [rho sa sb, sb^2]]. */
  function covariance(sa, sb, rho) {
    return [
      [sa * sa, rho * sa * sb],
      [rho * sa * sb, sb * sb],
    ];
  }

  /** Lower Cholesky factor of a 2 x 2 covariance (a zero pivot gives a zero column). */
  function cholesky2(cov) {
    const l11 = Math.sqrt(cov[0][0]);
    const l21 = l11 > 0 ? cov[1][0] / l11 : 0;
    const l22 = Math.sqrt(Math.max(0, cov[1][1] - l21 * l21));
    return [
      [l11, 0],
      [l21, l22],
    ];
  }

  /** Mahalanobis radius of the central region of mass p of a 2-D normal. */
  function ellipseRadius(mass) {
    return Math.sqrt(-2 * Math.log(1 - mass));
  }

  /** Boundary {x, y} of the region holding `mass` of N(mean, cov). */
  function ellipse(mean, cov, mass, nPoints = ELLIPSE_POINTS) {
    const L = cholesky2(cov);
    const r = ellipseRadius(mass);
    const x = [];
    const y = [];
    for (let i = 0; i < nPoints; i++) {
      const t = (2 * Math.PI * i) / (nPoints - 1);
      const c = r * Math.cos(t);
      const s = r * Math.sin(t);
      x.push(mean[0] + L[0][0] * c);
      y.push(mean[1] + L[1][0] * c + L[1][1] * s);
    }
    return { x, y };
  }

  /** `n` draws of N(0, cov) as {x, y}. */
  function sample(cov, n, rng) {
    const L = cholesky2(cov);
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const z1 = rng.normal();
      const z2 = rng.normal();
      x[i] = L[0][0] * z1;
      y[i] = L[1][0] * z1 + L[1][1] * z2;
    }
    return { x, y };
  }

  /** Both ellipses of N(0, cov) as multi_line columns. */
  function ellipseColumns(cov) {
    const rings = MASSES.map((m) => ellipse([0, 0], cov, m));
    return {
      xs: rings.map((r) => r.x),
      ys: rings.map((r) => r.y),
      mass: MASSES.map((m) => `${Math.round(100 * m)}%`),
    };
  }

  /** Sigma written out: diag(sigma) R diag(sigma) = Sigma, with the current numbers. */
  function sigmaHtml(sa, sb, rho) {
    const { fixed, matrix, value } = teachkit.format;
    const f2 = (x) => fixed(x, 2);
    const cov = covariance(sa, sb, rho);
    const diag = matrix([
      [f2(sa), "0"],
      ["0", f2(sb)],
    ]);
    const corr = matrix([
      ["1", f2(rho)],
      [f2(rho), "1"],
    ]);
    const sigma = matrix([
      [value("cov00", fixed(cov[0][0], 3)), value("cov01", fixed(cov[0][1], 3))],
      [value("cov10", fixed(cov[1][0], 3)), value("cov11", fixed(cov[1][1], 3))],
    ]);
    return (
      `<div class="tk-equation"><span>\u03a3 =</span>${diag}${corr}${diag}` +
      `<span>=</span>${sigma}</div>` +
      `<div class="tk-formula">diag(\u03c3) \u00b7 R \u00b7 diag(\u03c3): ` +
      `\u03c3<sub>a</sub>\u00b2, \u03c3<sub>b</sub>\u00b2 on the diagonal, ` +
      `\u03c1 \u03c3<sub>a</sub> \u03c3<sub>b</sub> off it</div>`
    );
  }

  function histColumns(values, sd) {
    const h = teachkit.summary.histogram(values, -4 * sd, 4 * sd, BINS);
    return { lo: h.lo, hi: h.hi, density: h.density };
  }

  /** Redraw tab 2 from its sliders. */
  function update(args) {
    const { summary, format, special } = teachkit;
    const sa = args.sa_slider.value;
    const sb = args.sb_slider.value;
    const rho = args.rho_slider.value;
    const cov = covariance(sa, sb, rho);
    const independent = covariance(sa, sb, 0);
    const rng = new teachkit.random.Random(SEED);
    const joint = sample(cov, N_DRAWS, rng);
    const indep = sample(independent, N_DRAWS, rng);

    args.points.data = { x: joint.x, y: joint.y };
    args.points_ind.data = { x: indep.x, y: indep.y };
    args.rings.data = ellipseColumns(cov);
    args.rings_ind.data = ellipseColumns(independent);
    args.hist_x.data = histColumns(joint.x, sa);
    args.hist_y.data = histColumns(joint.y, sb);
    args.hist_x_ind.data = histColumns(indep.x, sa);
    args.hist_y_ind.data = histColumns(indep.y, sb);
    const gx = summary.linspace(-4 * sa, 4 * sa, 161);
    const gy = summary.linspace(-4 * sb, 4 * sb, 161);
    args.pdf_x.data = { x: gx, pdf: gx.map((x) => special.normalPdf(x, 0, sa)) };
    args.pdf_y.data = { y: gy, pdf: gy.map((y) => special.normalPdf(y, 0, sb)) };
    // both panels share the density axes, so their histograms compare bar for bar
    const hx = [args.hist_x, args.hist_x_ind].flatMap((s) => s.data.density);
    const hy = [args.hist_y, args.hist_y_ind].flatMap((s) => s.data.density);
    args.dens_x_range.end = 1.15 * Math.max(special.normalPdf(0, 0, sa), ...hx);
    args.dens_y_range.end = 1.15 * Math.max(special.normalPdf(0, 0, sb), ...hy);

    args.sigma_div.text = sigmaHtml(sa, sb, rho);
    const v = format.value;
    const f2 = (x) => format.fixed(x, 2);
    args.readout.text =
      `<div class="tk-settings">sample sds and correlation, ${N_DRAWS} draws each</div>` +
      format.table(
        [
          ["sd(a)", v("sd_a", f2(summary.sd(joint.x))), v("sd_a_ind", f2(summary.sd(indep.x))), f2(sa)],
          ["sd(b)", v("sd_b", f2(summary.sd(joint.y))), v("sd_b_ind", f2(summary.sd(indep.y))), f2(sb)],
          [
            "corr(a,b)",
            v("corr", f2(summary.correlation(joint.x, joint.y))),
            v("corr_ind", f2(summary.correlation(indep.x, indep.y))),
            f2(rho),
          ],
        ],
        ["", "correlated", "independent", "true"],
      );
  }

  teachkit.mvn = { N_DRAWS, MASSES, covariance, cholesky2, ellipseRadius, ellipse, sample, update };
})((globalThis.teachkit = globalThis.teachkit || {}));
