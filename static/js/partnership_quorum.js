// Live quorum check on the attendance page: recounts as each member's attendance changes.
// The same rule as partnership/calculations/quorum.py: required = ceil(counted * percent / 100).
(function () {
  "use strict";
  var status = document.getElementById("quorum-status");
  if (!status) { return; }
  var percent = parseInt(status.getAttribute("data-percent"), 10);
  var votingOnly = status.getAttribute("data-voting-only") === "1";
  var selects = document.querySelectorAll("select.js-attendance");

  function update() {
    var counted = 0;
    var present = 0;
    selects.forEach(function (select) {
      var voting = select.getAttribute("data-voting") === "1";
      if (votingOnly && !voting) { return; }
      counted += 1;
      if (select.value === "present") { present += 1; }
    });
    var required = counted ? Math.max(1, Math.ceil((counted * percent) / 100)) : 0;
    var met = counted > 0 && present >= required;
    status.textContent = (met ? "Quorate" : "Not quorate") + ": " + present + " present of " +
      counted + (votingOnly ? " voting" : "") + " members; " + required + " needed (" + percent + "%).";
  }

  selects.forEach(function (select) { select.addEventListener("change", update); });
}());
