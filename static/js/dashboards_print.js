// School on a page: a Print button (the print stylesheet lays the page out for paper).
(function () {
  "use strict";
  var button = document.getElementById("print-page");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
})();
