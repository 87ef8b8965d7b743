// The tool page keeps working inside Learn's iframe without cookies: every
// request after the launch carries the launch token in a header.
"use strict";

(function () {
  const check = document.getElementById("session-check");
  if (!check) return;
  const token = check.dataset.launchToken;

  fetch("/api/launch", {
    headers: { "X-Launch-Token": token, Accept: "application/json" },
    credentials: "omit",
  })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((summary) => {
      check.textContent = "Launch token accepted for " + summary.user.name + ".";
      check.dataset.state = "ok";
    })
    .catch((status) => {
      check.textContent = "The launch token was refused (" + status + ").";
      check.dataset.state = "failed";
    });
})();
