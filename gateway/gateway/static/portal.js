/* The portal's little script: the user menu, and the activation steps with live password rules.
   Every page works without it; it only saves round trips and shows the rules as they are met. */
(function () {
  "use strict";

  document.querySelectorAll("details[data-menu]").forEach(function (menu) {
    document.addEventListener("click", function (event) {
      if (menu.open && !menu.contains(event.target)) { menu.open = false; }
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  });

  var form = document.querySelector("form[data-activation]");
  if (!form) { return; }
  form.noValidate = true;  // the script checks each step itself, in the step's order
  var steps = Array.prototype.slice.call(form.querySelectorAll("fieldset.step"));
  var stepInput = form.querySelector("input[name=step]");
  var stepper = document.querySelectorAll(".stepper li");
  var current = Number(form.dataset.step) || 1;

  function show(number, focus) {
    current = number;
    stepInput.value = String(number);
    steps.forEach(function (fieldset) { fieldset.hidden = Number(fieldset.dataset.step) !== number; });
    stepper.forEach(function (item) {
      var n = Number(item.dataset.step);
      if (n === number) { item.setAttribute("aria-current", "step"); } else { item.removeAttribute("aria-current"); }
      item.classList.toggle("done", n < number);
    });
    if (focus) { steps[number - 1].querySelector(".step-title").focus(); }
  }

  function stepIsValid(number) {
    var controls = steps[number - 1].querySelectorAll("input[name], select[name]");
    for (var i = 0; i < controls.length; i++) {
      if (controls[i].willValidate && !controls[i].checkValidity()) {
        show(number, false);
        controls[i].focus();
        controls[i].reportValidity();
        return false;
      }
    }
    return true;
  }

  // The rules of identity's security levels, mirrored so that they can be ticked while typing.
  var password = form.querySelector("#password");
  var confirmation = form.querySelector("#password_confirmation");
  var firstName = form.querySelector("#first_name");
  var lastName = form.querySelector("#last_name");
  var rulesBox = form.querySelector("[data-rules]");
  var summary = form.querySelector("[data-rules-summary]");
  var validate = form.querySelector("[data-validate]");
  var validateHint = form.querySelector("[data-validate-hint]");
  var minLength = Number(form.dataset.minLength);
  var maxLength = Number(form.dataset.maxLength);
  var email = form.dataset.email || "";

  function fold(text) { return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase(); }
  function length(text) { return Array.from(text).length; }  // characters, as the server counts
  function containsPartOf(name, folded) {
    name = fold(name);
    for (var i = 0; i + 3 <= name.length; i++) {
      if (folded.indexOf(name.slice(i, i + 3)) !== -1) { return true; }
    }
    return false;
  }

  var checks = {};
  checks["min_length_" + minLength] = function (p) { return length(p) >= minLength; };
  checks["max_length_" + maxLength] = function (p) { return length(p) <= maxLength; };
  checks.three_character_classes = function (p) {
    return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter(function (r) { return r.test(p); }).length >= 3;
  };
  checks.no_part_of_name = function (p) {
    var folded = fold(p);
    return !containsPartOf(firstName.value, folded) && !containsPartOf(lastName.value, folded);
  };
  checks.not_email = function (p) { return !email || fold(p) !== fold(email); };
  checks.passwords_match = function (p, c) { return p.length > 0 && p === c; };

  var lastSummary = "";
  function allRulesMet() {
    var p = password.value, c = confirmation.value, met = 0, total = 0, all = true;
    rulesBox.querySelectorAll("[data-rule]").forEach(function (item) {
      var check = checks[item.dataset.rule];
      if (!check) { return; }  // a rule only the server knows: it will say
      var ok = check(p, c);
      total += 1;
      met += ok ? 1 : 0;
      all = all && ok;
      var typed = p.length > 0;
      item.classList.toggle("rule-met", typed && ok);
      item.classList.toggle("rule-unmet", typed && !ok);
      item.querySelector(".rule-state").textContent =
        typed ? " (" + (ok ? rulesBox.dataset.metText : rulesBox.dataset.unmetText) + ")" : "";
    });
    var text = rulesBox.dataset.summaryText.replace("{met}", met).replace("{total}", total);
    if (p.length > 0 && text !== lastSummary) { summary.textContent = text; lastSummary = text; }
    return all;
  }

  function refresh() {
    var ready = allRulesMet();
    validate.disabled = !ready;
    validateHint.hidden = ready;
  }

  [password, confirmation, firstName, lastName].forEach(function (input) {
    input.addEventListener("input", refresh);
  });
  if (password.value || confirmation.value) { refresh(); } else { validate.disabled = true; validateHint.hidden = false; }

  form.addEventListener("submit", function (event) {
    var action = event.submitter ? event.submitter.value : "validate";
    if (action === "previous") {
      event.preventDefault();
      show(Math.max(current - 1, 1), true);
      return;
    }
    if (action === "next" && current < 3) {
      event.preventDefault();
      if (stepIsValid(current)) { show(current + 1, true); }
      return;
    }
    for (var n = 1; n <= 3; n++) {
      if (!stepIsValid(n)) { event.preventDefault(); return; }
    }
    if (!allRulesMet()) {
      event.preventDefault();
      password.focus();
    }
  });
}());
