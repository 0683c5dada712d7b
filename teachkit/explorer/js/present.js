/*
 * Presenter mode and tabs opened by URL; the layout fitted to the window.
 *
 * The page's address may carry, after "#", any of (joined by "&"):
 *   tab=N     open tab N, numbered as displayed (1-based): explorer.html#tab=4
 *   present   presenter mode: every font and control 1.5 times larger, the plots refitted
 * e.g. explorer.html#tab=4&present ("?tab=4&present=1" works as well). The header's
 * "Presenter mode" button toggles the same mode, and the address follows the page (the open
 * tab and the mode), so a copied address reopens what is shown.
 *
 * Fitting: whenever the mode or the window changes, every tab is laid out again for the
 * window's width: text boxes get the width there is, the controls column a share of it, and
 * the plots (figures and grids of figures) one common scale factor per tab so that they fit
 * beside the controls, side by side down to 0.8 of their size; below that the rows of plots
 * wrap and the widest plot alone fits. Only presenter mode makes plots larger than built (in a
 * window with room for it), so a wide window in the normal mode shows the page as designed
 * (and is not laid out again at all).
 */
(function (teachkit) {
  "use strict";

  const SCALE = 1.5; // fonts and controls in presenter mode
  const PAGE_MARGIN = 32 + 18; // the body's padding and a scrollbar
  const GAP = 30; // between the controls and the plots, and between plots
  const CONTROLS = 380; // the built width of the controls column (style.CONTROLS_WIDTH)
  const SIDE_BY_SIDE = 0.8; // the smallest scale at which plots stay side by side
  const ABOVE_PLOTS = 280; // about the height of the header, tabs and description, presenting
  const FONT_KEYS = [
    ["title", "text_font_size"],
    ["axis", "axis_label_text_font_size"],
    ["axis", "major_label_text_font_size"],
    ["legend", "label_text_font_size"],
    ["colorbar", "major_label_text_font_size"],
    ["labels", "text_font_size"],
  ];

  const built = new Map(); // model -> its built width, height and fonts
  let state = { present: false, tabs: null, toggle: null };
  let pendingFit = null; // the promise of the queued layout, if any (see fit)
  let fits = 0; // layouts done so far (tests wait on <html data-tk-fitted>)
  let changed = 0; // sizes changed by the layout under way (see held)

  /** Settings from the address: {tab: 1-based number or null, present: bool}. */
  function parseLocation(hash, search) {
    const out = { tab: null, present: false };
    for (const text of [search, hash]) {
      const params = new URLSearchParams(String(text || "").replace(/^[#?]/, ""));
      if (params.has("tab")) {
        const n = Number(params.get("tab"));
        if (Number.isInteger(n)) out.tab = n;
      }
      if (params.has("present")) {
        const v = params.get("present");
        out.present = !["0", "false", "no", "off"].includes(String(v).toLowerCase());
      }
    }
    return out;
  }

  /** The address fragment for a tab (1-based) and a mode. */
  function fragment(tab, present) {
    return `#tab=${tab}` + (present ? "&present" : "");
  }

  function isType(model, ...names) {
    return names.includes(model.type);
  }

  function remember(model) {
    if (built.has(model)) return built.get(model);
    const record = { width: model.width, height: model.height, fonts: [] };
    if (isType(model, "Figure", "Plot")) {
      const annotations = [...model.center, ...model.below, ...model.right, ...model.above];
      for (const [group, key] of FONT_KEYS) {
        const items = group === "title" ? [model.title] : group === "axis"
          ? [...model.left, ...model.below, ...model.right, ...model.above].filter((m) => key in m)
          : group === "legend" ? annotations.filter((m) => isType(m, "Legend"))
          : group === "colorbar" ? annotations.filter((m) => isType(m, "ColorBar"))
          : annotations.filter((m) => isType(m, "LabelSet", "Label"));
        for (const item of items) {
          if (item && typeof item[key] === "string") record.fonts.push([item, key, item[key]]);
          // a label set's size is a value spec, {value: "15px"} (tab 6's names on the map)
          else if (item && item[key] && typeof item[key].value === "string") {
            record.fonts.push([item, key, item[key].value, true]);
          }
        }
      }
    }
    built.set(model, record);
    return record;
  }

  /** Children of a layout: rows, columns, grids (their [child, row, col] triples) and plots. */
  function children(model) {
    if (isType(model, "GridPlot", "GridBox")) return model.children.map((c) => c[0]);
    if (Array.isArray(model.children)) return model.children;
    return [];
  }

  function isPlot(model) {
    return isType(model, "Figure", "Plot");
  }

  /** Built width of a layout (plots and boxes at their built size). */
  function naturalWidth(model) {
    const rec = remember(model);
    if (isPlot(model) || isType(model, "Div")) return rec.width || 0;
    if (isType(model, "GridPlot", "GridBox")) {
      const cols = new Map();
      for (const [child, , col] of model.children) {
        cols.set(col, Math.max(cols.get(col) || 0, naturalWidth(child)));
      }
      return [...cols.values()].reduce((a, b) => a + b, 0);
    }
    const widths = children(model).map(naturalWidth);
    if (isType(model, "Row")) {
      return widths.reduce((a, b) => a + b, 0) + (model.spacing || 0) * (widths.length - 1);
    }
    return Math.max(0, ...widths);
  }

  /** Widest single block of a plot area: what must fit beside the controls. */
  function widestBlock(model) {
    if (isType(model, "Row")) return Math.max(0, ...children(model).map(widestBlock));
    if (isType(model, "Column")) return Math.max(0, ...children(model).map(widestBlock));
    if (isType(model, "Div")) return 0; // text boxes take whatever width there is
    return naturalWidth(model);
  }

  function tallestPlot(model) {
    if (isPlot(model)) return remember(model).height || 0;
    return Math.max(0, ...children(model).map(tallestPlot));
  }

  /** Size the plots of a plot area by `factor`, text boxes to `width`, rows to wrap. */
  function fitPlots(model, factor, width, scale, titles = null) {
    const rec = remember(model);
    if (isPlot(model)) {
      assign(model, "width", Math.round(rec.width * factor));
      assign(model, "height", Math.round(rec.height * factor));
      for (const [item, key, size, spec] of rec.fonts) {
        // fonts grow with the mode but shrink with the plot, so labels stay inside it
        let px = parseFloat(size) * Math.max(1, scale * Math.min(1, factor));
        if (item === model.title && model.title.text) {
          // a title does not wrap: keep it within the plot (DejaVu Sans: up to 0.66 em a glyph
          // on average in these titles; 0.6 let the mvn tab's longer title run off its plot)
          px = Math.min(px, (model.width - 10) / (0.66 * model.title.text.length));
        }
        if (item === model.title && model.title.text && titles) titles.push([item, px]);
        else if (spec) {
          if (item[key].value !== `${Math.round(px)}px`) assign(item, key, { value: `${Math.round(px)}px` });
        } else assign(item, key, `${Math.round(px)}px`);
      }
      return;
    }
    if (isType(model, "Div")) {
      assign(model, "width", Math.min(rec.width, width));
      return;
    }
    if (isType(model, "Row")) {
      const styles = model.styles || {};
      if (styles["flex-wrap"] !== "wrap" || styles["row-gap"] !== `${GAP}px`) {
        assign(model, "styles", { ...styles, "flex-wrap": "wrap", "row-gap": `${GAP}px` });
      }
      assign(model, "width", naturalWidth(model) * factor > width ? width : null);
    }
    for (const child of children(model)) fitPlots(child, factor, width, scale, titles);
  }

  /** Lay one tab out for a page `width` px wide at font scale `scale`. */
  function fitTab(panel, width, height, scale) {
    const [description, body] = panel.child.children;
    const [controls, plots] = body.children;
    remember(description);
    assign(description, "width", Math.min(built.get(description).width, width));
    const controlsWidth = Math.round(
      Math.min(CONTROLS * scale, Math.max(CONTROLS * 0.85, 0.4 * width)),
    );
    remember(controls);
    assign(controls, "width", controlsWidth);
    for (const widget of controls.children) {
      const rec = remember(widget);
      if (rec.width) assign(widget, "width", controlsWidth - (CONTROLS - rec.width));
    }
    const room = width - controlsWidth - GAP;
    // plots side by side, a little smaller if need be; below each other (the rows wrap) only
    // when side by side they would shrink below SIDE_BY_SIDE of their size
    const whole = naturalWidth(plots);
    const widest = widestBlock(plots);
    const tallest = tallestPlot(plots);
    let factor = room / whole >= SIDE_BY_SIDE ? Math.min(1, room / whole) : Math.min(1, room / widest);
    if (tallest > 0) factor = Math.min(factor, Math.max(0.6, (height - 60) / tallest));
    if (scale > 1 && factor >= 1 && tallest > 0) {
      // presenter mode in a wide window: the plots grow with the text, up to the mode's scale,
      // as far as the width beside the controls and the height under the header allow
      factor = Math.max(1, Math.min(scale, room / whole, (height - ABOVE_PLOTS) / tallest));
    }
    // the plots' titles: one size per tab, the largest that fits every one of them
    const titles = [];
    fitPlots(plots, factor, room, scale, titles);
    const px = Math.min(...titles.map(([, size]) => size));
    for (const [title] of titles) assign(title, "text_font_size", `${Math.round(px)}px`);
  }

  /**
   * Run `change` with the page's layout held: BokehJS lays the whole page out again after
   * every width it is given (a third of a second each), so the root views' relayout is
   * postponed until every model has its new size, then done once. That relayout paints every
   * plot synchronously, so it must never run while a data source's update is still being
   * applied: see fit().
   */
  function held(change) {
    const roots = Object.values((window.Bokeh && window.Bokeh.index) || {}).filter(
      (view) => view && typeof view.invalidate_layout === "function",
    );
    // a text box's new width re-renders it, and it then lays out the page from its root
    // (compute_layout), not through invalidate_layout: both wait
    const methods = ["invalidate_layout", "compute_layout"];
    const saved = roots.map((view) =>
      methods.map((name) => Object.getOwnPropertyDescriptor(view, name)),
    );
    for (const view of roots) for (const name of methods) view[name] = () => {};
    changed = 0;
    try {
      change();
    } finally {
      roots.forEach((view, i) => {
        methods.forEach((name, k) => {
          if (saved[i][k]) Object.defineProperty(view, name, saved[i][k]);
          else delete view[name];
        });
      });
      // nothing resized (e.g. a wide window in the normal mode): no relayout needed
      if (changed > 0) for (const view of roots) view.invalidate_layout();
    }
  }

  /** Set `model[key]` to `value` if it differs, counting the change (see held). */
  function assign(model, key, value) {
    if (model[key] !== value) {
      model[key] = value;
      changed += 1;
    }
  }

  /**
   * Lay out the whole page for the current window and mode, in a task of its own; returns a
   * promise settled when the page has been laid out and painted.
   *
   * Why not at once: BokehJS applies a new `source.data` to its glyphs asynchronously (the
   * coordinates first, then, a few microtasks later, the colours and other visuals). A
   * synchronous relayout in between paints a glyph whose visuals are still those of the
   * old, shorter data: a legend then reads colour 0 of an empty colour array and BokehJS
   * throws "Offset is outside the bounds of the DataView". That is what happened when the
   * page's first fit ran in the same DocumentReady callback chain that gives every tab its
   * data (tab 3's "current value" markers, coloured per row, start empty). A task queued with
   * setTimeout runs after every pending microtask, so after those updates have finished.
   * Calls made before the task runs share it.
   */
  function fit() {
    if (!pendingFit) {
      pendingFit = new Promise((resolve) => {
        setTimeout(() => {
          pendingFit = null;
          try {
            held(fitNow);
          } finally {
            fits += 1;
            const root = document.documentElement;
            root.dataset.tkFitted = String(fits);
            root.dataset.tkMode = state.present ? "present" : "normal";
            resolve(fits);
          }
        }, 0);
      });
    }
    return pendingFit;
  }

  function fitNow() {
    const { tabs, toggle, header } = state;
    if (!tabs) return;
    const scale = state.present ? SCALE : 1;
    const root = document.documentElement;
    if (root.style.getPropertyValue("--tk-scale") !== String(scale)) {
      // the widgets' fonts follow the page's --tk-scale: their sizes change with it
      root.style.setProperty("--tk-scale", String(scale));
      if (scale !== 1 || fits > 0) changed += 1;
    }
    root.classList.toggle("tk-present", state.present);
    if (state.present) root.style.setProperty("--tk-chrome", "none");
    else root.style.removeProperty("--tk-chrome");
    const width = Math.max(320, window.innerWidth - PAGE_MARGIN);
    const height = window.innerHeight;
    if (header) {
      remember(header);
      assign(header, "width", Math.min(built.get(header).width, width - 270));
    }
    if (toggle) assign(toggle, "label", state.present ? "Presenter mode: on" : "Presenter mode");
    for (const panel of tabs.tabs) fitTab(panel, width, height, scale);
  }

  /** Write the open tab and the mode into the address (without a new history entry). */
  function syncLocation() {
    const { tabs } = state;
    if (!tabs || !window.history || !window.history.replaceState) return;
    const target = fragment(tabs.active + 1, state.present);
    if (window.location.hash !== target) {
      try {
        window.history.replaceState(null, "", target);
      } catch (e) {
        // some browsers refuse replaceState on file:// pages; the address then stays as is
      }
    }
  }

  /** Apply the address: open its tab and mode. */
  function applyLocation() {
    const { tabs, toggle } = state;
    const wanted = parseLocation(window.location.hash, window.location.search);
    if (wanted.tab !== null && wanted.tab >= 1 && wanted.tab <= tabs.tabs.length) {
      tabs.active = wanted.tab - 1;
    }
    if (toggle && toggle.active !== wanted.present) toggle.active = wanted.present;
    else setPresent(wanted.present);
  }

  function setPresent(on) {
    state.present = Boolean(on);
    syncLocation();
    return fit();
  }

  /**
   * Run once when the page has loaded: {tabs, toggle, header}. The address is applied in a
   * task of its own, for the reason given at fit(): opening a tab lays the page out too.
   */
  function init(args) {
    state = { ...state, ...args };
    setTimeout(applyLocation, 0);
    window.addEventListener("hashchange", applyLocation);
    let pending = null;
    window.addEventListener("resize", () => {
      clearTimeout(pending);
      pending = setTimeout(fit, 100);
    });
  }

  teachkit.present = {
    SCALE,
    parseLocation,
    fragment,
    init,
    fit,
    setPresent,
    syncLocation,
    get on() {
      return state.present;
    },
  };
})((globalThis.teachkit = globalThis.teachkit || {}));
