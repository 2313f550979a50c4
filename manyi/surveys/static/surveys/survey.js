// The public survey form: show an item only while its skip rule holds; show how far
// along the customer is.
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

  function answered(item) {
    var names = {};
    item.querySelectorAll("input").forEach(function (input) { names[input.name] = true; });
    return Object.keys(names).every(function (name) {
      return item.querySelector('input[name="' + name + '"]:checked') !== null;
    });
  }

  function showProgress(form) {
    var bar = document.querySelector("[data-progress]");
    if (!bar) return;
    // Questions shown, not the free-text boxes: a comment is welcome, never owed.
    var shown = Array.prototype.filter.call(
      form.querySelectorAll("fieldset.survey-item"),
      function (item) { return !item.hidden && !item.querySelector("textarea"); });
    var done = shown.filter(answered).length;
    bar.querySelector("[data-done]").textContent = done;
    bar.querySelector("[data-total]").textContent = shown.length;
    bar.querySelector(".progress-fill").style.width =
      (shown.length ? Math.round(100 * done / shown.length) : 0) + "%";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("survey");
    if (!form) return;
    applyRules(form);
    showProgress(form);
    form.addEventListener("change", function () { applyRules(form); showProgress(form); });
    form.addEventListener("input", function () { showProgress(form); });
  });
})();
