/*
 * Tab 3, invalid correlation matrices: three correlations that each look fine but together
 * are impossible.
 *
 * R = [[1, a, b], [a, 1, c], [b, c, 1]] with a = rho_xy, b = rho_xz, c = rho_yz.
 *  - det R = 1 - a^2 - b^2 - c^2 + 2abc, a downward parabola in each entry;
 *  - R is a correlation matrix when it has no negative eigenvalue (eigenvalues of a symmetric
 *    3 x 3 matrix in closed form: Smith 1961, "Eigenvalues of a symmetric 3 x 3 matrix",
 *    Commun. ACM 4(4));
 *  - entry c must lie in a b -/+ sqrt((1 - a^2)(1 - b^2)), the roots of that parabola, given a
 *    and b, and likewise for the others (the bounds of a partial correlation; as
 *    teachkit.covariance.feasible_rho_interval).
 * With a unit diagonal the eigenvalues sum to 3 and lie in [-1, 3], so at most one is
 * negative: R is invalid exactly when det R < 0, and then every entry is outside its interval.
 */
(function (teachkit) {
  "use strict";

  const ATOL = 1e-8; // as teachkit.covariance.ATOL
  const ENTRIES = ["\u03c1_xy", "\u03c1_xz", "\u03c1_yz"];

  function determinant(a, b, c) {
    return 1 - a * a - b * b - c * c + 2 * a * b * c;
  }

  /** Eigenvalues of a symmetric 3 x 3 matrix m (array of rows), largest first (Smith 1961). */
  function symmetricEigenvalues3(m) {
    const p1 = m[0][1] ** 2 + m[0][2] ** 2 + m[1][2] ** 2;
    if (p1 === 0) return [m[0][0], m[1][1], m[2][2]].sort((x, y) => y - x);
    const q = (m[0][0] + m[1][1] + m[2][2]) / 3;
    const p2 = (m[0][0] - q) ** 2 + (m[1][1] - q) ** 2 + (m[2][2] - q) ** 2 + 2 * p1;
    const p = Math.sqrt(p2 / 6);
    const B = m.map((row, i) => row.map((x, j) => (x - (i === j ? q : 0)) / p));
    const detB =
      B[0][0] * (B[1][1] * B[2][2] - B[1][2] * B[2][1]) -
      B[0][1] * (B[1][0] * B[2][2] - B[1][2] * B[2][0]) +
      B[0][2] * (B[1][0] * B[2][1] - B[1][1] * B[2][0]);
    const r = Math.min(1, Math.max(-1, detB / 2));
    const phi = Math.acos(r) / 3;
    const largest = q + 2 * p * Math.cos(phi);
    const smallest = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
    return [largest, 3 * q - largest - smallest, smallest];
  }

  /** Interval an entry must lie in given the two others, u and w: u w -/+ sqrt((1-u^2)(1-w^2)). */
  function feasibleInterval(u, w) {
    const half = Math.sqrt(Math.max(0, (1 - u * u) * (1 - w * w)));
    return [u * w - half, u * w + half];
  }

  /** Everything tab 3 shows about R(a, b, c). */
  function analyse(a, b, c) {
    const matrix = [
      [1, a, b],
      [a, 1, c],
      [b, c, 1],
    ];
    const eigenvalues = symmetricEigenvalues3(matrix);
    const values = [a, b, c];
    const intervals = [feasibleInterval(b, c), feasibleInterval(a, c), feasibleInterval(a, b)];
    const inside = values.map((v, i) => v >= intervals[i][0] - ATOL && v <= intervals[i][1] + ATOL);
    const minEigenvalue = eigenvalues[2];
    return {
      matrix,
      values,
      intervals,
      inside,
      eigenvalues,
      minEigenvalue,
      determinant: determinant(a, b, c),
      valid: minEigenvalue >= -ATOL,
    };
  }

  const GOOD = "#009E73"; // Okabe-Ito bluish green
  const BAD = "#D55E00"; // Okabe-Ito vermillion

  /** Redraw tab 3 from its sliders. */
  function update(args) {
    const { xy_slider, xz_slider, yz_slider, intervals, current, curve, point } = args;
    const { format, summary } = teachkit;
    const a = xy_slider.value;
    const b = xz_slider.value;
    const c = yz_slider.value;
    const res = analyse(a, b, c);

    intervals.data = {
      entry: ENTRIES,
      lo: res.intervals.map((iv) => iv[0]),
      hi: res.intervals.map((iv) => iv[1]),
    };
    current.data = {
      entry: ENTRIES,
      value: res.values,
      color: res.inside.map((ok) => (ok ? GOOD : BAD)),
    };
    const grid = summary.linspace(-1, 1, 201);
    const dets = grid.map((g) => determinant(a, b, g));
    curve.data = { c: grid, det: dets };
    const low = Math.min(...dets, -0.1);
    args.det_range.start = low - 0.06 * (1 - low);
    args.det_range.end = 1 + 0.06 * (1 - low);
    point.data = { c: [c], det: [res.determinant], color: [res.valid ? GOOD : BAD] };
    args.yz_band.left = res.intervals[2][0];
    args.yz_band.right = res.intervals[2][1];

    const v = format.value;
    const f2 = (x) => format.fixed(x, 2);
    const f3 = (x) => format.fixed(x, 3);
    const cell = (x, i) => {
      const cls = res.inside[i] ? "tk-inside" : "tk-outside";
      return `<span class="${cls}">${f2(x)}</span>`;
    };
    const m = format.matrix([
      ["1", cell(a, 0), cell(b, 1)],
      [cell(a, 0), "1", cell(c, 2)],
      [cell(b, 1), cell(c, 2), "1"],
    ]);
    const badge = res.valid
      ? v("valid", "valid", "tk-badge tk-good")
      : v("valid", "not valid", "tk-badge tk-bad");
    const why = res.valid
      ? "no negative eigenvalue: some data could have these correlations"
      : "a negative eigenvalue: no data can have these correlations; moving any one entry " +
        "into its interval makes R valid";
    args.verdict.text =
      `<div class="tk-equation"><span>R =</span>${m}<span>${badge}</span></div>` +
      `<div class="tk-formula">${why}</div>`;

    const names = ["\u03c1<sub>xy</sub>", "\u03c1<sub>xz</sub>", "\u03c1<sub>yz</sub>"];
    const keys = ["xy", "xz", "yz"];
    const rows = keys.map((k, i) => [
      names[i],
      v(`value_${k}`, f2(res.values[i])),
      `[${v(`lo_${k}`, f3(res.intervals[i][0]))}, ${v(`hi_${k}`, f3(res.intervals[i][1]))}]`,
      v(`inside_${k}`, res.inside[i] ? "inside" : "outside", res.inside[i] ? "tk-inside" : "tk-outside"),
    ]);
    args.readout.text =
      format.table(rows, ["entry", "value", "must lie in (others fixed)", ""]) +
      format.table([
        ["det R", v("det", f3(res.determinant))],
        ["smallest eigenvalue", v("min_eig", f3(res.minEigenvalue))],
      ]);
  }

  teachkit.correlation = {
    ATOL,
    determinant,
    symmetricEigenvalues3,
    feasibleInterval,
    analyse,
    update,
  };
})((globalThis.teachkit = globalThis.teachkit || {}));
