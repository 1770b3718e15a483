// Draws the dashboard charts: each [data-chart] element names the <script type="application/json">
// that holds its Vega-Lite spec. The page's Content-Security-Policy allows no eval and no inline
// style, so Vega evaluates expressions with its interpreter (ast) and embeds no style sheet.
// On Swedish pages the script tag names d3's sv-SE number and date locales (copied from npm at build
// time): axes and tooltips then read "1 234,5", "−20" and "Mars", as the rest of the page.
(function () {
  "use strict";
  var script = document.currentScript;
  function draw(element, locales) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || typeof vegaEmbed !== "function") {
      element.dataset.rendered = "error";
      return;
    }
    var spec = JSON.parse(source.textContent);
    var options = {
      renderer: "svg",
      actions: false,
      ast: true,
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true }
    };
    if (locales.format) { options.formatLocale = locales.format; }
    if (locales.time) { options.timeFormatLocale = locales.time; }
    vegaEmbed(element, spec, options).then(function () {
      // The container is the image (role="img", its aria-label the text alternative); Vega's own
      // mark roles inside it would be announced as unlabelled graphics.
      element.querySelectorAll("svg").forEach(function (svg) { svg.setAttribute("aria-hidden", "true"); });
      element.dataset.rendered = "true";
      element.dataset.locale = locales.format ? "sv-SE" : "en-US";
    }).catch(function (error) {
      element.dataset.rendered = "error";
      element.textContent = element.dataset.error || "";
      console.error(error);
    });
  }
  function load(url) {
    if (!url || typeof fetch !== "function") { return Promise.resolve(null); }
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
  }
  var formatUrl = script && script.dataset.formatLocale;
  var timeUrl = script && script.dataset.timeLocale;
  Promise.all([load(formatUrl), load(timeUrl)]).then(function (found) {
    var locales = { format: found[0], time: found[1] };
    document.querySelectorAll("[data-chart]").forEach(function (element) { draw(element, locales); });
  });
})();
