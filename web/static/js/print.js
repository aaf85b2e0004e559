// 打印 on a document's preview page: prints the PDF in its frame (the button shows only with scripts on;
// without them the PDF viewer's own print button does the same).
(function () {
  var button = document.getElementById("print-document");
  if (!button) return;
  var frame = document.getElementById(button.getAttribute("data-frame"));
  button.hidden = false;
  button.addEventListener("click", function () {
    frame.contentWindow.focus();
    frame.contentWindow.print();
  });
})();
