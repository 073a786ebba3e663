// Loaded by CKEditor in the admin (CKEDITOR_CONFIGS' customConfig).
CKEDITOR.editorConfig = function (config) {
  // Image uploads keep Django's CSRF check: send the form's token as a header.
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) {
    config.fileTools_requestHeaders = { "X-CSRFToken": token.value };
  }
};

// The Upload tab of CKEditor's dialogs writes its file field into a frame
// followed by an inline script that only reports the form ready. The admin's
// Content-Security-Policy refuses inline scripts, so write the same field
// without it and report the form ready from here. Uploads go by XHR, so the
// script's other half (a callback when the frame's form is submitted) is
// never needed.
CKEDITOR.on("dialogDefinition", function () {
  // The dialogs' elements exist once the first dialog is defined.
  var file = CKEDITOR.ui.dialog.file.prototype;
  if (file.heseltineNoInlineScript) {
    return;
  }
  var reset = file.reset;
  file.reset = function () {
    var frame = CKEDITOR.document.getById(this._.frameId).getFrameDocument().$;
    frame.write = function (html) {
      Document.prototype.write.call(
        frame,
        html.replace(/<script>[\s\S]*<\/script>$/, ""),
      );
    };
    reset.call(this);
    delete frame.write;
    this.fire("formLoaded");
  };
  file.heseltineNoInlineScript = true;
});

// Every image needs a description for people who cannot see it (the server
// refuses one without: heseltine/richtext.py), so the Image dialog marks its
// Alternative Text as required, as it does the URL, and will not close until
// it is filled in.
CKEDITOR.on("dialogDefinition", function (event) {
  if (event.data.name !== "image") {
    return;
  }
  var info = event.data.definition.getContents("info");
  var alt = info.get("txtAlt");
  alt.required = true;
  alt.validate = CKEDITOR.dialog.validate.notEmpty(
    "Fill in “Alternative Text”: describe the image for people who cannot see it."
  );
  // The preview (the image in sample text, inside an empty link) is for the
  // eye only: hidden from screen readers, and its link from the keyboard.
  var preview = info.get("htmlPreview");
  preview.html = preview.html
    .replace('class="ImagePreviewBox"', 'class="ImagePreviewBox" aria-hidden="true"')
    .replace('onclick="return false;"', 'onclick="return false;" tabindex="-1"');
});
