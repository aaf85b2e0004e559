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

// 增加一行 under a table field: a copy of its last row, emptied, with the next row number in its
// names (<event>-<field>-<row>-<column>). Without JavaScript the page always has blank rows.
(function () {
  "use strict";
  var NAME = /^(.*)-(\d+)-([^-]+)$/;
  function addRow(box) {
    var body = box.querySelector("tbody");
    var last = body.rows[body.rows.length - 1];
    var row = last.cloneNode(true);
    var next = body.rows.length + 1;
    row.querySelectorAll(".field-errors").forEach(function (ul) { ul.remove(); });
    row.querySelectorAll(".has-error").forEach(function (td) { td.classList.remove("has-error"); });
    row.querySelectorAll("input, select, textarea").forEach(function (input) {
      var m = NAME.exec(input.name);
      if (m) {
        input.name = m[1] + "-" + (parseInt(m[2], 10) + 1) + "-" + m[3];
        input.id = input.name;
      }
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      var label = input.getAttribute("aria-label");
      if (label) { input.setAttribute("aria-label", label.replace(/第\d+行/, "第" + next + "行")); }
      if (input.type === "checkbox") { input.checked = false; }
      else if (input.tagName === "SELECT") { input.selectedIndex = 0; }
      else { input.value = ""; }
    });
    body.appendChild(row);
  }
  document.querySelectorAll("[data-table-field] [data-add-row]").forEach(function (button) {
    var box = button.closest("[data-table-field]");
    button.hidden = false;
    button.addEventListener("click", function () { addRow(box); });
  });
})();

// A search on the 发起 page keeps the title typed so far (a hidden field copies it on submit).
document.querySelectorAll("input[data-copy-from]").forEach(function (hidden) {
  hidden.form.addEventListener("submit", function () {
    var source = document.getElementById(hidden.getAttribute("data-copy-from"));
    if (source) hidden.value = source.value;
  });
});
