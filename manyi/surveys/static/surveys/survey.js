// The public survey form: show an item only while its skip rule holds.
(function () {
  "use strict";
  var ops = {
    "<=": function (a, b) { return a <= b; }, "<": function (a, b) { return a < b; },
    ">=": function (a, b) { return a >= b; }, ">": function (a, b) { return a > b; },
    "==": function (a, b) { return a == b; }, "!=": function (a, b) { return a != b; },
  };

  function answerOf(form, code) {
    var checked = form.querySelector('input[name="a-' + code + '"]:checked');
    return checked ? checked.value : null;
  }

  function applyRules(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (item) {
      var value = answerOf(form, item.dataset.showIf);
      var shown = value !== null && value !== "na" &&
        ops[item.dataset.op](Number(value), Number(item.dataset.value));
      item.hidden = !shown;
      item.disabled = !shown;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("survey");
    if (!form) return;
    applyRules(form);
    form.addEventListener("change", function () { applyRules(form); });
  });
})();
