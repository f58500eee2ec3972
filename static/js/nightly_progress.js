// Shows a nightly run's progress (progress.js polls it) and reloads the page when it finishes.
(function () {
  "use strict";
  var stage = document.getElementById("run-stage");
  var chunks = document.getElementById("run-chunks");
  var bar = document.getElementById("run-bar");
  var rows = document.getElementById("run-rows");
  var live = document.getElementById("run-live");
  var lastStage = null;
  window.pollProgress("run-status", function (data) {
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
    if (data.finished && live) {
      live.textContent = "Run " + data.status_display.toLowerCase() + ".";
    }
  });
})();
