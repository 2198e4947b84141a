/* Oncotrial: the few settings and behaviours htmx needs on these pages.
 * Loaded as a file (Content-Security-Policy "default-src 'self'": no inline script, no eval).
 * Every form still works without it, as a plain POST. */
(function () {
  "use strict";
  var htmx = window.htmx;
  if (!htmx) { return; }

  // No eval()-based features (hx-on, trigger filters, js: values) and no injected <style>:
  // both would be refused by the Content-Security-Policy anyway.
  htmx.config.allowEval = false;
  htmx.config.includeIndicatorStyles = false;
  // Never copy pages into localStorage (clinical data must not linger in the browser).
  htmx.config.historyCacheSize = 0;
  // 422 answers carry the fragment with the error next to its input: swap it like a 200.
  htmx.config.responseHandling.unshift({ code: "422", swap: true, error: false });

  // Once a plain form submits (the page is about to be replaced), start no more htmx
  // requests: a preview still debouncing would only race the save on the server.
  var leaving = false;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!event.defaultPrevented && form && !form.hasAttribute("hx-post")) { leaving = true; }
  });
  window.addEventListener("pageshow", function () { leaving = false; });
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (leaving) { event.preventDefault(); }
  });

  // When the swap removed the control that had the focus (an answered query's form, the
  // pressed button), put the keyboard focus on the fragment's first invalid input, else on
  // its status line, so that a keyboard user keeps their place.
  document.addEventListener("htmx:afterSettle", function (event) {
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) { return; }
    var root = event.target;
    if (!root || !root.querySelector) { return; }
    var next = root.querySelector("[aria-invalid='true']") || root.querySelector("[data-focus-after-swap]");
    if (next) { next.focus(); }
  });
})();
