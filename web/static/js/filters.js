// The 环节 filter follows the chosen procedure: choosing another one reloads the list with its steps.
// The page works without it (the steps are then grouped by procedure).
(function () {
  "use strict";
  var procedure = document.getElementById("f-definition");
  var step = document.getElementById("f-state");
  if (!procedure || !step) { return; }
  procedure.addEventListener("change", function () {
    step.value = "";
    procedure.form.submit();
  });
})();
