// The procedure form: offer only the levels that fit the chosen procedure kind, show
// the disc grid for a discography and the diary grid for every other kind, and ask about
// the contrast flow only when contrast was used. The server
// checks everything again; without this script every level and both grids are shown.
(function () {
  "use strict";
  var form = document.querySelector("form[data-procedure-form]");
  if (!form) {
    return;
  }
  var kind = form.querySelector("select[name='kind']");

  function fits(box, chosen) {
    var kinds = (box.getAttribute("data-kinds") || "").split(" ");
    return !chosen || kinds.indexOf(chosen) !== -1;
  }

  function hasError(section) {
    return section.querySelector(".errorlist") !== null;
  }

  function apply(changed) {
    var chosen = kind.value;
    form.querySelectorAll("input[name='levels']").forEach(function (box) {
      var ok = fits(box, chosen);
      if (!ok && changed) {
        box.checked = false;
      }
      // A level ticked before the page came back keeps showing, so its error stays visible.
      box.closest("div").hidden = !ok && !box.checked;
    });
    // A grid with an error on it always shows, so that no message is hidden.
    form.querySelectorAll("[data-show-for]").forEach(function (section) {
      section.hidden = chosen !== section.getAttribute("data-show-for") && !hasError(section);
    });
    form.querySelectorAll("[data-hide-for]").forEach(function (section) {
      section.hidden = chosen === section.getAttribute("data-hide-for") && !hasError(section);
    });
  }

  kind.addEventListener("change", function () {
    apply(true);
  });
  apply(false);

  // Flow confirmation means something only with contrast: hidden (and cleared) after "No".
  var flowBox = form.querySelector("input[name='contrast_flow_confirmed']");
  var flow = flowBox ? flowBox.closest("fieldset") : null;

  function applyContrast(changed) {
    var no = form.querySelector("input[name='contrast_used'][value='no']");
    var without = no !== null && no.checked;
    if (without && changed) {
      flow.querySelectorAll("input").forEach(function (radio) {
        radio.checked = false;
      });
    }
    flow.hidden = without && !hasError(flow);
  }

  if (flow) {
    form.querySelectorAll("input[name='contrast_used']").forEach(function (radio) {
      radio.addEventListener("change", function () {
        applyContrast(true);
      });
    });
    applyContrast(false);
  }
})();
