// Suggest existing names (tags, people) for the term after the last comma in
// an input with data-suggest-url: the tags field, or a list filter.
(function () {
  "use strict";
  function setUp(input) {
    var url = input.getAttribute("data-suggest-url");
    var list = document.createElement("datalist");
    var timer = null;
    var pending = null;
    list.id = input.id + "-suggestions";
    input.setAttribute("list", list.id);
    input.insertAdjacentElement("afterend", list);

    function parts() {
      var value = input.value;
      var cut = value.lastIndexOf(",");
      return {
        head: cut < 0 ? "" : value.slice(0, cut + 1) + " ",
        term: value.slice(cut + 1).trim()
      };
    }

    function refresh() {
      var current = parts();
      // An earlier keystroke's answer may come last: never let it show.
      if (pending) {
        pending.abort();
      }
      if (current.term.length < 2) {
        list.replaceChildren();
        return;
      }
      pending = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(current.term), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: pending.signal
      })
        .then(function (response) { return response.ok ? response.json() : { tags: [] }; })
        .then(function (data) {
          // Tag suggestions answer {tags: [...]}, other names {names: [...]}.
          var names = data.names || data.tags;
          list.replaceChildren.apply(list, names.map(function (name) {
            var option = document.createElement("option");
            option.value = current.head + name;
            option.label = name;
            return option;
          }));
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            list.replaceChildren();
          }
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 200);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest-url]").forEach(setUp);
  });
})();
