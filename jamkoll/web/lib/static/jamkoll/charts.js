// Draws the dashboard charts: each [data-chart] element names the <script type="application/json">
// that holds its Vega-Lite spec. The page's Content-Security-Policy allows no eval and no inline
// style, so Vega evaluates expressions with its interpreter (ast) and embeds no style sheet.
(function () {
  "use strict";
  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source || typeof vegaEmbed !== "function") {
      element.dataset.rendered = "error";
      return;
    }
    var spec = JSON.parse(source.textContent);
    vegaEmbed(element, spec, {
      renderer: "svg",
      actions: false,
      ast: true,
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true }
    }).then(function () {
      // The container is the image (role="img", its aria-label the text alternative); Vega's own
      // mark roles inside it would be announced as unlabelled graphics.
      element.querySelectorAll("svg").forEach(function (svg) { svg.setAttribute("aria-hidden", "true"); });
      element.dataset.rendered = "true";
    }).catch(function (error) {
      element.dataset.rendered = "error";
      element.textContent = element.dataset.error || "";
      console.error(error);
    });
  }
  document.querySelectorAll("[data-chart]").forEach(draw);
})();
