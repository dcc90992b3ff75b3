"""Smoke-test the built site in headless Chromium, with no network but the loopback server.

    python scripts/browser_test.py [SITE_DIR] [--screenshots DIR]

Serves SITE_DIR (default ``site``) on 127.0.0.1 and drives Debian's chromium
(/usr/bin/chromium, never a downloaded browser) through Playwright. Every
request that does not go to the loopback server is aborted and reported.

Checks, on every page of the site (every ``index.html`` under SITE_DIR):

* it loads with no console error, no page error and no failed request;
* every math node is typeset: each ``.arithmatex`` element holds an
  ``mjx-container`` with visible glyphs, no ``mjx-merror`` (a TeX error) is on
  the page, and no TeX command is left as plain text (math arithmatex did not
  recognize, such as ``$$`` inside a paragraph);
* every image decodes (``naturalWidth > 0``);
* axe-core (from the pinned ``axe-playwright-python``) finds no violation of the WCAG 2 A
  and AA rules, with every collapsible block open, in the light scheme and again in the dark
  one (the palette Material picks for ``prefers-color-scheme: dark``).

And once: every public function of nnref (each module's ``__all__``) has an
entry on its API page; search for "relu" returns results; instant navigation (a click on a
nav tab) swaps the page without reloading and typesets its math again; the
copy button of a ``pycon`` block copies the code without prompts or output.

Prints a summary and exits 1 on any failure.
"""

import argparse
import functools
import http.server
import re
import sys
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from browser_explorer import check_explorer  # scripts/browser_explorer.py: the explorer against nnref

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 20_000
# Material 9.6+ renders the copy button as button.md-code__button[data-md-type=copy];
# older releases as button.md-clipboard.
COPY_BUTTON = "button[data-md-type='copy'], button.md-clipboard"
# axe-core's WCAG 2.0 level A and AA rules; the scheme each emulated colour preference must select.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}, "resultTypes": ["violations"]}
SCHEMES = {"light": "default", "dark": "slate"}

MATH_STATE = r"""async () => {
    // TeX that arithmatex did not recognize stays as plain text (e.g. "$x = $": a closing
    // dollar after a space, or $$ inside a paragraph): find TeX commands outside code and math.
    const rawTex = () => {
        const skip = "CODE, PRE, SCRIPT, STYLE, MJX-CONTAINER, .arithmatex";
        const walker = document.createTreeWalker(document.querySelector("article") || document.body,
                                                 NodeFilter.SHOW_TEXT);
        const hits = [];
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const m = n.textContent.match(/\\[A-Za-z]{2,}|\$\$/);
            if (m && !n.parentElement.closest(skip)) {
                const t = n.textContent, i = m.index;
                hits.push(t.slice(Math.max(0, i - 40), i + 40).replace(/\s+/g, " "));
            }
        }
        return hits;
    };
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
    await document.fonts.ready;
    const nodes = Array.from(document.querySelectorAll(".arithmatex"));
    return {
        nodes: nodes.length,
        untypeset: nodes.filter(n => !n.querySelector("mjx-container")).map(n => n.textContent.slice(0, 80)),
        errors: Array.from(document.querySelectorAll("mjx-merror")).map(n => n.textContent.slice(0, 80)),
        // A backslash drawn inside \\text{...} is a macro the text mode did not understand (e.g. \\_).
        textBackslash: Array.from(document.querySelectorAll("mjx-mtext mjx-c.mjx-c5C"))
            .map(c => c.closest(".arithmatex").textContent.slice(0, 80)),
        raw: rawTex(),
        // CommonHTML draws each character with a CSS ::before rule; none means an invisible glyph.
        blank: Array.from(document.querySelectorAll("mjx-c")).slice(0, 400)
            .filter(c => !c.textContent && getComputedStyle(c, "::before").content === "none").length,
    };
}"""

IMAGE_STATE = """async () => {
    const images = Array.from(document.images);
    await Promise.all(images.map(i => i.decode().catch(() => null)));
    return {count: images.length,
            broken: images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)};
}"""

# The code a reader should get from a pycon block: each line's text without its prompt,
# and no output lines. Computed from the highlighted spans, independently of the CSS rule.
EXPECTED_COPY = """(code) => Array.from(code.querySelectorAll(':scope > span[id^="__span-"]'))
    .filter(line => !line.querySelector(":scope > .go"))
    .map(line => { const c = line.cloneNode(true);
                   c.querySelectorAll(".gp").forEach(p => p.remove());
                   return c.textContent.replace(/\\n$/, ""); })
    .join("\\n").trimEnd()"""


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site quietly, with sitemap.xml rebased onto this server.

    Instant navigation only intercepts links to pages listed in sitemap.xml, whose
    URLs start with site_url (the Pages address, or http://127.0.0.1:8000/ by
    default). This server runs on a free port, so it serves the sitemap as it would
    read if site_url were this server's address.
    """

    def log_message(self, *args):
        pass

    def do_GET(self):
        if urlsplit(self.path).path != "/sitemap.xml":
            return super().do_GET()
        text = Path(self.directory, "sitemap.xml").read_text()
        locs = re.findall(r"<loc>([^<]*)</loc>", text)
        root = min(locs, key=len) if locs else ""
        host, port = self.server.server_address[:2]
        body = text.replace(f"<loc>{root}", f"<loc>http://{host}:{port}/").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(site):
    handler = functools.partial(Handler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def site_pages(site):
    """URL paths of every page: each index.html (use_directory_urls), 404.html aside."""
    return sorted("/" + p.parent.relative_to(site).as_posix().removeprefix(".") + ("/" if p.parent != site else "")
                  for p in site.rglob("index.html"))


class Run:
    def __init__(self, base):
        self.base, self.host = base, urlsplit(base).netloc
        self.failures, self.left_site, self.events = [], [], []
        self.axe, self.axe_tally = Axe(), {}

    def fail(self, where, what):
        self.failures.append(f"{where}: {what}")

    def route(self, route):
        url = route.request.url
        if urlsplit(url).netloc == self.host:
            route.continue_()
        else:
            self.left_site.append(url)
            route.abort()

    def watch(self, page):
        page.on("console", lambda m: m.type == "error" and self.events.append(f"console error: {m.text}"))
        page.on("pageerror", lambda e: self.events.append(f"page error: {e}"))
        # ERR_ABORTED: a request the page itself cancelled (it navigated away meanwhile);
        # a missing file shows up as an HTTP 404 response instead.
        page.on("requestfailed", lambda r: urlsplit(r.url).netloc == self.host
                and "ERR_ABORTED" not in (r.failure or "")
                and self.events.append(f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.events.append(f"HTTP {r.status}: {r.url}"))

    def flush_events(self, where):
        for event in self.events:
            self.fail(where, event)
        self.events.clear()

    def verdict(self, tool):
        """Fail for each request that tried to leave the site, print every failure and the verdict; the exit code."""
        for url in self.left_site:
            self.fail("network", f"request tried to leave the site: {url}")
        for failure in self.failures:
            print(f"FAIL {failure}")
        print(f"{tool}: {'FAILED' if self.failures else 'passed'} ({len(self.failures)} failures)")
        return 1 if self.failures else 0

    def check_math(self, page, where):
        state = page.evaluate(MATH_STATE)
        if state["untypeset"]:
            self.fail(where, f"{len(state['untypeset'])} of {state['nodes']} math nodes not typeset, "
                             f"first: {state['untypeset'][0]!r}")
        if state["errors"]:
            self.fail(where, f"TeX errors on the page: {state['errors'][:3]}")
        for node in state["textBackslash"][:3]:
            self.fail(where, f"a backslash is drawn inside \\text{{...}}: {node!r}")
        for snippet in state["raw"][:3]:
            self.fail(where, f"math left as raw TeX (not typeset): ...{snippet}...")
        if state["blank"]:
            self.fail(where, f"{state['blank']} typeset characters have no glyph (MathJax CSS missing)")
        return state["nodes"]

    def check_page(self, page, path, shots, scheme="light"):
        page.goto(self.base + path, wait_until="load")
        nodes = self.check_math(page, path)
        images = page.evaluate(IMAGE_STATE)
        for src in images["broken"]:
            self.fail(path, f"image does not decode: {src}")
        if shots:
            name = path.strip("/").replace("/", "_") or "index"
            page.screenshot(path=str(shots / f"{name}-{scheme}.png"), full_page=True)
        self.check_axe(page, path, scheme)
        self.flush_events(path)
        return nodes, images["count"]

    def check_axe(self, page, path, scheme):
        """Run axe-core's WCAG 2 A and AA rules on the loaded (and typeset) page, with every
        collapsible block (the exercises and their answers) open, so hidden text is checked too."""
        where = f"{path} ({scheme})"
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        if shown != SCHEMES[scheme]:
            self.fail(where, f"the page shows the colour scheme {shown!r}, not {SCHEMES[scheme]!r}")
        violations = self.axe.run(page, options=AXE_OPTIONS).response["violations"]
        tally = self.axe_tally.setdefault(scheme, [0, 0])
        for v in violations:
            tally[0] += 1
            tally[1] += len(v["nodes"])
            first = v["nodes"][0]
            summary = " ".join(first.get("failureSummary", "").split())[:240]
            self.fail(where, f"axe {v['id']} ({v['impact']}): {len(v['nodes'])} elements, "
                             f"first {first['target']}: {summary}")


def check_search(run, page):
    page.goto(run.base + "/", wait_until="load")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("relu", delay=50)  # material reacts to key events, not to fill()
    try:
        page.wait_for_selector(".md-search-result__item", timeout=TIMEOUT_MS)
        count = page.locator(".md-search-result__item").count()
    except Exception:
        count = 0
    if not count:
        run.fail("search", 'no results for "relu"')
    run.flush_events("search")
    return count


def check_instant_navigation(run, page, math_pages):
    """Click a nav tab to a page with math; it must load without a reload and be typeset."""
    page.goto(run.base + "/", wait_until="load")
    page.evaluate("window.__notReloaded = true")
    tabs = page.locator("a.md-tabs__link")
    target = None
    for i in range(tabs.count()):
        href = tabs.nth(i).get_attribute("href")
        path = urlsplit(urljoin(page.url, href)).path if href else ""
        if path != "/" and path in math_pages:
            target = tabs.nth(i)
            break
    if target is None:
        run.fail("instant navigation", f"no nav tab leads to a page with math ({math_pages[:3]})")
        return None
    before = page.url
    target.click()
    try:
        page.wait_for_function("u => location.href !== u", arg=before, timeout=TIMEOUT_MS)
    except Exception:
        run.fail("instant navigation", f"clicking the nav tab did not leave {before}")
        return None
    if not page.evaluate("window.__notReloaded === true"):
        run.fail("instant navigation", "the page reloaded: navigation.instant is not active")
    try:
        page.wait_for_function("""() => { const n = document.querySelectorAll(".arithmatex");
            return n.length > 0 && Array.from(n).every(e => e.querySelector("mjx-container")); }""",
                               timeout=TIMEOUT_MS)
    except Exception:
        pass
    run.check_math(page, f"instant navigation to {page.url}")
    run.flush_events("instant navigation")
    return page.url


HAS_CONTINUATION = """(block) => Array.from(block.querySelectorAll(".gp"))
    .some(g => g.textContent.startsWith("..."))"""


def check_copy(run, page, pycon_page, continuation=False):
    """Click the copy button of a pycon block (the first one, or the first with a ``...``
    continuation prompt); the clipboard must hold the code without prompts or output."""
    page.goto(run.base + pycon_page, wait_until="load")
    blocks = page.locator("div.language-pycon")
    block = blocks.first
    if continuation:
        block = next(blocks.nth(i) for i in range(blocks.count()) if blocks.nth(i).evaluate(HAS_CONTINUATION))
    expected = block.locator("code").first.evaluate(EXPECTED_COPY)
    block.hover()
    block.locator(COPY_BUTTON).first.click()
    page.wait_for_timeout(300)
    copied = page.evaluate("navigator.clipboard.readText()").strip()
    where = f"copy button on {pycon_page}"
    if any(line.startswith((">>>", "...")) for line in copied.splitlines()):
        run.fail(where, f"copied text has prompts: {copied[:120]!r}")
    if copied != expected:
        run.fail(where, f"copied {copied[:200]!r}, expected {expected[:200]!r}")
    run.flush_events(where)
    return copied


def check_api_entries(run, site):
    """Every name in nnref.<module>.__all__ has its anchor on site/api/<module>/."""
    import importlib

    count = 0
    for module in ("activations", "linear", "conv", "pooling", "upsampling", "normalization", "testing"):
        page = site / "api" / module / "index.html"
        html = page.read_text() if page.is_file() else ""
        # The attribute nnref.linear is the function linear; import_module gives the module.
        for name in importlib.import_module(f"nnref.{module}").__all__:
            count += 1
            if f'id="nnref.{module}.{name}"' not in html:
                run.fail(f"/api/{module}/", f"no API entry for nnref.{module}.{name}")
    return count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site", type=Path)
    parser.add_argument("--screenshots", type=Path, help="save a full-page PNG of every page here")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        sys.exit(f"browser_test: no {args.site}/index.html; build the site first (make site)")
    if not Path(CHROMIUM).is_file():
        sys.exit(f"browser_test: {CHROMIUM} missing; install Debian's chromium (apt-get install chromium)")
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)

    server = serve(args.site)
    run = Run(f"http://127.0.0.1:{server.server_address[1]}")
    api_entries = check_api_entries(run, args.site)
    pages = site_pages(args.site)
    math_pages, pycon_pages, continuation_pages, totals = [], [], [], [0, 0]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=run.base)
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", run.route)
        page = context.new_page()
        run.watch(page)
        for path in pages:
            nodes, images = run.check_page(page, path, args.screenshots, "light")
            totals[0] += nodes
            totals[1] += images
            if nodes:
                math_pages.append(path)
            if page.locator("div.language-pycon").locator(COPY_BUTTON).count():
                pycon_pages.append(path)
            if page.locator("div.language-pycon .gp", has_text="...").count():
                continuation_pages.append(path)
        results = {"public functions with an API entry": api_entries,
                   "search results for 'relu'": check_search(run, page),
                   "instant navigation to": check_instant_navigation(run, page, math_pages)}
        if pycon_pages:
            results["copied"] = check_copy(run, page, pycon_pages[0])
        if continuation_pages:
            results["copied (with ... lines)"] = check_copy(run, page, continuation_pages[0], True)
        else:
            run.fail("copy button", "no pycon block with a copy button on any page")
        # The dark scheme: Material picks the slate palette for prefers-color-scheme: dark.
        dark = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
        dark.set_default_timeout(TIMEOUT_MS)
        dark.route("**/*", run.route)
        dark_page = dark.new_page()
        run.watch(dark_page)
        for path in pages:
            run.check_page(dark_page, path, args.screenshots, "dark")
        results["axe violations (rules, elements) per scheme"] = {
            scheme: tuple(run.axe_tally.get(scheme, [0, 0])) for scheme in SCHEMES}
        results.update(check_explorer(run, browser, args.site))
        browser.close()
    server.shutdown()

    print(f"browser_test: {len(pages)} pages, {totals[0]} math nodes on {len(math_pages)} pages, "
          f"{totals[1]} images")
    for name, value in results.items():
        print(f"browser_test: {name}: {value!r}")
    return run.verdict("browser_test")


if __name__ == "__main__":
    sys.exit(main())
