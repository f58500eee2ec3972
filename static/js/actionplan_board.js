// Action plan board view: "Expand all" / "Collapse all" for the priorities' details.
(function () {
  "use strict";
  var controls = document.getElementById("ap-expand-controls");
  if (!controls) { return; }
  controls.hidden = false;
  controls.addEventListener("click", function (event) {
    var button = event.target.closest("[data-ap-expand]");
    if (!button) { return; }
    var open = button.getAttribute("data-ap-expand") === "open";
    document.querySelectorAll("details.ap-priority").forEach(function (d) { d.open = open; });
  });
})();
