/*
 * Seeded random numbers: the same seed always gives the same draws, so the page is
 * reproducible (a student and the instructor see the same picture for the same settings) and
 * the browser tests can hold it to teachkit's Python results within Monte-Carlo error.
 *
 *  - uniforms: mulberry32, a 32-bit generator by Tommy Ettinger (public domain);
 *  - normals: the Box-Muller transform (Box and Muller 1958, Ann. Math. Statist. 29);
 *  - gammas: Marsaglia and Tsang (2000), "A simple method for generating gamma variables",
 *    ACM TOMS 26(3); a shape a < 1 uses Gamma(a + 1) * U^(1/a) (their section 6);
 *  - betas: X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
 */
(function (teachkit) {
  "use strict";

  /** A function returning uniforms in [0, 1) from a 32-bit seed. */
  function mulberry32(seed) {
    let state = seed >>> 0;
    return function () {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  class Random {
    constructor(seed) {
      this.next = mulberry32(seed);
      this.spare = null; // Box-Muller makes normals in pairs; the second waits here
    }

    /** Uniform on (0, 1): never exactly 0, so its logarithm is finite. */
    uniform() {
      let u = this.next();
      while (u === 0) u = this.next();
      return u;
    }

    /** Standard normal. */
    normal() {
      if (this.spare !== null) {
        const z = this.spare;
        this.spare = null;
        return z;
      }
      const radius = Math.sqrt(-2 * Math.log(this.uniform()));
      const angle = 2 * Math.PI * this.next();
      this.spare = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    }

    /** Gamma(shape, 1), shape > 0. */
    gamma(shape) {
      if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.uniform(), 1 / shape);
      const d = shape - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        const x = this.normal();
        const v0 = 1 + c * x;
        if (v0 <= 0) continue;
        const v = v0 * v0 * v0;
        const u = this.uniform();
        if (u < 1 - 0.0331 * x ** 4) return d * v;
        if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
      }
    }

    /** Beta(a, b), a, b > 0. */
    beta(a, b) {
      const x = this.gamma(a);
      const y = this.gamma(b);
      return x / (x + y);
    }
  }

  teachkit.random = { mulberry32, Random };
})((globalThis.teachkit = globalThis.teachkit || {}));
