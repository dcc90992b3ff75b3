// The explorer of docs/visual/explorer.md: any convolution, transposed convolution or pooling,
// drawn live. Plain JavaScript and SVG, no library. The page loads this file with a <script> tag
// after the widget's <div>; Material's instant navigation runs such scripts again each time it
// swaps the page in, so the widget is built from scratch on every visit and registers no
// listener outside its own elements.
//
// Everything is computed here for any setting; scripts/browser_explorer.py checks the numbers,
// the highlighted cells and the messages against nnref's own answers for a grid of settings
// (docs/figures/explorer/explorer.json, written by scripts/figures/explorer.py).
(() => {
  "use strict";
  const root = document.getElementById("nnref-explorer");
  if (!root || root.dataset.ready === "1") return;
  root.dataset.ready = "1";

  const SVGNS = "http://www.w3.org/2000/svg";
  const OPS = { conv: "convolution", transposed: "transposed convolution", max: "max pooling", avg: "average pooling" };
  const FN = { conv: "conv", transposed: "conv_transpose", max: "max_pool", avg: "avg_pool" };
  // key, label, default, HTML min and max (the spinner's range; typed values go beyond), ops using it
  const NUMBERS = [
    ["input", "input size", 5, 1, 64, "conv transposed max avg"],
    ["kernel", "kernel size", 3, 1, 16, "conv transposed max avg"],
    ["stride", "stride", 1, 1, 16, "conv transposed max avg"],
    ["padding", "padding", 0, 0, 16, "conv transposed max avg"],
    ["dilation", "dilation", 1, 1, 16, "conv transposed max"],
    ["output_padding", "output padding", 0, 0, 15, "transposed"],
  ];
  const LETTER = { input: "L", kernel: "k", stride: "s", padding: "p", dilation: "d" };
  const LIMIT = 1e6; // larger numbers get a message: the arithmetic below stays exact far beyond
  const MAX_CELLS = { 1: 96, 2: 40 }; // the longest axis drawn, per number of dimensions
  const CELL = 30; // SVG units per cell
  const HEAT_FILL = ["#e8eaf6", "#c5cae9", "#9fa8da", "#7986cb", "#5c6bc0", "#3949ab", "#283593"];
  const HEAT_DARK_TEXT = 4; // shades below this index carry dark text, the others white

  // ------------------------------------------------------------------ building the form

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.append(...children);
    return node;
  };
  const sv = (tag, attrs = {}, ...children) => {
    const node = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    node.append(...children);
    return node;
  };

  const controls = {};
  const form = el("form", { class: "nx-controls", "aria-label": "settings" });
  const field = (key, label, control, letter) => {
    // The label's text is exactly the control's name; the letter of the formulas sits beside it.
    const lab = el("label", { for: control.id }, label);
    const head = letter ? el("span", {}, lab, " ", el("var", { "aria-hidden": "true" }, letter)) : lab;
    const box = el("div", { class: "nx-field", "data-key": key }, head, control);
    form.append(box);
    controls[key] = control;
    return box;
  };
  const opSelect = el("select", { id: "nx-op" });
  for (const [value, text] of Object.entries(OPS)) opSelect.append(el("option", { value }, text));
  field("op", "operation", opSelect);
  const dimSelect = el("select", { id: "nx-dims" }, el("option", { value: "1" }, "1-D"), el("option", { value: "2" }, "2-D"));
  field("dims", "dimensions", dimSelect);
  for (const [key, label, def, min, max] of NUMBERS) {
    const input = el("input", { id: `nx-${key}`, type: "number", inputmode: "numeric", step: "1", min: String(min),
                                max: String(max), value: String(def) });
    field(key, label, input, LETTER[key]);
  }
  const ceilBox = el("input", { id: "nx-ceil", type: "checkbox" });
  field("ceil", "ceil mode", ceilBox).classList.add("nx-check");

  const formula = el("p", { class: "nx-formula" });
  const outSize = el("span", { "data-testid": "output-size" });
  const result = el("p", { class: "nx-result", "aria-live": "polite" });
  const note = el("p", { class: "nx-note" });
  const alert = el("div", { class: "nx-alert", role: "alert" });
  const drawing = el("div", { class: "nx-drawing" });
  const status = el("p", { class: "nx-status", "aria-live": "polite" });
  const legend = el("ul", { class: "nx-legend", "aria-label": "legend" });
  const copyButton = el("button", { type: "button", class: "nx-copy" }, "Copy a link to this view");
  const copied = el("span", { class: "nx-copied", "aria-live": "polite" });
  root.replaceChildren(form, el("div", { class: "nx-arith" }, formula, result, note), alert, drawing, status, legend,
                       el("p", { class: "nx-share" }, copyButton, " ", copied));

  // ------------------------------------------------------------------ reading the settings

  const DEFAULTS = { op: "conv", dims: 2, ceil: false };
  for (const [key, , def] of NUMBERS) DEFAULTS[key] = def;
  let selected = [0, 0];

  const relevant = (key, op) => {
    const row = NUMBERS.find((n) => n[0] === key);
    if (row) return row[5].split(" ").includes(op);
    return key === "ceil" ? op === "max" || op === "avg" : true;
  };

  // The settings as numbers, or {problem}: a field the widget cannot use (these messages are the
  // widget's own; every message about a setting nnref could be called with is nnref's).
  function readForm() {
    const st = { op: opSelect.value, dims: Number(dimSelect.value), ceil: ceilBox.checked };
    for (const [key, label] of NUMBERS) {
      if (!relevant(key, st.op)) {
        st[key] = key === "dilation" ? 1 : 0; // average pooling has no dilation, only transposed has output_padding
        continue;
      }
      const text = controls[key].value.trim();
      if (!/^[+-]?\d+$/.test(text)) {
        const got = text === "" ? "" : `, got ${text}`;
        return { problem: `${label} must be a whole number${got}` };
      }
      const value = Number(text);
      if (Math.abs(value) > LIMIT) return { problem: `${label} must be between \u2212${LIMIT} and ${LIMIT} here, got ${text}` };
      if ((key === "input" || key === "kernel") && value < 1) {
        return { problem: `${label} must be at least 1 here: the widget draws arrays of at least one cell` };
      }
      st[key] = value;
    }
    return st;
  }

  // ------------------------------------------------------------------ nnref's arithmetic and messages

  const tuple = (v, n) => (n === 1 ? `(${v},)` : `(${Array(n).fill(v).join(", ")})`);
  const floorDiv = (a, b) => Math.floor(a / b);

  // The output length along one axis, or nnref's error message for the same call
  // (nnref.conv1d/2d, conv_transpose1d/2d, max_pool1d/2d, avg_pool1d/2d, argument checks in
  // nnref's order). In 2-D every number applies to both axes, so the height fails first.
  function arithmetic(st) {
    const n = st.dims;
    const fn = `${FN[st.op]}${n}d`;
    const axis = n === 1 ? "length" : "height";
    const { input: L, kernel: k, stride: s, padding: p, dilation: d, output_padding: a } = st;
    const atLeast = (name, v, min) => `${fn}: ${name} must be an integer >= ${min}, got ${v}`;
    if (st.op === "conv" || st.op === "transposed") {
      if (s < 1) return { error: atLeast("stride", s, 1) };
      if (d < 1) return { error: atLeast("dilation", d, 1) };
      if (p < 0) return { error: atLeast("padding", p, 0) };
      if (st.op === "transposed" && a < 0) return { error: atLeast("output_padding", a, 0) };
    } else {
      if (s < 1) return { error: atLeast("stride", s, 1) };
      if (p < 0) return { error: atLeast("padding", p, 0) };
      if (st.op === "max" && d < 1) return { error: atLeast("dilation", d, 1) };
      if (p > floorDiv(k, 2)) {
        return { error: `${fn}: padding must be at most half the kernel size (padding <= kernel_size // 2, as in `
                        + `PyTorch), got padding=${tuple(p, n)} and kernel_size=${tuple(k, n)}` };
      }
    }
    const span = d * (k - 1) + 1;
    if (st.op === "conv") {
      const padded = L + 2 * p;
      if (span > padded) {
        const spans = d === 1 ? "" : ` spans ${d}*(${k}-1)+1 = ${span} and`;
        return { error: `${fn}: kernel ${k} (dilation ${d})${spans} is larger than the padded input ${axis} `
                        + `${L} + 2*${p} = ${padded}; add padding or use a smaller kernel` };
      }
      return { out: floorDiv(padded - span, s) + 1 };
    }
    if (st.op === "transposed") {
      if (a >= s && a >= d) {
        return { error: `${fn}: output_padding ${a} must be smaller than the stride ${s} or the dilation ${d} `
                        + `along the ${axis}, as in PyTorch; use output_padding < ${Math.max(s, d)}` };
      }
      const out = (L - 1) * s - 2 * p + d * (k - 1) + a + 1;
      if (out < 1) {
        return { error: `${fn}: output ${axis} (i-1)*s - 2*p + d*(k-1) + output_padding + 1 = `
                        + `(${L}-1)*${s} - 2*${p} + ${d}*(${k}-1) + ${a} + 1 = ${out} is not positive; use less padding` };
      }
      return { out };
    }
    // pooling: nnref.pool_output_size, with PyTorch's ceil_mode rule
    const numerator = L + 2 * p - span;
    let out = floorDiv(numerator + (st.ceil ? s - 1 : 0), s) + 1;
    const dropped = st.ceil && (out - 1) * s >= L + p;
    if (dropped) out -= 1;
    if (out < 1) {
      const dd = st.op === "avg" ? 1 : d;
      return { error: `${fn}: spatial size ${tuple(L, n)} is too small for kernel_size ${tuple(k, n)} with dilation `
                      + `${tuple(dd, n)} and padding ${tuple(p, n)} (the output would be empty)` };
    }
    return { out, dropped };
  }

  // ------------------------------------------------------------------ the formula with its numbers

  const v = (x) => `<var>${x}</var>`;
  const num = (x) => (x < 0 ? `\u2212${-x}` : String(x));
  const lhs = (n) => (n === 1 ? `${v("L")}<sub>out</sub>` : `${v("H")}<sub>out</sub> = ${v("W")}<sub>out</sub>`);

  function formulaHTML(st, res) {
    const n = st.dims;
    const L = n === 1 ? v("L") : v("H");
    const { input: Ln, kernel: k, stride: s, padding: p, output_padding: a } = st;
    const d = st.op === "avg" ? 1 : st.dilation;
    if (st.op === "transposed") {
      const general = `(${L} \u2212 1)${v("s")} \u2212 2${v("p")} + ${v("d")}(${v("k")} \u2212 1) + <code>output_padding</code> + 1`;
      const filled = `(${Ln} \u2212 1)\u00b7${s} \u2212 2\u00b7${p} + ${d}\u00b7(${k} \u2212 1) + ${a} + 1`;
      return `${lhs(n)} = ${general} = ${filled} = <strong>${num(res.out)}</strong>`;
    }
    const [open, close] = st.ceil && st.op !== "conv" ? ["\u2308", "\u2309"] : ["\u230a", "\u230b"];
    const top = Ln + 2 * p - d * (k - 1) - 1;
    const general = `${open}(${L} + 2${v("p")} \u2212 ${v("d")}(${v("k")} \u2212 1) \u2212 1) / ${v("s")}${close} + 1`;
    const filled = `${open}(${Ln} + 2\u00b7${p} \u2212 ${d}\u00b7(${k} \u2212 1) \u2212 1) / ${s}${close} + 1`;
    const raw = res.out + (res.dropped ? 1 : 0);
    let html = `${lhs(n)} = ${general} = ${filled} = ${open}${num(top)} / ${s}${close} + 1 = `;
    html += res.dropped ? `${raw}` : `<strong>${num(res.out)}</strong>`;
    if (res.dropped) {
      html += `, but the last window would start at (${raw} \u2212 1)\u00b7${s} = ${(raw - 1) * s} \u2265 `
              + `${L} + ${v("p")} = ${Ln + p}, inside the right padding, and ceil mode drops it: `
              + `${lhs(n)} = <strong>${res.out}</strong>`;
    }
    return html;
  }

  // ------------------------------------------------------------------ geometry along one axis

  // Convolution and pooling: the padded input's cells are u = -p .. L+p-1 (input coordinates);
  // output i reads the taps u = s*i + d*a - p, a = 0..k-1. In ceil mode a last window may run past
  // the padded input: those taps read nothing ("beyond").
  function windowAxis(st, out) {
    const { input: L, kernel: k, stride: s, padding: p } = st;
    const d = st.op === "avg" ? 1 : st.dilation;
    const taps = (i) => Array.from({ length: k }, (_, a) => s * i + d * a - p);
    const beyond = Math.max(0, (out - 1) * s + d * (k - 1) + 1 - (L + 2 * p));
    return { L, p, d, k, s, out, taps, beyond, cells: L + 2 * p + beyond };
  }

  // Transposed convolution: input n stamps its kernel copy at t = s*n + d*a (t = 0..F-1 before the
  // crop); output o is t = o + p, so p cells are cropped at each end (output_padding adds cells
  // at the end, beyond the last copy when it exceeds p).
  function stampAxis(st, out) {
    const { input: L, kernel: k, stride: s, padding: p, dilation: d } = st;
    const F = (L - 1) * s + d * (k - 1) + 1;
    const T = Math.max(F, p + out);
    const counts = new Array(T).fill(0);
    for (let n = 0; n < L; n++) for (let a = 0; a < k; a++) counts[s * n + d * a] += 1;
    const stamp = (n) => Array.from({ length: k }, (_, a) => s * n + d * a);
    return { L, p, d, k, s, out, F, T, counts, stamp };
  }

  // The most cells the drawing would have along one axis (any panel), without building it: the
  // numbers may be far too large to draw.
  function extent(st, out) {
    const { input: L, kernel: k, stride: s, padding: p } = st;
    const d = st.op === "avg" ? 1 : st.dilation;
    const span = d * (k - 1) + 1;
    if (st.op === "transposed") return Math.max(L, span, (L - 1) * s + span, p + out);
    return Math.max(span, out, L + 2 * p + Math.max(0, (out - 1) * s + span - (L + 2 * p)));
  }

  // ------------------------------------------------------------------ drawing

  const PAD = 22; // room for the index labels, in SVG units
  const range = (n) => Array.from({ length: n }, (_, i) => i);

  function frameFor(rows, cols) {
    const width = PAD + cols * CELL + 4;
    const height = PAD + rows * CELL + 4;
    return { width, height, x: (c) => PAD + c * CELL, y: (r) => PAD + r * CELL };
  }

  function makeSVG(rows, cols, attrs) {
    const f = frameFor(rows, cols);
    const svg = sv("svg", { viewBox: `0 0 ${f.width} ${f.height}`, width: String(f.width), height: String(f.height),
                            ...attrs });
    return { svg, f };
  }

  // Index labels along the top (columns) and, in 2-D, the left (rows): first cell's index is `first`.
  function labels(f, rows, cols, first, dims) {
    const g = sv("g", { class: "nx-index", "aria-hidden": "true" });
    const step = Math.max(1, Math.ceil(cols / 24));
    for (let c = 0; c < cols; c += step) {
      g.append(sv("text", { x: f.x(c) + CELL / 2, y: PAD - 7, "text-anchor": "middle" }, num(c + first)));
    }
    if (dims === 2) {
      const rstep = Math.max(1, Math.ceil(rows / 24));
      for (let r = 0; r < rows; r += rstep) {
        g.append(sv("text", { x: PAD - 5, y: f.y(r) + CELL / 2 + 4, "text-anchor": "end" }, num(r + first)));
      }
    }
    return g;
  }

  function figure(caption, svg) {
    return el("figure", { class: "nx-panel" }, el("figcaption", {}, caption), svg);
  }

  const dimsText = (n, dims) => (dims === 1 ? `${n}` : `${n} \u00d7 ${n}`);

  function kernelPanel(st, geo) {
    const { k, d } = geo;
    const span = d * (k - 1) + 1;
    const rows = st.dims === 1 ? 1 : span;
    const name = st.op === "max" || st.op === "avg" ? "window" : "kernel w";
    const spanText = d > 1 ? `, dilation ${d}: spans ${dimsText(span, st.dims)}` : "";
    const caption = `${name}: ${dimsText(k, st.dims)}${spanText}`;
    const { svg, f } = makeSVG(rows, span, { role: "img", class: "nx-kernel",
      "aria-label": `${caption}; ${d > 1 ? `taps every ${d} cells, the cells between them are skipped` : "every cell is a tap"}` });
    const g = sv("g");
    for (const r of range(rows)) {
      for (const c of range(span)) {
        const tap = c % d === 0 && r % d === 0;
        g.append(sv("rect", { x: f.x(c), y: f.y(r), width: CELL, height: CELL, class: tap ? "nx-tap" : "nx-gap" }));
      }
    }
    svg.append(g);
    return figure(caption, svg);
  }

  // The grid's keyboard: arrow keys move the selection, Home and End go to the ends of a row.
  // `selected` is [i, 0] in 1-D (the cell's index) and [i, j] (row, column) in 2-D.
  function makeInteractive(svg, dims, count, label) {
    svg.setAttribute("role", "grid");
    svg.setAttribute("tabindex", "0");
    svg.setAttribute("aria-label", label);
    const moves = dims === 1
      ? { ArrowLeft: [-1, 0], ArrowRight: [1, 0] }
      : { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    svg.addEventListener("keydown", (ev) => {
      let [i, j] = selected;
      if (ev.key in moves) {
        i += moves[ev.key][0];
        j += moves[ev.key][1];
      } else if (ev.key === "Home") {
        if (dims === 1) i = 0; else j = 0;
      } else if (ev.key === "End") {
        if (dims === 1) i = count - 1; else j = count - 1;
      } else {
        return;
      }
      ev.preventDefault();
      select([i, j]);
    });
    svg.addEventListener("click", (ev) => {
      const cell = ev.target.closest("[role=gridcell]");
      if (!cell) return;
      svg.focus({ preventScroll: true });
      select([Number(cell.dataset.i), dims === 1 ? 0 : Number(cell.dataset.j)]);
    });
  }
  let current = null; // {st, res, parts} of the setting shown

  // One grid of cells, `rows` x `cols`. `cellOf(r, c)` gives the cell's {cls, data} (its CSS class and
  // data-* attributes: the test hooks), and optionally {text, textCls, fill}, and {label} for a grid
  // the reader selects cells in (`interactive`: role="gridcell" cells with ids for aria-activedescendant).
  function cellGrid(f, rows, cols, cellOf, interactive, idPrefix) {
    const body = sv("g");
    const index = new Map();
    for (const r of range(rows)) {
      const row = interactive ? sv("g", { role: "row" }) : body;
      for (const c of range(cols)) {
        const spec = cellOf(r, c);
        const rect = sv("rect", { x: f.x(c), y: f.y(r), width: CELL, height: CELL, class: `nx-cell ${spec.cls}` });
        let node = rect;
        if (interactive || spec.text !== undefined) {
          node = sv("g", { class: "nx-cellbox" }, rect);
          if (spec.text !== undefined) {
            node.append(sv("text", { x: f.x(c) + CELL / 2, y: f.y(r) + CELL / 2 + 5, "text-anchor": "middle",
                                     class: spec.textCls || "" }, spec.text));
          }
        }
        for (const [k, val] of Object.entries(spec.data)) node.setAttribute(`data-${k}`, val);
        if (spec.fill) rect.style.fill = spec.fill;
        if (interactive) {
          node.setAttribute("role", "gridcell");
          node.setAttribute("id", `${idPrefix}-${r}-${c}`);
          node.setAttribute("aria-label", spec.label);
          node.setAttribute("aria-selected", "false");
        }
        row.append(node);
        index.set(`${r},${c}`, node);
      }
      if (interactive) body.append(row);
    }
    return { body, index };
  }

  // The grid the reader selects cells in: the op's `name` ("input" or "output", drawn as `letter`),
  // `size` cells per axis, with the keyboard and clicks of makeInteractive. `mark(key)` shows cell
  // `key` ("r,c") as the selected one, to the eye and to a screen reader (aria-activedescendant).
  function selectableGrid(n, size, name, letter, tag) {
    const { svg, f } = makeSVG(n === 1 ? 1 : size, size, { class: `nx-svg-${tag}` });
    const idPrefix = `nx-${name[0]}`;
    const grid = cellGrid(f, n === 1 ? 1 : size, size, (r, c) => ({
      cls: `nx-${tag}`, data: n === 1 ? { cell: name, i: c } : { cell: name, i: r, j: c },
      label: n === 1 ? `${name} ${c}` : `${name} (${r}, ${c})`,
    }), true, idPrefix);
    svg.append(labels(f, n === 1 ? 1 : size, size, 0, n), grid.body);
    makeInteractive(svg, n, size,
                    `${name} ${letter}, ${n === 1 ? size : `${size} by ${size}`} cells: arrow keys select a cell`);
    const mark = (key) => {
      for (const [k, node] of grid.index) node.setAttribute("aria-selected", k === key ? "true" : "false");
      svg.setAttribute("aria-activedescendant", `${idPrefix}-${key.replace(",", "-")}`);
    };
    return { svg, mark };
  }

  const posText = (u, lo, hi) => `${num(u)}${u < lo || u >= hi ? " (padding)" : ""}`;
  const list = (xs) => xs.join(", ");

  function drawWindows(st, res) {
    const geo = windowAxis(st, res.out);
    const n = st.dims;
    const rowsIn = n === 1 ? 1 : geo.cells;
    const inSvg = makeSVG(rowsIn, geo.cells, { role: "img", class: "nx-svg-in" });
    const padText = geo.p ? `, padding ${geo.p} (grey)` : "";
    const inCaption = `input x: ${dimsText(geo.L, n)}${padText}`;
    const inGrid = cellGrid(inSvg.f, rowsIn, geo.cells, (r, c) => {
      const u = c - geo.p;
      const ur = n === 1 ? 0 : r - geo.p;
      const inside = (w) => w >= 0 && w < geo.L;
      const beyond = c >= geo.L + 2 * geo.p || (n === 2 && r >= geo.L + 2 * geo.p);
      const kind = beyond ? "beyond" : inside(u) && (n === 1 || inside(ur)) ? "input" : "padding";
      const data = { cell: kind === "beyond" ? "beyond" : "input", i: n === 1 ? u : ur };
      if (n === 2) data.j = u;
      if (kind !== "beyond") data.pad = kind === "padding" ? "true" : "false";
      return { cls: `nx-${kind}`, data };
    }, false);
    inSvg.svg.append(labels(inSvg.f, rowsIn, geo.cells, -geo.p, n), inGrid.body);
    const frame = sv("rect", { class: "nx-frame", "aria-hidden": "true" });
    inSvg.svg.append(frame);

    const outGrid = selectableGrid(n, geo.out, "output", "y", "out");

    drawing.replaceChildren(figure(inCaption, inSvg.svg), kernelPanel(st, geo),
                            figure(`output y: ${dimsText(geo.out, n)}`, outGrid.svg));
    drawing.dataset.dims = String(n);
    const cellsRead = (i) => geo.taps(i).filter((u) => u < geo.L + geo.p);
    return {
      geo,
      highlight([i, j]) {
        for (const node of inGrid.index.values()) node.removeAttribute("data-read");
        const rows = n === 1 ? [0] : cellsRead(i);
        const cols = cellsRead(n === 1 ? i : j);
        for (const ur of rows) {
          for (const u of cols) {
            const node = inGrid.index.get(`${n === 1 ? 0 : ur + geo.p},${u + geo.p}`);
            if (node) node.setAttribute("data-read", "true");
          }
        }
        // the window's frame, from its first tap to its last (past the padded input in ceil mode)
        const c0 = (n === 1 ? i : j) * geo.s;
        const r0 = n === 1 ? 0 : i * geo.s;
        const span = geo.d * (geo.k - 1) + 1;
        const f = inSvg.f;
        frame.setAttribute("x", f.x(c0) - 1.5);
        frame.setAttribute("y", f.y(r0) - 1.5);
        frame.setAttribute("width", span * CELL + 3);
        frame.setAttribute("height", (n === 1 ? 1 : span) * CELL + 3);
        outGrid.mark(n === 1 ? `0,${i}` : `${i},${j}`);
        const past = geo.taps(n === 1 ? i : j).length - cols.length;
        const pastText = past ? `; ${past} tap${past > 1 ? "s" : ""} of this partial window fall${past > 1 ? "" : "s"} past the padded input and read nothing` : "";
        const hi = geo.L;
        if (n === 1) {
          status.textContent = `Output ${i} reads input${cols.length > 1 ? "s" : ""} ${list(cols.map((u) => posText(u, 0, hi)))}${pastText}.`;
        } else {
          const pads = rows.length * cols.length - rows.filter((r) => r >= 0 && r < hi).length * cols.filter((c) => c >= 0 && c < hi).length;
          status.textContent = `Output (${i}, ${j}) reads the ${rows.length * cols.length} input cells in rows `
            + `${list(rows.map(num))} and columns ${list(cols.map(num))}`
            + `${pads ? ` (${pads} of them padding)` : ""}${pastText}.`;
        }
        inSvg.svg.setAttribute("aria-label", `${inCaption}. ${status.textContent}`);
      },
      count: geo.out,
    };
  }

  function heat(count, max) {
    if (count === 0) return null;
    const level = Math.min(HEAT_FILL.length - 1, Math.max(0, Math.ceil((count / max) * HEAT_FILL.length) - 1));
    return { fill: HEAT_FILL[level], textCls: level < HEAT_DARK_TEXT ? "nx-ink-dark" : "nx-ink-light" };
  }

  function drawStamps(st, res) {
    const geo = stampAxis(st, res.out);
    const n = st.dims;
    const inGrid = selectableGrid(n, geo.L, "input", "x", "in");

    const rowsOut = n === 1 ? 1 : geo.T;
    const countAt = (t) => (t < geo.F ? geo.counts[t] : 0);
    let max = 1;
    for (const a of range(geo.T)) for (const b of n === 1 ? [0] : range(geo.T)) {
      max = Math.max(max, countAt(a) * (n === 1 ? 1 : countAt(b)));
    }
    const outSvg = makeSVG(rowsOut, geo.T, { role: "img", class: "nx-svg-out" });
    const isOut = (t) => t >= geo.p && t < geo.p + geo.out;
    const outGrid = cellGrid(outSvg.f, rowsOut, geo.T, (r, c) => {
      const count = n === 1 ? countAt(c) : countAt(r) * countAt(c);
      const inside = isOut(c) && (n === 1 || isOut(r));
      const shade = inside ? heat(count, max) : null;
      const data = n === 1 ? { "full-i": c } : { "full-i": r, "full-j": c };
      data["full-overlap"] = count;
      if (inside) {
        data.cell = "output";
        data.i = n === 1 ? c - geo.p : r - geo.p;
        if (n === 2) data.j = c - geo.p;
        data.overlap = count;
      } else {
        data.cell = "cropped";
      }
      return { cls: inside ? "nx-out" : "nx-cropped", data, text: String(count), fill: shade && shade.fill,
               textCls: inside ? (shade ? shade.textCls : "nx-ink-zero") : "nx-ink-cropped" };
    }, false);
    outSvg.svg.append(labels(outSvg.f, rowsOut, geo.T, -geo.p, n), outGrid.body);
    const stampFrame = sv("rect", { class: "nx-frame", "aria-hidden": "true" });
    outSvg.svg.append(stampFrame);
    const after = Math.max(0, geo.F - geo.p - geo.out); // output_padding gives back cells of the end's crop
    const crop = geo.p ? `; grey: cropped by padding ${geo.p} (${geo.p} before, ${after} after${after < geo.p ? `: output_padding ${st.output_padding} keeps ${geo.p - after}` : ""})` : "";
    const extra = geo.T > geo.F ? `; the last ${geo.T - geo.F}, added by output_padding, lie past every kernel copy` : "";
    const outCaption = `output y: ${dimsText(geo.out, n)}, taps per cell${crop}${extra}`;
    drawing.replaceChildren(figure(`input x: ${dimsText(geo.L, n)}`, inGrid.svg), kernelPanel(st, geo),
                            figure(outCaption, outSvg.svg));
    drawing.dataset.dims = String(n);
    return {
      geo,
      highlight([i, j]) {
        for (const node of outGrid.index.values()) node.removeAttribute("data-written");
        const rows = n === 1 ? [0] : geo.stamp(i);
        const cols = geo.stamp(n === 1 ? i : j);
        let inOut = 0;
        for (const r of rows) {
          for (const c of cols) {
            const node = outGrid.index.get(`${r},${c}`);
            node.setAttribute("data-written", "true");
            if (node.dataset.cell === "output") inOut += 1;
          }
        }
        const span = geo.d * (geo.k - 1) + 1;
        const f = outSvg.f;
        stampFrame.setAttribute("x", f.x(cols[0]) - 1.5);
        stampFrame.setAttribute("y", f.y(rows[0]) - 1.5);
        stampFrame.setAttribute("width", span * CELL + 3);
        stampFrame.setAttribute("height", (n === 1 ? 1 : span) * CELL + 3);
        inGrid.mark(n === 1 ? `0,${i}` : `${i},${j}`);
        const total = rows.length * cols.length;
        const lost = total - inOut;
        const lostText = lost ? ` (${lost} of its ${total} taps land in the cropped border)` : "";
        const outs = (ts) => list(ts.filter(isOut).map((t) => num(t - geo.p)));
        if (n === 1) {
          status.textContent = `Input ${i} writes output${inOut === 1 ? "" : "s"} ${outs(cols) || "none"}: its kernel copy `
            + `starts at s\u00b7${i} \u2212 p = ${num(geo.s * i - geo.p)}${lostText}.`;
        } else {
          status.textContent = `Input (${i}, ${j}) writes the ${inOut} output cells in rows ${outs(rows) || "none"} `
            + `and columns ${outs(cols) || "none"}${lostText}.`;
        }
        outSvg.svg.setAttribute("aria-label", `${outCaption}. ${status.textContent}`);
      },
      count: geo.L,
    };
  }

  // ------------------------------------------------------------------ legend and teaching notes

  function legendFor(st) {
    const items = st.op === "transposed"
      ? [["nx-sw-sel", "selected input cell"], ["nx-sw-heat", "taps landing on an output cell (darker: more)"],
         ["nx-sw-frame", "the selected input's kernel copy"], ["nx-sw-pad", "cropped by the padding"]]
      : [["nx-sw-sel", "selected output cell"], ["nx-sw-read", "input cells it reads"],
         ["nx-sw-frame", "its window, first tap to last"], ["nx-sw-pad", "padding"]];
    legend.replaceChildren(...items.map(([cls, text]) => el("li", {}, el("span", { class: `nx-swatch ${cls}`, "aria-hidden": "true" }), text)));
  }

  function noteFor(st, res) {
    if (st.op === "transposed") {
      const { kernel: k, stride: s } = st;
      if (st.dilation !== 1) return "Each input cell stamps a copy of the dilated kernel; where copies overlap they add up.";
      if (k % s === 0) return `k = ${k} is a multiple of s = ${s}: away from the borders every output cell gets ${k / s} tap${k / s > 1 ? "s" : ""}, an even overlap.`;
      const lo = Math.floor(k / s);
      const hi = lo + 1;
      return `k = ${k} is not a multiple of s = ${s}: away from the borders the counts alternate between ${lo} and ${hi}, the checkerboard pattern.`;
    }
    const geo = windowAxis(st, res.out);
    if (geo.beyond) return "Ceil mode keeps a last, partial window: its taps past the padded input read nothing.";
    const used = (res.out - 1) * st.stride + geo.d * (geo.k - 1) + 1;
    const left = st.input + 2 * st.padding - used;
    if (left > 0) return `The last ${left} cell${left > 1 ? "s" : ""} of the padded input ${left > 1 ? "are" : "is"} read by no window: the floor drops a window that would not fit.`;
    return "";
  }

  // ------------------------------------------------------------------ the URL

  const URL_KEYS = ["op", "dims", "input", "kernel", "stride", "padding", "dilation", "output_padding", "ceil", "cell"];

  // The controls from a query string; a missing parameter means its default.
  function readURL(search) {
    const q = new URLSearchParams(search);
    opSelect.value = q.get("op") in OPS ? q.get("op") : DEFAULTS.op;
    dimSelect.value = q.get("dims") === "1" || q.get("dims") === "2" ? q.get("dims") : String(DEFAULTS.dims);
    for (const [key, , def] of NUMBERS) controls[key].value = q.has(key) ? q.get(key) : String(def);
    ceilBox.checked = q.get("ceil") === "1" || q.get("ceil") === "true";
    const cell = (q.get("cell") || "0").split(",").map(Number);
    selected = cell.every((x) => Number.isInteger(x) && x >= 0) ? [cell[0], cell[1] || 0] : [0, 0];
  }

  function urlFor() {
    const q = new URLSearchParams();
    const op = opSelect.value;
    q.set("op", op);
    q.set("dims", dimSelect.value);
    for (const [key, , def] of NUMBERS) {
      if (relevant(key, op) && controls[key].value.trim() !== String(def)) q.set(key, controls[key].value.trim());
    }
    if (relevant("ceil", op) && ceilBox.checked) q.set("ceil", "1");
    if (selected[0] || selected[1]) q.set("cell", Number(dimSelect.value) === 1 ? `${selected[0]}` : `${selected[0]},${selected[1]}`);
    return `${window.location.pathname}?${q}`;
  }

  // The address follows the view, written a moment after the last change: browsers throttle
  // history.replaceState when it is called on every keystroke or arrow key. While a write is
  // pending the widget carries data-url-pending (the browser test waits for it to clear).
  let urlTimer = null;
  function writeURL() {
    clearTimeout(urlTimer);
    root.dataset.urlPending = "1";
    urlTimer = setTimeout(() => {
      delete root.dataset.urlPending;
      if (!root.isConnected) return; // the reader has left the page (instant navigation)
      const url = urlFor();
      if (url !== window.location.pathname + window.location.search) window.history.replaceState(window.history.state, "", url);
    }, 250);
  }

  copyButton.addEventListener("click", () => {
    const href = new URL(urlFor(), window.location.href).href;
    const done = (text) => { copied.textContent = text; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(href).then(() => done("Copied."), () => done(`Copy this address: ${href}`));
    } else {
      done(`Copy this address: ${href}`);
    }
  });

  // ------------------------------------------------------------------ update

  function select(cell) {
    if (!current || !current.parts) return;
    const last = current.parts.count - 1;
    const clamp = (x) => Math.min(Math.max(0, x), last);
    selected = [clamp(cell[0]), current.st.dims === 1 ? 0 : clamp(cell[1])];
    current.parts.highlight(selected);
    writeURL();
  }

  function update(fromUser) {
    const op = opSelect.value;
    for (const box of form.querySelectorAll(".nx-field")) box.hidden = !relevant(box.dataset.key, op);
    const st = readForm();
    root.dataset.op = op;
    copied.textContent = "";
    const fail = (message) => {
      alert.textContent = message;
      alert.hidden = false;
      formula.replaceChildren();
      result.replaceChildren();
      note.textContent = "";
      drawing.replaceChildren();
      legend.replaceChildren();
      status.textContent = "";
      current = { st, res: null, parts: null };
    };
    if (st.problem) {
      fail(st.problem);
    } else {
      const res = arithmetic(st);
      if (res.error) {
        fail(res.error);
      } else {
        alert.textContent = "";
        alert.hidden = true;
        formula.innerHTML = formulaHTML(st, res);
        outSize.textContent = dimsText(res.out, st.dims);
        result.replaceChildren(`Output size: `, outSize, st.op === "transposed" ? ` from an input of ${dimsText(st.input, st.dims)}.` : ".");
        note.textContent = noteFor(st, res);
        const longest = extent(st, res.out);
        if (longest > MAX_CELLS[st.dims]) {
          drawing.replaceChildren(el("p", { class: "nx-toolarge" }, `Too large to draw (${longest} cells along an `
            + `axis, more than ${MAX_CELLS[st.dims]}); the output size above is still exact.`));
          legend.replaceChildren();
          status.textContent = "";
          current = { st, res, parts: null };
        } else {
          legendFor(st);
          const parts = st.op === "transposed" ? drawStamps(st, res) : drawWindows(st, res);
          current = { st, res, parts };
          const clamp = (x) => Math.min(Math.max(0, x), parts.count - 1);
          selected = [clamp(selected[0]), st.dims === 1 ? 0 : clamp(selected[1])];
          parts.highlight(selected);
        }
      }
    }
    if (fromUser) writeURL();
  }

  form.addEventListener("submit", (ev) => ev.preventDefault());
  form.addEventListener("input", () => update(true));
  form.addEventListener("change", () => update(true));

  // Links on this page to this page with other settings ("Things to try"): instant navigation
  // would change the address without reloading the page, so they are handled here. The listener
  // sits on the page's content, which the next navigation replaces.
  const scope = root.closest(".md-content") || root.parentElement;
  scope.addEventListener("click", (ev) => {
    const link = ev.target.closest("a[href]");
    if (!link || link.target || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
    const url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname !== window.location.pathname || !url.searchParams.has("op")) return;
    ev.preventDefault();
    ev.stopPropagation();
    readURL(url.search);
    update(false);
    writeURL();
    root.scrollIntoView({ block: "start" });
    opSelect.focus({ preventScroll: true });
  });

  readURL(window.location.search);
  update(false);
})();
