// Drag and drop, and Up and Down buttons, for a list ordered by its "order"
// numbers (heseltine.admin.OrderedListMixin). Both only rewrite the numbers in
// the list's own inputs, which stay for those who prefer to type them; the
// list's Save button keeps the new order, as it does typed numbers.
(function () {
  "use strict";

  function orderInput(row) {
    return row.querySelector("input[name$='-order']");
  }

  function isSortedByOrder(table) {
    var header = table.querySelector("thead th.column-order");
    if (!header || !header.classList.contains("ascending")) {
      return false;
    }
    var priority = header.querySelector(".sortpriority");
    return !priority || priority.textContent.trim() === "1";
  }

  function setUp(table) {
    var body = table.tBodies[0];
    var rows = function () {
      return Array.prototype.filter.call(body.rows, orderInput);
    };
    if (!isSortedByOrder(table) || rows().length < 2) {
      return;
    }
    var status = document.createElement("p");
    status.className = "ordering-status";
    status.setAttribute("role", "status");
    table.insertAdjacentElement("beforebegin", status);
    var dragged = null;

    function title(row) {
      return row.querySelector("th").textContent.trim();
    }

    // The numbers the rows had, given out again in the rows' new order, so
    // rows filtered out keep their places; equal numbers are told apart.
    function renumber(moved) {
      var current = rows();
      var numbers = current
        .map(function (row) { return parseInt(orderInput(row).value, 10) || 0; })
        .sort(function (a, b) { return a - b; });
      var previous = -1;
      current.forEach(function (row, index) {
        var number = Math.max(numbers[index], previous + 1);
        var input = orderInput(row);
        previous = number;
        if (input.value !== String(number)) {
          input.value = String(number);
          // Django's list warns of unsaved changes before running an action.
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }
        row.querySelector(".move-up").disabled = index === 0;
        row.querySelector(".move-down").disabled = index === current.length - 1;
      });
      if (moved) {
        status.textContent = "Moved “" + title(moved) + "” to position " +
          (current.indexOf(moved) + 1) + " of " + current.length +
          ". Press Save to keep the new order.";
      }
    }

    function move(row, step, button) {
      var current = rows();
      var other = current[current.indexOf(row) + step];
      if (!other) {
        return;
      }
      body.insertBefore(step < 0 ? row : other, step < 0 ? other : row);
      renumber(row);
      // A button that can no longer move its row hands focus to the other.
      var focus = button.disabled ? row.querySelector(step < 0 ? ".move-down" : ".move-up") : button;
      focus.focus();
    }

    function button(row, className, text, label, step) {
      var element = document.createElement("button");
      element.type = "button";
      element.className = "button " + className;
      element.textContent = text;
      element.setAttribute("aria-label", "Move “" + title(row) + "” " + label);
      element.addEventListener("click", function () { move(row, step, element); });
      return element;
    }

    rows().forEach(function (row) {
      var tools = document.createElement("span");
      tools.className = "ordering-tools";
      var handle = document.createElement("span");
      handle.className = "drag-handle";
      handle.title = "Drag to move";
      handle.setAttribute("aria-hidden", "true");
      handle.textContent = "⠿";
      // Rows move by their handle only, so text in them can still be selected.
      handle.addEventListener("pointerdown", function () { row.draggable = true; });
      handle.addEventListener("pointerup", function () { row.draggable = false; });
      tools.append(
        handle,
        button(row, "move-up", "Up", "up", -1),
        button(row, "move-down", "Down", "down", 1)
      );
      orderInput(row).insertAdjacentElement("afterend", tools);
    });
    renumber(null);

    body.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("tr");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", title(dragged));
      dragged.classList.add("dragging");
    });
    body.addEventListener("dragover", function (event) {
      var over = event.target.closest("tr");
      if (!dragged || !over || over === dragged || !orderInput(over)) {
        return;
      }
      event.preventDefault();
      var box = over.getBoundingClientRect();
      var before = event.clientY < box.top + box.height / 2;
      body.insertBefore(dragged, before ? over : over.nextSibling);
    });
    body.addEventListener("drop", function (event) {
      event.preventDefault();
    });
    body.addEventListener("dragend", function () {
      dragged.classList.remove("dragging");
      dragged.draggable = false;
      renumber(dragged);
      dragged = null;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("result_list");
    if (table) {
      setUp(table);
    }
  });
})();
