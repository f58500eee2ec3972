// Draws a bar chart per closed question with plotly.js (served by the portal), from the
// JSON the analysis page embeds. The tables beside each chart hold the same figures.
(function () {
  "use strict";
  var source = document.getElementById("consultation-chart-data");
  if (!source || !window.Plotly) { return; }
  var charts = JSON.parse(source.textContent);
  charts.forEach(function (chart) {
    var target = document.getElementById(chart.id);
    if (!target) { return; }
    window.Plotly.newPlot(target, [{
      type: "bar",
      orientation: "h",
      x: chart.counts,
      y: chart.labels,
      marker: { color: "#1d4f91" },
      hovertemplate: "%{y}: %{x} schools<extra></extra>"
    }], {
      margin: { l: 220, r: 20, t: 10, b: 40 },
      height: 60 + 36 * chart.labels.length,
      xaxis: {
        title: { text: "Schools" },
        rangemode: "tozero",
        tickformat: "d",
        dtick: Math.max.apply(null, chart.counts.concat([1])) <= 10 ? 1 : null
      },
      yaxis: { autorange: "reversed", automargin: true },
      font: { family: "system-ui, Arial, sans-serif", size: 14, color: "#0b0c0c" }
    }, { displayModeBar: false, responsive: true });
  });
})();
