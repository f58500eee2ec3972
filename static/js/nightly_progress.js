// Polls a nightly run's progress, updates the page, and reloads it when the run finishes.
(function () {
  "use strict";
  var status = document.getElementById("run-status");
  if (!status) { return; }
  var url = status.getAttribute("data-progress-url");
  var stage = document.getElementById("run-stage");
  var chunks = document.getElementById("run-chunks");
  var bar = document.getElementById("run-bar");
  var rows = document.getElementById("run-rows");
  var live = document.getElementById("run-live");
  var lastStage = null;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        status.textContent = data.status_display;
        if (rows) { rows.textContent = data.rows_written; }
        if (stage) {
          stage.textContent = "Stage " + data.stage + " of " + data.stages_total +
            (data.stage_name ? ": " + data.stage_name : "");
        }
        if (chunks) { chunks.textContent = data.chunks_done + " of " + data.chunks_total; }
        if (bar) {
          bar.max = Math.max(data.chunks_total, 1);
          bar.value = data.chunks_done;
          bar.textContent = data.chunks_done + " of " + data.chunks_total;
        }
        if (data.stage !== lastStage && live) {
          live.textContent = "Stage " + data.stage + " of " + data.stages_total + ".";
          lastStage = data.stage;
        }
        if (data.finished) {
          if (live) { live.textContent = "Run " + data.status_display.toLowerCase() + "."; }
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
