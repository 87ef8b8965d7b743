// The learner's activity: submit the answers, see the score the gradebook got.
"use strict";

(function () {
  const form = document.getElementById("activity");
  if (!form) return;
  const line = document.getElementById("activity-result");
  const { call } = window.LtiTool;

  function show(state, text) {
    line.dataset.state = state;
    line.textContent = text;
  }

  function showResult() {
    call("/api/activity/result").then(({ ok, body }) => {
      if (!ok) return show("error", body.message + (body.hint ? " " + body.hint : ""));
      if (!body.result) return show("none", "You have no result yet.");
      const r = body.result;
      show("graded", "Your result in the gradebook: " + r.score + " / " + r.maximum +
        (r.comment ? " (" + r.comment + ")" : ""));
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const count = form.querySelectorAll("fieldset").length;
    const answers = [];
    for (let i = 0; i < count; i++) {
      const picked = form.querySelector('input[name="q' + i + '"]:checked');
      answers.push(picked ? Number(picked.value) : -1);
    }
    show("sending", "Sending your answers…");
    call("/api/activity/submit", "POST", { answers }).then(({ ok, body }) => {
      if (!ok) return show("error", body.message + (body.hint ? " " + body.hint : ""));
      show("submitted", "You scored " + body.score + " / " + body.maximum + ".");
      showResult();
    });
  });

  showResult();
})();
