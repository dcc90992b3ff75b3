"""Check the explorer (docs/visual/explorer.md) against nnref's own answers, in headless Chromium.

    python scripts/browser_explorer.py [SITE_DIR] [--sample N]

scripts/browser_test.py calls :func:`check_explorer`; run alone, this script serves SITE_DIR
(default ``site``) itself. The oracle is ``figures/explorer/explorer.json`` of the built site,
written by scripts/figures/explorer.py from real nnref calls. Checks:

* **nnref's answers**: for every setting of the oracle (or a seeded sample of ``N``, at least
  200), the widget's controls, found by their accessible names, are set and the widget must
  show nnref's output size, highlight exactly the input cells nnref's op reads for each listed
  output cell (convolution, pooling), show nnref's overlap count on every output cell and
  highlight the output cells each listed input cell writes (transposed convolution), or, for an
  invalid setting, show nnref's message in the ``role="alert"`` element and no drawing. The
  controls are set in the page (value, then one ``input`` event, the event a user's edit
  fires), which keeps thousands of settings within seconds.
* **beyond the grid**: settings far too large to run (input 1000000, ...) must show the size
  nnref's size functions (``conv_output_size``, ...) give, and no drawing.
* **real input**: six settings typed with Playwright (select, fill, check), the keyboard
  alone (Tab to the grid, arrow keys move the selection), the shareable URL (a new page opened
  on the address restores the same view, for three of them), a link on the page to another
  setting, and instant navigation into the page, with and without a query string.
* **accessibility**: axe-core's WCAG 2 A and AA rules (and 2.1's) on the page in the light and
  the dark scheme, 1280 and 390 pixels wide; at 390 pixels also the widget showing a transposed
  convolution and an invalid setting; no horizontal scrolling; no console error.
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

ORACLE = "figures/explorer/explorer.json"
PAGE = "/visual/explorer/"
LABELS = {"op": "operation", "dims": "dimensions", "input": "input size", "kernel": "kernel size", "stride": "stride",
          "padding": "padding", "dilation": "dilation", "output_padding": "output padding", "ceil": "ceil mode"}
OP_TEXT = {"conv": "convolution", "transposed": "transposed convolution", "max": "max pooling",
           "avg": "average pooling"}
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
SCHEMES = {"light": "default", "dark": "slate"}
TIMEOUT_MS = 20_000

# Runs in the page: set the controls for each setting, read what the widget shows, and list every
# difference from nnref's answer. `ids` maps each setting key to its control's id (found by label).
COMPARE = r"""([ids, rows]) => {
    const root = document.getElementById("nnref-explorer");
    const diffs = [];
    let cells = 0;
    const key = (xs) => JSON.stringify(xs.map((x) => x.map(Number))
        .sort((a, b) => a[0] - b[0] || (a[1] ?? 0) - (b[1] ?? 0)));
    const show = JSON.stringify;
    const cellName = (i, j, dims) => (dims === 1 ? `${i}` : `(${i}, ${j})`);
    const where = (row) => Object.keys(ids).map((k) => `${k}=${row[k]}`).join(" ");
    const relevant = (k, op) => k === "op" || k === "dims" || k === "input" || k === "kernel" || k === "stride"
        || k === "padding" || (k === "dilation" && op !== "avg") || (k === "output_padding" && op === "transposed")
        || (k === "ceil" && (op === "max" || op === "avg"));
    const coordsOf = (nodes, dims) => nodes.map((n) => (dims === 1 ? [n.dataset.i] : [n.dataset.i, n.dataset.j]));
    const pick = (sel) => Array.from(root.querySelectorAll(sel));
    // Click each listed cell of the grid `from` ("input" or "output") and compare the cells of `to`
    // that the widget then marks (the selector `marked`) with nnref's list for that cell.
    const clickEach = (row, here, from, to, marked, lists, verb) => {
        (row.dims === 1 ? lists.map((_, i) => [i]) : row.cells).forEach((cell, m) => {
            const sel = `[data-cell=${from}][data-i="${cell[0]}"]` + (row.dims === 1 ? "" : `[data-j="${cell[1]}"]`);
            const target = root.querySelector(sel);
            if (!target) { diffs.push(`${here}: no ${from} cell ${cell}`); return; }
            target.dispatchEvent(new MouseEvent("click", { bubbles: true }));
            cells += 1;
            const got = key(coordsOf(pick(marked), row.dims));
            const want = key(lists[m].map((c) => c.map(String)));
            if (got !== want) diffs.push(`${here}: ${from} ${cell} highlights ${to}s ${got}, nnref ${verb} ${want}`);
        });
    };
    for (const row of rows) {
        let last = null;
        for (const [k, id] of Object.entries(ids)) {
            if (!relevant(k, row.op)) continue;
            const c = document.getElementById(id);
            if (c.type === "checkbox") c.checked = row[k]; else c.value = String(row[k]);
            last = c;
        }
        last.dispatchEvent(new Event("input", { bubbles: true }));
        const alert = root.querySelector("[role=alert]");
        const shownAlert = alert && !alert.hidden ? alert.textContent : "";
        const size = root.querySelector("[data-testid=output-size]");
        const shownSize = size && size.isConnected && size.offsetParent !== null ? size.textContent : "";
        const svgs = root.querySelectorAll(".nx-drawing svg").length;
        const here = where(row);
        if (row.error !== undefined) {
            if (shownAlert !== row.error) diffs.push(`${here}: message ${show(shownAlert)}, nnref ${show(row.error)}`);
            if (shownSize || svgs) diffs.push(`${here}: invalid, but a size (${shownSize}) or ${svgs} drawings shown`);
            continue;
        }
        if (shownAlert) {
            diffs.push(`${here}: message ${show(shownAlert)}, but nnref gives an output ${row.out}`);
            continue;
        }
        const expectSize = row.out.join(" \u00d7 ");
        if (shownSize !== expectSize) diffs.push(`${here}: output size ${show(shownSize)}, nnref ${expectSize}`);
        const outs = pick("[data-cell=output]");
        const expectCells = row.out.reduce((a, b) => a * b, 1);
        if (outs.length !== expectCells) diffs.push(`${here}: ${outs.length} output cells, nnref ${expectCells}`);
        if (row.op === "transposed") {
            for (const n of outs) {
                cells += 1;
                const i = Number(n.dataset.i), j = Number(n.dataset.j);
                const want = row.dims === 1 ? row.overlap[i] : row.overlap[i][j];
                if (Number(n.dataset.overlap) !== want) {
                    const name = cellName(i, j, row.dims);
                    diffs.push(`${here}: output ${name} shows ${n.dataset.overlap} taps, nnref ${want}`);
                }
            }
            for (const n of pick("[data-full-overlap]")) {
                const i = Number(n.dataset.fullI), j = Number(n.dataset.fullJ);
                const full = row.overlap_full;
                const inside = i < full.length && (row.dims === 1 || j < full[0].length);
                const want = !inside ? 0 : row.dims === 1 ? full[i] : full[i][j];
                if (Number(n.dataset.fullOverlap) !== want) {
                    diffs.push(`${here}: cell ${cellName(i, j, row.dims)} before the crop shows `
                               + `${n.dataset.fullOverlap} taps, checkerboard_overlap ${want}`);
                }
            }
            clickEach(row, here, "input", "output", "[data-cell=output][data-written=true]", row.writes, "writes");
            const inCount = pick("[data-cell=input]").length;
            if (inCount !== row.input ** row.dims) diffs.push(`${here}: ${inCount} input cells drawn`);
        } else {
            clickEach(row, here, "output", "input", "[data-read=true]", row.reads, "reads");  // any marked cell
            const inCount = pick("[data-cell=input]").length;
            const padded = (row.input + 2 * row.padding) ** row.dims;
            if (inCount !== padded) diffs.push(`${here}: ${inCount} padded-input cells drawn, expected ${padded}`);
        }
    }
    return { diffs, cells };
}"""

# Runs in the page: set the controls of the visible fields to one setting, then fire one input event.
SET = r"""([ids, row]) => {
    let last = null;
    for (const [k, id] of Object.entries(ids)) {
        const c = document.getElementById(id);
        if (!(k in row) || c.closest("[hidden]")) continue;
        if (c.type === "checkbox") c.checked = row[k]; else c.value = String(row[k]);
        last = c;
        if (k === "op") c.dispatchEvent(new Event("input", { bubbles: true }));  // shows the op's fields
    }
    last.dispatchEvent(new Event("input", { bubbles: true }));
}"""

SETTLED = "() => !document.getElementById('nnref-explorer').dataset.urlPending"
BUILT = "() => { const r = document.getElementById('nnref-explorer'); return r && r.dataset.ready === '1'; }"

SHOWN = """() => {
    const root = document.getElementById("nnref-explorer");
    const alert = root.querySelector("[role=alert]");
    const size = root.querySelector("[data-testid=output-size]");
    return { alert: alert && !alert.hidden ? alert.textContent : "",
             size: size && size.offsetParent !== null ? size.textContent : "",
             read: Array.from(root.querySelectorAll("[data-cell=input][data-read=true]"))
                 .map((n) => [Number(n.dataset.i), Number(n.dataset.j ?? 0)]),
             focused: document.activeElement && document.activeElement.getAttribute("role"),
             active: document.activeElement && document.activeElement.getAttribute("aria-activedescendant"),
             built: root.dataset.ready === "1" && !!root.querySelector("form") };
}"""


def load_oracle(site):
    data = json.loads((Path(site) / ORACLE).read_text())
    keys = data["keys"]
    return keys, data["settings"]


def sample(rows, n, seed=0):
    """All rows, or ``n`` of them drawn with a fixed seed: an equal share of each (op, dims, valid)
    group (all of a smaller group), the rest drawn from what is left."""
    if n is None or n >= len(rows):
        return rows
    groups = {}
    for row in rows:
        groups.setdefault((row["op"], row["dims"], "error" in row), []).append(row)
    rng = random.Random(seed)
    per = n // len(groups)
    picked, left = [], []
    for group in groups.values():
        rng.shuffle(group)
        picked += group[:per]
        left += group[per:]
    return picked + rng.sample(left, n - len(picked))


def control_ids(page):
    """The id of each control, found by its accessible name (the label's text)."""
    return {key: page.get_by_label(label, exact=True).evaluate("c => c.id") for key, label in LABELS.items()
            if page.get_by_label(label, exact=True).count() == 1}


def set_by_hand(page, row):
    """Set a setting's controls as a user would: select, fill, check (only the visible ones)."""
    page.get_by_label("operation", exact=True).select_option(label=OP_TEXT[row["op"]])
    page.get_by_label("dimensions", exact=True).select_option(str(row["dims"]))
    for key in ("input", "kernel", "stride", "padding", "dilation", "output_padding"):
        control = page.get_by_label(LABELS[key], exact=True)
        if control.is_visible():
            control.fill(str(row[key]))
    ceil = page.get_by_label("ceil mode", exact=True)
    if ceil.is_visible():
        ceil.set_checked(bool(row["ceil"]))


def expected_size(row):
    return " \u00d7 ".join(str(o) for o in row["out"]) if "out" in row else ""


def check_by_hand(run, page, rows):
    """A few settings typed for real; then the URL they leave restores them in a new page."""
    where = "explorer (typed input)"
    count = 0
    other = page.context.new_page()  # where each address is opened again
    run.watch(other)
    for row in rows:
        set_by_hand(page, row)
        shown = page.evaluate(SHOWN)
        count += 1
        if shown["alert"] != row.get("error", ""):
            run.fail(where, f"{row}: message {shown['alert']!r}, nnref {row.get('error', '')!r}")
        if shown["size"] != expected_size(row):
            run.fail(where, f"{row}: output size {shown['size']!r}, nnref {expected_size(row)!r}")
        if count > 3:  # the first three addresses are opened again, which takes a page load each
            continue
        page.wait_for_function(SETTLED)
        url = page.url
        other.goto(url, wait_until="load")
        again = other.evaluate(SHOWN)
        view = lambda s: (s["alert"], s["size"], sorted(s["read"]))  # noqa: E731
        if view(again) != view(shown):
            run.fail("explorer (shared URL)", f"{url} shows {again}, the page it was copied from {shown}")
    other.close()
    return count


# Settings far beyond the grid, too large to run: the output size must still be nnref's, from its
# size functions, and the page must answer at once (no drawing, no array of a million cells).
LARGE = [
    {"op": "conv", "dims": 2, "input": 1000, "kernel": 7, "stride": 3, "padding": 2, "dilation": 2},
    {"op": "max", "dims": 1, "input": 999, "kernel": 4, "stride": 3, "padding": 2, "dilation": 1, "ceil": True},
    {"op": "avg", "dims": 2, "input": 4097, "kernel": 8, "stride": 8, "padding": 4, "ceil": True},
    {"op": "transposed", "dims": 1, "input": 1000000, "kernel": 1000000, "stride": 7, "padding": 3,
     "dilation": 5, "output_padding": 4},
]


def large_size(row):
    import nnref

    L, k, s, p, d = row["input"], row["kernel"], row["stride"], row["padding"], row.get("dilation", 1)
    if row["op"] == "conv":
        size = nnref.conv_output_size(L, k, s, p, d)
    elif row["op"] == "transposed":
        size = nnref.conv_transpose_output_size(L, k, s, p, row["output_padding"], d)
    else:
        size = nnref.pool_output_size(L, k, s, p, d, row.get("ceil", False))
    return " \u00d7 ".join([str(size)] * row["dims"])


def check_large(run, page, ids):
    where = "explorer (beyond the grid)"
    page.goto(run.base + PAGE, wait_until="load")
    for row in LARGE:
        page.evaluate(SET, [ids, row])
        shown = page.evaluate(SHOWN)
        drawn = page.evaluate("document.querySelectorAll('#nnref-explorer .nx-drawing svg').length")
        if shown["size"] != large_size(row) or shown["alert"] or drawn:
            run.fail(where, f"{row}: size {shown['size']!r} (nnref's size function {large_size(row)!r}), "
                            f"message {shown['alert']!r}, {drawn} drawings")
    page.wait_for_function(SETTLED)
    run.flush_events(where)
    return len(LARGE)


def check_keyboard(run, page, rows):
    """Tab from the first control to the output grid, then arrow keys select cells; compare with nnref."""
    where = "explorer (keyboard)"
    page.goto(run.base + PAGE + "?op=conv&dims=2&input=5&kernel=3", wait_until="load")
    page.get_by_label("operation", exact=True).focus()
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('role')") == "grid":
            break
    else:
        run.fail(where, "Tab never reaches the output grid")
        return False
    row = next(r for r in rows if r["op"] == "conv" and r["dims"] == 2 and r["input"] == 5 and r["kernel"] == 3
               and r["stride"] == 1 and r["padding"] == 0 and r["dilation"] == 1)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    shown = page.evaluate(SHOWN)
    want = sorted(map(tuple, row["reads"][row["cells"].index([1, 1])]))
    if shown["active"] != "nx-o-1-1" or sorted(map(tuple, shown["read"])) != want:
        run.fail(where, f"after ArrowRight, ArrowDown: active {shown['active']}, reads {sorted(shown['read'])}; "
                        f"nnref's output (1, 1) reads {want}")
    page.keyboard.press("End")
    page.wait_for_function(SETTLED)
    if page.evaluate(SHOWN)["active"] != "nx-o-1-2":
        run.fail(where, "End does not move to the last cell of the row")
    if "cell=1%2C2" not in page.url and "cell=1,2" not in page.url:
        run.fail(where, f"the selected cell is not in the address: {page.url}")
    return True


def check_links(run, page):
    """A link on the page to another setting, and instant navigation into the page with a query."""
    where = "explorer (links)"
    page.goto(run.base + PAGE, wait_until="load")
    page.evaluate("window.__notReloaded = true")
    page.get_by_role("link", name="with ceil mode").click()
    page.wait_for_function(SETTLED)
    shown = page.evaluate(SHOWN)
    if shown["size"] != "3" or "ceil=1" not in page.url:
        run.fail(where, f"the 'with ceil mode' link shows output size {shown['size']!r} at {page.url}")
    # Instant navigation from another page, as a concept page's link would: no reload, widget built.
    page.goto(run.base + "/concepts/padding-stride/", wait_until="load")
    page.evaluate("window.__notReloaded = true")
    page.evaluate("""() => { const a = document.createElement("a");
        a.href = "../../visual/explorer/?op=transposed&dims=1&input=4&kernel=3&stride=2";
        a.textContent = "explorer link";
        document.querySelector("article").append(a); }""")
    page.get_by_role("link", name="explorer link").click()
    page.wait_for_function(BUILT)
    shown = page.evaluate(SHOWN)
    if not page.evaluate("window.__notReloaded === true"):
        run.fail(where, "the link into the explorer reloaded the page: instant navigation is not used")
    if shown["size"] != "9":
        run.fail(where, f"after instant navigation with a query the widget shows {shown['size']!r}, expected 9")
    # Away and back by the navigation: the widget is built again, once.
    page.get_by_role("link", name="The checkerboard predictor").first.click()
    page.wait_for_url("**/visual/checkerboard/")
    page.get_by_role("link", name="Explorer").first.click()
    page.wait_for_function(BUILT)
    forms = page.evaluate("document.querySelectorAll('#nnref-explorer form').length")
    if forms != 1 or page.evaluate(SHOWN)["size"] != "3 \u00d7 3":
        run.fail(where, f"back on the explorer by instant navigation: {forms} forms, "
                        f"size {page.evaluate(SHOWN)['size']!r}")
    run.flush_events(where)


def check_axe(run, browser, axe, ids):
    """axe-core on the explorer, light and dark, wide and narrow: the whole page in its default view;
    at 390 px also the widget alone showing a transposed convolution and an invalid setting."""
    views = {"the default view": {},
             "a transposed convolution": dict(op="transposed", dims=2, input=3, kernel=3, stride=2, padding=1),
             "an invalid setting": dict(op="conv", dims=2, input=6, kernel=9, stride=1, padding=0)}
    tally = {}
    for scheme, width in [(s, w) for s in SCHEMES for w in (1280, 390)]:
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", run.route)
        page = context.new_page()
        run.watch(page)
        page.goto(run.base + PAGE, wait_until="load")
        shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        if shown != SCHEMES[scheme]:
            run.fail(f"explorer axe ({scheme})", f"the page shows the colour scheme {shown!r}")
        for name, row in views.items():
            if row and width != 390:  # the widget's other views: at the narrow width, where they are tightest
                continue
            where = f"explorer axe ({scheme}, {width} px, {name})"
            if row:  # the rest of the page is unchanged: check the widget alone
                page.evaluate(SET, [ids, row])
            context_ = {"include": [["#nnref-explorer"]]} if row else None
            violations = axe.run(page, context=context_, options=AXE_OPTIONS).response["violations"]
            tally[(scheme, width, name)] = len(violations)
            for v in violations:
                first = v["nodes"][0]
                run.fail(where, f"axe {v['id']} ({v['impact']}): {len(v['nodes'])} elements, first {first['target']}: "
                                f"{' '.join(first.get('failureSummary', '').split())[:240]}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                run.fail(where, f"the page scrolls sideways by {overflow} px")
        page.wait_for_function(SETTLED)
        run.flush_events(f"explorer axe ({scheme}, {width} px)")
        context.close()
    return tally


def check_explorer(run, browser, site, sample_size=None):
    """Every check of this module; failures go to ``run.fail``. Returns a summary for the report."""
    start = time.perf_counter()
    keys, rows = load_oracle(site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.route("**/*", run.route)
    page = context.new_page()
    run.watch(page)
    page.goto(run.base + PAGE, wait_until="load")
    ids = {}
    for op in ("transposed", "max"):  # each control is visible for one of these
        page.get_by_label("operation", exact=True).select_option(label=OP_TEXT[op])
        ids.update(control_ids(page))
    missing = [LABELS[k] for k in keys if k not in ids]
    if missing:
        run.fail("explorer", f"no control labelled {missing}")
        return {}
    chosen = sample(rows, sample_size)
    diffs, cells = [], 0
    compare_start = time.perf_counter()
    for i in range(0, len(chosen), 250):
        result = page.evaluate(COMPARE, [ids, chosen[i:i + 250]])
        diffs += result["diffs"]
        cells += result["cells"]
    compare_time = time.perf_counter() - compare_start
    for d in diffs[:20]:
        run.fail("explorer (nnref's answers)", d)
    if len(diffs) > 20:
        run.fail("explorer (nnref's answers)", f"... and {len(diffs) - 20} more differences")
    run.flush_events("explorer (nnref's answers)")
    times = {"nnref's answers": compare_time}
    rng = random.Random(1)
    typed = rng.sample([r for r in rows if "error" not in r], 2) + rng.sample([r for r in rows if "error" in r], 1)
    typed += rng.sample([r for r in rows if "error" not in r], 2) + rng.sample([r for r in rows if "error" in r], 1)
    t = time.perf_counter()
    page.goto(run.base + PAGE, wait_until="load")
    typed_count = check_by_hand(run, page, typed)
    run.flush_events("explorer (typed input)")
    times["typed"] = time.perf_counter() - t
    t = time.perf_counter()
    large_count = check_large(run, page, ids)
    times["large"] = time.perf_counter() - t
    t = time.perf_counter()
    check_keyboard(run, page, rows)
    run.flush_events("explorer (keyboard)")
    times["keyboard"] = time.perf_counter() - t
    t = time.perf_counter()
    check_links(run, page)
    context.close()
    times["links"] = time.perf_counter() - t
    t = time.perf_counter()
    tally = check_axe(run, browser, Axe(), ids)
    times["axe"] = time.perf_counter() - t
    valid = sum("error" not in r for r in chosen)
    return {"settings compared with nnref": f"{len(chosen)} of {len(rows)} ({valid} valid, {len(chosen) - valid} "
                                            f"invalid), {cells} cells selected, {len(diffs)} differences, "
                                            f"{compare_time:.1f} s",
            "settings typed by hand (the first 3 reopened from their URL)": typed_count,
            "settings beyond the grid (sizes from nnref's size functions)": large_count,
            f"axe violations on the explorer ({len(tally)} runs: scheme, width, view)": sum(tally.values()),
            "explorer checks took": f"{time.perf_counter() - start:.1f} s ("
                                    + ", ".join(f"{k} {v:.1f} s" for k, v in times.items()) + ")"}


def main(argv=None):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from browser_test import CHROMIUM, CHROMIUM_ARGS, Run, serve
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site", type=Path)
    parser.add_argument("--sample", type=int, help="compare this many settings (stratified, seeded), not all")
    args = parser.parse_args(argv)
    if not (args.site / ORACLE).is_file():
        sys.exit(f"browser_explorer: no {args.site}/{ORACLE}; build the site first (make site)")
    if args.sample is not None and args.sample < 200:
        sys.exit("browser_explorer: --sample must be at least 200")
    server = serve(args.site)
    run = Run(f"http://127.0.0.1:{server.server_address[1]}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        results = check_explorer(run, browser, args.site, args.sample)
        browser.close()
    server.shutdown()
    for name, value in results.items():
        print(f"browser_explorer: {name}: {value}")
    return run.verdict("browser_explorer")


if __name__ == "__main__":
    sys.exit(main())
