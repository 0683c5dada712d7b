/*
 * Tab 6, a Gaussian process over the 12 Beijing stations: the kernel as a function of the
 * distance, the correlation it implies between every pair of stations, and a draw of the
 * station baselines f ~ MVN(0, K).
 *
 * The maths is teachkit.kernels', written again here (the page runs no Python):
 *  - great-circle distances by the haversine formula on a sphere of radius 6371.0088 km;
 *  - kernels of a distance d with amplitude sigma and length-scale ell (Rasmussen and Williams
 *    2006, Gaussian Processes for Machine Learning, eqs. 4.9 and 4.17, sec. 4.2.1):
 *      exp_quad     sigma^2 exp(-d^2 / (2 ell^2))
 *      exponential  sigma^2 exp(-d / ell)
 *      matern32     sigma^2 (1 + sqrt(3) d / ell) exp(-sqrt(3) d / ell)
 *  - a draw: f = sigma L z, with L the Cholesky factor of R + j I, R = K / sigma^2 the
 *    correlation matrix, j = JITTER (1e-10, times the mean of R's unit diagonal, as
 *    teachkit.kernels.draw_gp) and z ~ N(0, I). sigma L is then the Cholesky factor of
 *    K + j sigma^2 I, the matrix draw_gp factors. The same z is kept while the sliders move
 *    (the picture changes smoothly with them); "new draw" draws a new z.
 */
(function (teachkit) {
  "use strict";

  const EARTH_RADIUS_KM = 6371.0088; // teachkit.kernels.EARTH_RADIUS_KM
  const JITTER = 1e-10; // teachkit.kernels.JITTER
  const SEED = 2006; // draw k uses the seed SEED + k
  const GRID = 281; // points of the kernel curve over 0-70 km (0.25 km apart)
  const MAX_KM = 70;
  const FAMILIES = {
    exp_quad: "squared exponential",
    exponential: "exponential",
    matern32: "Matérn 3/2",
  };

  function expQuad(d, sigma, ell) {
    const r = d / ell;
    return sigma ** 2 * Math.exp(-0.5 * r ** 2);
  }

  function exponential(d, sigma, ell) {
    const r = d / ell;
    return sigma ** 2 * Math.exp(-r);
  }

  function matern32(d, sigma, ell) {
    const r = (Math.sqrt(3.0) * d) / ell;
    return sigma ** 2 * (1.0 + r) * Math.exp(-r);
  }

  const KERNELS = { exp_quad: expQuad, exponential, matern32 };

  /** k(d) of the family `family` ("exp_quad", "exponential" or "matern32"). */
  function kernel(family, d, sigma, ell) {
    const k = KERNELS[family];
    if (!k) throw new Error(`unknown kernel family ${family}`);
    return k(d, sigma, ell);
  }

  /** The kernel's correlation function k(d) / sigma^2. */
  function correlation(family, d, ell) {
    return kernel(family, d, 1.0, ell);
  }

  const RAD = Math.PI / 180;

  /** Great-circle distance (km) between two points given in degrees (haversine). */
  function haversine(lat1, lon1, lat2, lon2) {
    const phi1 = lat1 * RAD;
    const phi2 = lat2 * RAD;
    const halfDphi = (phi2 - phi1) / 2;
    const halfDlam = (lon2 * RAD - lon1 * RAD) / 2;
    const h =
      Math.sin(halfDphi) ** 2 + Math.cos(phi1) * Math.cos(phi2) * Math.sin(halfDlam) ** 2;
    return 2.0 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1, Math.max(0, h))));
  }

  /** The n x n great-circle distance matrix of n points (rows as arrays). */
  function distanceMatrix(lat, lon) {
    const n = lat.length;
    return Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (i === j ? 0 : haversine(lat[i], lon[i], lat[j], lon[j]))),
    );
  }

  /** K_ij = k(d_ij), as teachkit.kernels.kernel_matrix (no nugget). */
  function kernelMatrix(D, family, sigma, ell) {
    return D.map((row) => row.map((d) => kernel(family, d, sigma, ell)));
  }

  /** R_ij = k(d_ij) / sigma^2, as teachkit.kernels.correlation_matrix (no nugget). */
  function correlationMatrix(D, family, ell) {
    return kernelMatrix(D, family, 1.0, ell);
  }

  /**
   * Lower Cholesky factor of A + j I, j = JITTER times the mean of A's diagonal (as draw_gp).
   * Should rounding still leave a pivot <= 0, j grows tenfold (at most 6 times) and the
   * returned `jitter` says which was used. Returns {L, jitter}.
   */
  function cholesky(A, relJitter = JITTER) {
    const n = A.length;
    let meanDiag = 0;
    for (let i = 0; i < n; i++) meanDiag += A[i][i] / n;
    let j = relJitter * Math.max(meanDiag, Number.MIN_VALUE);
    for (let attempt = 0; attempt <= 6; attempt++, j *= 10) {
      const L = Array.from({ length: n }, () => new Array(n).fill(0));
      let ok = true;
      for (let r = 0; r < n && ok; r++) {
        for (let c = 0; c <= r; c++) {
          let s = A[r][c] + (r === c ? j : 0);
          for (let k = 0; k < c; k++) s -= L[r][k] * L[c][k];
          if (r === c) {
            if (!(s > 0)) {
              ok = false;
              break;
            }
            L[r][c] = Math.sqrt(s);
          } else {
            L[r][c] = s / L[c][c];
          }
        }
      }
      if (ok) return { L, jitter: j };
    }
    throw new Error("the kernel matrix is not positive semi-definite");
  }

  /** f = scale * L z. */
  function fromFactor(L, z, scale = 1) {
    return L.map((row) => {
      let s = 0;
      for (let k = 0; k < row.length; k++) s += row[k] * z[k];
      return scale * s;
    });
  }

  /** n standard normals from the seed `seed`. */
  function normals(n, seed) {
    const rng = new teachkit.random.Random(seed);
    return Array.from({ length: n }, () => rng.normal());
  }

  /** `n` draws of MVN(0, sigma^2 R) from one factor (for the tests): rows of n values. */
  function draws(D, family, sigma, ell, n, seed) {
    const { L } = cholesky(correlationMatrix(D, family, ell));
    const rng = new teachkit.random.Random(seed);
    return Array.from({ length: n }, () =>
      fromFactor(
        L,
        L.map(() => rng.normal()),
        sigma,
      ),
    );
  }

  /** Pairs' line width and opacity on the map from their correlation r in [0, 1]. */
  function lineWidth(r) {
    return 0.5 + 11 * r;
  }
  function lineAlpha(r) {
    return Math.min(1, 0.05 + 0.95 * r);
  }

  // the draw number and its z, per page (keyed by the stations' data source)
  const drawState = new WeakMap();

  function currentDraw(stations, n) {
    if (!drawState.has(stations)) drawState.set(stations, { number: 1, z: normals(n, SEED + 1) });
    return drawState.get(stations);
  }

  /** The "new draw" button: a new z (the next seed), then redraw. */
  function newDraw(args) {
    const n = args.stations.data.lat.length;
    const state = currentDraw(args.stations, n);
    state.number += 1;
    state.z = normals(n, SEED + state.number);
    update(args);
  }

  /** Redraw tab 6 from its controls. */
  function update(args) {
    const { format, summary } = teachkit;
    const sigma = args.sigma_slider.value;
    const ell = args.ell_slider.value;
    const family = args.family_select.value;
    const st = args.stations.data;
    const names = st.name;
    const lat = Array.from(st.lat);
    const lon = Array.from(st.lon);
    const n = names.length;

    // (1) the kernel's correlation over 0-70 km; the other families thin, for comparison
    const D = distanceMatrix(lat, lon);
    const d = summary.linspace(0, MAX_KM, GRID);
    args.curve.data = { d, r: d.map((x) => correlation(family, x, ell)) };
    const others = Object.keys(FAMILIES).filter((f) => f !== family);
    args.others.data = {
      xs: others.map(() => d),
      ys: others.map((f) => d.map((x) => correlation(f, x, ell))),
      family: others.map((f) => FAMILIES[f]),
    };
    args.ell_mark.data = { x: [ell], text: ["d = ℓ"] };

    // (2) the pairs: distance and correlation, as dots on the curve, rug ticks and map lines
    const R = correlationMatrix(D, family, ell);
    const pairs = args.pairs.data;
    const pi = Array.from(pairs.i);
    const pj = Array.from(pairs.j);
    const pd = pi.map((i, k) => D[i][pj[k]]);
    const pr = pi.map((i, k) => R[i][pj[k]]);
    args.pairs.data = {
      ...pairs,
      d: pd,
      r: pr,
      width: pr.map(lineWidth),
      alpha: pr.map(lineAlpha),
    };

    // (3) a draw: f = sigma L z, L the Cholesky factor of R + j I
    const { L, jitter } = cholesky(R);
    const draw = currentDraw(args.stations, n);
    const f = fromFactor(L, draw.z, sigma);
    args.stations.data = { ...st, f, z: draw.z.slice() };

    // the readout
    const v = format.value;
    const f2 = (x) => format.fixed(x, 2);
    const far = pd.indexOf(Math.max(...pd));
    const near = pd.indexOf(Math.min(...pd));
    const pairRow = (k, label, key) => [
      `${label}: ${format.escapeHtml(names[pi[k]])}–${format.escapeHtml(names[pj[k]])}, ` +
        `${format.fixed(pd[k], 1)} km`,
      v(key, f2(pr[k])),
    ];
    const jitterText = jitter === JITTER ? "10<sup>\u221210</sup>" : format.significant(jitter, 2);
    args.readout.text =
      format.table(
        [pairRow(near, "nearest", "r_near"), pairRow(far, "farthest", "r_far")],
        ["station pair", "corr."],
      ) +
      `<div class="tk-settings">draw ${v("draw", String(draw.number))}: ` +
      `sd of the ${n} baselines ${v("draw_sd", f2(summary.sd(f)))}</div>` +
      `<div class="tk-formula">f = σ L z, L L<sup>T</sup> = R + ${v("jitter", jitterText)} I ` +
      `(Cholesky, jitter ${jitterText}), z ~ N(0, I)</div>`;
  }

  teachkit.gp = {
    EARTH_RADIUS_KM,
    JITTER,
    SEED,
    MAX_KM,
    FAMILIES,
    expQuad,
    exponential,
    matern32,
    kernel,
    correlation,
    haversine,
    distanceMatrix,
    kernelMatrix,
    correlationMatrix,
    cholesky,
    fromFactor,
    normals,
    draws,
    lineWidth,
    lineAlpha,
    newDraw,
    update,
  };
})((globalThis.teachkit = globalThis.teachkit || {}));
