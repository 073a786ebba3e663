// Enter in an input with data-enter-presses="<name>" presses its form's submit
// button of that name, as a click would: in a post's publication time, Enter
// schedules the post. Browsers otherwise press the form's first button (on a
// post's page, "Save draft"); without this script the server refuses a time
// given with another button and says which to press.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || event.isComposing || event.defaultPrevented ||
        !(input instanceof HTMLInputElement) || !input.form ||
        !input.hasAttribute("data-enter-presses")) {
      return;
    }
    var name = input.getAttribute("data-enter-presses");
    var button = Array.prototype.find.call(input.form.elements, function (element) {
      return element.type === "submit" && element.name === name;
    });
    if (button) {
      event.preventDefault();
      input.form.requestSubmit(button);
    }
  });
})();
