// Loaded by CKEditor in the admin (CKEDITOR_CONFIGS' customConfig).
// Image uploads keep Django's CSRF check: send the form's token as a header.
CKEDITOR.editorConfig = function (config) {
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) {
    config.fileTools_requestHeaders = { "X-CSRFToken": token.value };
  }
};
