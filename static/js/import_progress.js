// Polls an import job's progress and reloads the page when it finishes.
(function () {
  "use strict";
  var status = document.getElementById("job-status");
  if (!status) { return; }
  var url = status.getAttribute("data-progress-url");
  var rows = document.getElementById("job-rows");
  var live = document.getElementById("job-live");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        status.textContent = data.status_display;
        rows.textContent = data.rows;
        if (data.finished) {
          live.textContent = "Import " + data.status_display.toLowerCase() + ".";
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
