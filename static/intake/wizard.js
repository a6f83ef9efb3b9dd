/* Progressive enhancement of the patient pages. The server never relies on this file: without JavaScript every
   follow-up question is shown, and the server decides which answers are needed (schema "required when").
   - [data-show-when]: show a follow-up only while an answer on the same page calls for it;
   - a check-box list's "None of these" box (value none_of_these) and its other boxes untick each other;
   - the error summary takes focus, so screen readers hear the problems first;
   - the emergency page warns before the patient leaves it without acknowledging (reference.md §0.3). */
(function () {
  "use strict";

  function valueOf(form, name) {
    var inputs = form.querySelectorAll('[name="' + name.replace(/"/g, '\\"') + '"]');
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) { return input.value; }
      } else {
        return input.value;
      }
    }
    return null;
  }

  function holds(form, condition) {
    var value = valueOf(form, condition.name);
    if (condition.op === "in") { return condition.value.indexOf(value) !== -1; }
    if (value === null || value === "") { return false; }
    var number = Number(value);
    if (isNaN(number)) { return false; }
    return condition.op === "lte" ? number <= condition.value : number >= condition.value;
  }

  function update(form) {
    var followUps = form.querySelectorAll("[data-show-when]");
    for (var i = 0; i < followUps.length; i++) {
      var element = followUps[i];
      var conditions = JSON.parse(element.getAttribute("data-show-when"));
      var show = conditions.some(function (c) { return holds(form, c); });
      // Keep a follow-up that has an error on screen, so the patient can see and fix it.
      if (!show && element.querySelector(".is-invalid")) { show = true; }
      element.hidden = !show;
    }
  }

  var NONE = "none_of_these";

  function exclusive(form, box) {
    if (box.type !== "checkbox" || !box.checked) { return; }
    var boxes = form.querySelectorAll('input[type="checkbox"][name="' + box.name.replace(/"/g, '\\"') + '"]');
    for (var i = 0; i < boxes.length; i++) {
      var other = boxes[i];
      if (other !== box && (box.value === NONE || other.value === NONE)) { other.checked = false; }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("step-form");
    if (form) {
      update(form);
      form.addEventListener("change", function (event) {
        if (event.target && event.target.matches && event.target.matches("input")) { exclusive(form, event.target); }
        update(form);
      });
      form.addEventListener("input", function () { update(form); });
    }
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    if (document.body.getAttribute("data-must-acknowledge") === "true") {
      var leaving = function (event) { event.preventDefault(); event.returnValue = ""; };
      window.addEventListener("beforeunload", leaving);
      var ack = document.getElementById("acknowledge-form");
      if (ack) { ack.addEventListener("submit", function () { window.removeEventListener("beforeunload", leaving); }); }
    }
  });
}());
