// Draws the dashboards' plotly charts from the JSON data block the page embeds
// (<script type="application/json" id="dashboard-charts">; CSP allows no inline script).
// Each chart sits beside a table or a sentence holding the same figures.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || !window.Plotly) { return; }
  var charts = JSON.parse(source.textContent);
  var config = { displayModeBar: false, responsive: true };
  charts.forEach(function (chart) {
    var target = document.getElementById(chart.id);
    if (!target) { return; }
    window.Plotly.newPlot(target, chart.data, chart.layout, config);
  });
  // Charts re-fit the paper width when printed.
  if (window.matchMedia) {
    window.matchMedia("print").addListener(function () {
      charts.forEach(function (chart) {
        var target = document.getElementById(chart.id);
        if (target && target.data) { window.Plotly.Plots.resize(target); }
      });
    });
  }
})();
