// MathJax 3 configuration. Loaded before javascripts/mathjax/tex-chtml.js, which
// hooks/mathjax.py copies from the pinned PyPI package at build time (no CDN).
//
// pymdownx.arithmatex (generic mode) wraps math in <span class="arithmatex">\( ... \)</span>
// and <div class="arithmatex">\[ ... \]</div>; only those elements are processed.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
    // Without "noundefined", an unknown macro is a TeX error instead of silent red text.
    packages: { "[-]": ["noundefined"] },
    // A LaTeX error keeps MathJax's red error text on the page and is also reported on
    // the console, where scripts/browser_test.py fails on it.
    formatError(jax, err) {
      console.error("MathJax TeX error: " + err.message + " in: " + jax.latex);
      return jax.formatError(err);
    },
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
    menuOptions: { settings: { explorer: false } },
  },
};

// Instant navigation swaps the page content without reloading: typeset the new content.
// The first page is typeset by MathJax's own startup; typesetting it a second time while
// startup runs loses the CSS of the glyphs, so the first emission is skipped, and each
// later typeset is chained on MathJax.startup.promise so that two never overlap.
let firstPage = true;
document$.subscribe(() => {
  if (firstPage) {
    firstPage = false;
    return;
  }
  MathJax.startup.promise = MathJax.startup.promise
    .then(() => {
      MathJax.startup.output.clearCache();
      MathJax.typesetClear();
      MathJax.texReset();
      return MathJax.typesetPromise();
    })
    .catch((err) => console.error("MathJax typeset failed: " + err));
});
