/* The phone vote page: warn before submission when an item has more options ticked than allowed,
   and keep the code out of the address bar and the browser history once the page has it. */
(function () {
  "use strict";
  if (window.location.search.indexOf("code=") !== -1 && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  var form = document.getElementById("ballot-form");
  if (!form) { return; }
  var button = document.getElementById("cast");
  var items = Array.prototype.slice.call(form.querySelectorAll(".vote-item"));
  function check() {
    var bad = 0;
    items.forEach(function (item) {
      var max = parseInt(item.getAttribute("data-max"), 10);
      var n = item.querySelectorAll("input[type=checkbox]:checked").length;
      var hint = item.querySelector(".vote-hint");
      if (n > max) {
        bad += 1;
        item.classList.add("over");
        hint.textContent = "最多选" + max + "项，您已选" + n + "项，请取消" + (n - max) + "项";
      } else {
        item.classList.remove("over");
        hint.textContent = max > 1 ? "已选" + n + "项（最多" + max + "项）" : "";
      }
    });
    button.disabled = bad > 0;
    return bad === 0;
  }
  form.addEventListener("change", check);
  form.addEventListener("submit", function (event) {
    if (!check()) { event.preventDefault(); return; }
    button.disabled = true;
    button.textContent = "正在提交…";
  });
  check();
}());
