// The headlines page: a button that copies the plain-text headlines for a board paper.
// Without JavaScript (or clipboard access) the text box can be selected and copied by hand.
(function () {
  "use strict";
  var button = document.getElementById("copy-headlines");
  var status = document.getElementById("copy-status");
  if (!button) { return; }
  var text = document.getElementById(button.getAttribute("data-target"));
  button.hidden = false;
  button.addEventListener("click", function () {
    text.focus();
    text.select();
    var done = function () { status.textContent = "Copied the headlines."; };
    var fallback = function () {
      try {
        document.execCommand("copy");
        done();
      } catch (e) {
        status.textContent = "Select the text and copy it (Ctrl+C).";
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text.value).then(done, fallback);
    } else {
      fallback();
    }
  });
})();
