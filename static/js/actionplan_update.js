// Milestone update form: choosing "Complete" sets progress to 100%.
(function () {
  "use strict";
  var progress = document.getElementById("id_progress");
  var form = progress && progress.form;
  if (!form) { return; }
  form.addEventListener("change", function (event) {
    if (event.target.name === "status" && event.target.value === "complete") {
      progress.value = "100";
    }
  });
})();
