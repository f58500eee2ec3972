// Shared by the pages of a job that runs in the background (an import, a nightly run):
// pollProgress(statusId, update) reads the job's progress URL (data-progress-url on the
// element statusId) every 1.5 s, shows its status there, hands the answer to update(data),
// and reloads the page once the job has finished.
window.pollProgress = function (statusId, update) {
  "use strict";
  var status = document.getElementById(statusId);
  if (!status) { return; }
  var url = status.getAttribute("data-progress-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        status.textContent = data.status_display;
        update(data);
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
};
