// Live character counters for fields with a length rule (data-count; maxlength, data-minlength).
// Counts as the server does: the trimmed text, one per character. The page works without it.
(function () {
  "use strict";
  function counter(field) {
    var out = document.createElement("p");
    out.className = "char-count";
    out.id = field.id + "-count";
    out.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", out);
    var min = parseInt(field.getAttribute("data-minlength") || "0", 10);
    var max = parseInt(field.getAttribute("maxlength") || "0", 10);
    function update() {
      var n = Array.from(field.value.trim()).length;
      var text = "已输入" + n + "个字";
      var bad = false;
      if (min && n < min) { text += "，还需至少" + (min - n) + "个字"; bad = true; }
      if (max) {
        text += "（上限" + max + "个字）";
        if (n > max) { bad = true; }
      }
      out.textContent = text;
      out.classList.toggle("count-bad", bad);
    }
    field.addEventListener("input", update);
    update();
  }
  document.querySelectorAll("[data-count]").forEach(counter);
})();
