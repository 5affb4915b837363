// Progressive enhancement: hide conditional questions whose condition is not
// met on this page. Without JavaScript every question shows, with a note
// saying when to answer it, and the server ignores answers that do not apply.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function selectedValues(name) {
    var out = [];
    document.querySelectorAll('input[name="' + name + '"]:checked').forEach(function (el) { out.push(el.value); });
    return out;
  }
  function update() {
    document.querySelectorAll("fieldset[data-when]").forEach(function (fs) {
      var trigger = fs.getAttribute("data-when");
      if (!document.querySelector('input[name="' + trigger + '"]')) { return; } // trigger on an earlier page
      var wanted = fs.getAttribute("data-when-any").split(" ");
      var show = selectedValues(trigger).some(function (v) { return wanted.indexOf(v) !== -1; });
      fs.hidden = !show;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    update();
    document.addEventListener("change", update);
    // Copy buttons: shown only where the clipboard can be used; they copy the text of their target.
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var target = document.getElementById(button.getAttribute("data-copy"));
        var label = button.textContent;
        navigator.clipboard.writeText((target.value || target.textContent).trim()).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = label; }, 2500);
        }, function () {
          button.textContent = "Select it and copy by hand";
        });
      });
    });
    // The questionnaire's section list starts open where there is room beside the questions.
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      if (window.matchMedia("(min-width: 1000px)").matches) { details.open = true; }
    });
    // One submission per click: a second click while the first is in flight does nothing.
    document.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function () {
        setTimeout(function () {
          form.querySelectorAll("button, input[type=submit]").forEach(function (b) { b.disabled = true; });
        }, 0);
      });
    });
  });
})();
