// The tool page keeps working inside Learn's iframe without cookies: every
// request after the launch carries the launch token in a header.
"use strict";

window.LtiTool = (function () {
  const features = document.getElementById("features");
  const token = features ? features.dataset.launchToken : null;

  // Calls the tool's JSON API with the launch token; resolves {ok, status, body}.
  function call(url, method, payload) {
    const options = {
      method: method || "GET",
      headers: { "X-Launch-Token": token, Accept: "application/json" },
      credentials: "omit",
    };
    if (payload !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(payload);
    }
    return fetch(url, options).then((response) =>
      response
        .json()
        .catch(() => ({ error: "http." + response.status, message: response.statusText }))
        .then((body) => ({ ok: response.ok, status: response.status, body }))
    );
  }

  // Builds a small definition list from rows, safely (no innerHTML).
  function render(target, state, title, rows) {
    target.replaceChildren();
    target.dataset.state = state;
    const heading = document.createElement("h3");
    heading.textContent = title;
    target.append(heading);
    const list = document.createElement("dl");
    for (const [name, value] of rows) {
      const term = document.createElement("dt");
      term.textContent = name;
      const detail = document.createElement("dd");
      detail.textContent = typeof value === "object" ? JSON.stringify(value) : String(value);
      list.append(term, detail);
    }
    target.append(list);
  }

  function showError(target, body) {
    const rows = [["Code", body.error], ["Why", body.message]];
    if (body.hint) rows.push(["What to check", body.hint]);
    render(target, "error", "That did not work", rows);
  }

  const views = {
    course: (body) => ["Course in Learn", Object.entries(body)],
    profile: (body) => [
      "Your Learn profile",
      [
        ["User name", body.userName],
        ["Name", ((body.name || {}).given || "") + " " + ((body.name || {}).family || "")],
        ["Email", (body.contact || {}).email || ""],
      ],
    ],
    roster: (body) => [
      "Roster (" + body.count + ")",
      body.members.map((m) => [
        m.name + (m.test_user ? " (Student Preview)" : ""),
        m.roles.join(", ") + " · " + m.status + (m.email ? " · " + m.email : ""),
      ]),
    ],
  };

  function run(feature, url) {
    const target = document.getElementById("feature-result");
    target.textContent = "Loading…";
    target.dataset.state = "loading";
    call(url)
      .then(({ ok, body }) => {
        if (ok) {
          const [title, rows] = views[feature](body);
          render(target, "ok", title, rows);
          target.dataset.feature = feature;
        } else if (body.error === "service.learn_authorization_required") {
          // Off to Learn to allow access; Learn sends the user back here.
          document.getElementById("learn-authorize").submit();
        } else {
          showError(target, body);
        }
      })
      .catch(() => showError(target, { error: "network", message: "No answer." }));
  }

  if (features) {
    features.querySelectorAll("button[data-feature]").forEach((button) =>
      button.addEventListener("click", () => run(button.dataset.feature, button.dataset.url))
    );
    if (features.dataset.show === "profile") run("profile", "/api/learn/profile");
  }

  const check = document.getElementById("session-check");
  if (check) {
    call("/api/launch")
      .then(({ ok, status, body }) => {
        if (!ok) throw status;
        check.textContent = "Launch token accepted for " + body.user.name + ".";
        check.dataset.state = "ok";
      })
      .catch((status) => {
        check.textContent = "The launch token was refused (" + status + ").";
        check.dataset.state = "failed";
      });
  }

  return { call, render, showError };
})();
