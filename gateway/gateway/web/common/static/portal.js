/* The portal's little script: the user menu, the activation steps, live password rules, list helpers.
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

  // The rules of identity's security levels, mirrored so that they can be ticked while typing.
  // Returns the check of every rule, or null when the form has no rules box.
  function liveRules(form) {
    var password = form.querySelector("#password");
    var confirmation = form.querySelector("#password_confirmation");
    var rulesBox = form.querySelector("[data-rules]");
    if (!password || !confirmation || !rulesBox) { return null; }
    var summary = form.querySelector("[data-rules-summary]");
    var validate = form.querySelector("[data-validate]");
    var validateHint = form.querySelector("[data-validate-hint]");
    var minLength = Number(form.dataset.minLength);
    var maxLength = Number(form.dataset.maxLength);
    var email = form.dataset.email || "";
    // The names come from the form's fields (activation) or from the account (other pages).
    var firstName = form.querySelector("#first_name");
    var lastName = form.querySelector("#last_name");
    function nameOf(input, fallback) { return input ? input.value : (fallback || ""); }

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
      return !containsPartOf(nameOf(firstName, form.dataset.firstName), folded) &&
        !containsPartOf(nameOf(lastName, form.dataset.lastName), folded);
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
      if (validate) { validate.disabled = !ready; }
      if (validateHint) { validateHint.hidden = ready; }
    }

    [password, confirmation, firstName, lastName].forEach(function (input) {
      if (input) { input.addEventListener("input", refresh); }
    });
    if (password.value || confirmation.value) { refresh(); } else {
      if (validate) { validate.disabled = true; }
      if (validateHint) { validateHint.hidden = false; }
    }
    return { allRulesMet: allRulesMet, password: password };
  }

  document.querySelectorAll("form[data-password-form]").forEach(function (passwordForm) {
    var rules = liveRules(passwordForm);
    if (!rules) { return; }
    passwordForm.addEventListener("submit", function (event) {
      if (!rules.allRulesMet()) { event.preventDefault(); rules.password.focus(); }
    });
  });

  // A confirmation before an action that cannot be undone (the page asks again without script).
  document.querySelectorAll("[data-confirm]").forEach(function (control) {
    control.addEventListener("click", function (event) {
      if (!window.confirm(control.dataset.confirm)) { event.preventDefault(); }
    });
  });

  // "Select all" of a list's rows.
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    all.hidden = false;
    var label = document.querySelector("label[for='" + all.id + "']");
    if (label) { label.hidden = false; }
    all.addEventListener("change", function () {
      document.querySelectorAll("input[name='" + all.dataset.selectAll + "']").forEach(function (box) {
        box.checked = all.checked;
      });
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

  var activationRules = liveRules(form);

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
    if (!activationRules.allRulesMet()) {
      event.preventDefault();
      activationRules.password.focus();
    }
  });
}());
