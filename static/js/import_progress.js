// Shows an import job's progress (progress.js polls it) and reloads the page when it finishes.
(function () {
  "use strict";
  var rows = document.getElementById("job-rows");
  var live = document.getElementById("job-live");
  window.pollProgress("job-status", function (data) {
    rows.textContent = data.rows;
    if (data.finished) {
      live.textContent = "Import " + data.status_display.toLowerCase() + ".";
    }
  });
})();
