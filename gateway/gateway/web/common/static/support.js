/* The new support request's suggestions: while the subject is typed, the knowledge base's articles
   that may answer it replace the block under the form (the page's "Suggest answers" button does the
   same without script). */
(function () {
  "use strict";
  var form = document.getElementById("support-request-form");
  var block = document.querySelector("[data-suggestions]");
  if (!form || !block || !window.fetch) { return; }
  var subject = form.querySelector("#subject");
  var url = form.getAttribute("data-suggestions-url");
  var timer = null;
  var asked = "";

  function ask() {
    var words = subject.value.trim();
    if (words === asked) { return; }
    asked = words;
    if (words.length < 3) { block.innerHTML = ""; return; }
    fetch(url + "?q=" + encodeURIComponent(words), {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (answer) { return answer.ok ? answer.text() : null; })
      .then(function (html) {
        if (html === null || words !== asked) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-suggestions]");
        if (fresh) { block.replaceWith(fresh); block = fresh; }
      })
      .catch(function () { /* no suggestions: the form works as it is */ });
  }

  subject.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 300);
  });
}());
