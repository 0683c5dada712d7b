/*
 * Turning numbers into the page's text: fixed decimals with a true minus sign, the readout
 * tables beside the plots, and matrices written with brackets.
 *
 * Every number a test reads sits in <span class="tk-value" data-key="...">, so the browser
 * tests read exactly what a student sees.
 */
(function (teachkit) {
  "use strict";

  const MINUS = "\u2212";

  /** `x` with `digits` decimals, a typographic minus, no "-0.00", and a dash for NaN. */
  function fixed(x, digits) {
    if (!Number.isFinite(x)) return "\u2014";
    let text = x.toFixed(digits);
    if (Number(text) === 0) text = (0).toFixed(digits);
    return text.replace("-", MINUS);
  }

  /** `x` to `digits` significant digits (for eta, whose scale is logarithmic). */
  function significant(x, digits) {
    if (!Number.isFinite(x)) return "\u2014";
    return Number(x.toPrecision(digits)).toString().replace("-", MINUS);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  }

  /** A number a test can find: <span class="tk-value" data-key=key>text</span>. */
  function value(key, text, extraClass) {
    const cls = extraClass ? `tk-value ${extraClass}` : "tk-value";
    return `<span class="${cls}" data-key="${key}">${text}</span>`;
  }

  /** A two-or-more-column table; `rows` are arrays of HTML cells, `header` optional. */
  function table(rows, header) {
    const head = header ? `<tr>${header.map((h) => `<th>${h}</th>`).join("")}</tr>` : "";
    const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`);
    return `<table class="tk-readout">${head}${body.join("")}</table>`;
  }

  /** A matrix in brackets; `cells` is an array of rows of HTML strings. */
  function matrix(cells) {
    const rows = cells.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`);
    return `<table class="tk-matrix">${rows.join("")}</table>`;
  }

  teachkit.format = { MINUS, fixed, significant, escapeHtml, value, table, matrix };
})((globalThis.teachkit = globalThis.teachkit || {}));
