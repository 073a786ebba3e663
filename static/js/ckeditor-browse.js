// CKEditor's image browser: hand the chosen image's address to the editor
// that opened this window, as CKEditor's file browser API asks.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-url]");
  var number = new URLSearchParams(window.location.search).get("CKEditorFuncNum");
  if (!button || !number || !window.opener) {
    return;
  }
  window.opener.CKEDITOR.tools.callFunction(number, button.dataset.url);
  window.close();
});
