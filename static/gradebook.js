// The instructor's gradebook: line items, a grade form, results.
"use strict";

(function () {
  const section = document.getElementById("gradebook");
  if (!section) return;
  const { call, render, showError } = window.LtiTool;
  const status = document.getElementById("gradebook-status");
  const rows = section.querySelector("#line-items tbody");

  function cell(text) {
    const td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  function button(label, action) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", action);
    return b;
  }

  function after(promise, done) {
    return promise.then(({ ok, body }) => (ok ? done(body) : showError(status, body)));
  }

  function loadLineItems() {
    return after(call("/api/lineitems"), (items) => {
      rows.replaceChildren();
      const select = document.getElementById("grade-item");
      select.replaceChildren();
      for (const item of items) {
        const tr = document.createElement("tr");
        tr.dataset.label = item.label;
        const actions = document.createElement("td");
        actions.append(
          button("Results", () => showResults(item)),
          button("Rename", () => rename(item)),
          button("Delete", () => remove(item))
        );
        tr.append(cell(item.label), cell(item.scoreMaximum), cell(item.resourceLinkId || ""),
          actions);
        rows.append(tr);
        const option = document.createElement("option");
        option.value = item.id;
        option.textContent = item.label;
        select.append(option);
      }
      section.dataset.loaded = "true";
    });
  }

  function loadLearners() {
    return after(call("/api/roster"), (body) => {
      const select = document.getElementById("grade-user");
      select.replaceChildren();
      for (const member of body.members) {
        if (!member.roles.includes("Learner") && !member.test_user) continue;
        const option = document.createElement("option");
        option.value = member.user_id;
        option.textContent = member.name + (member.test_user ? " (Student Preview)" : "");
        select.append(option);
      }
    });
  }

  function showResults(item) {
    after(call("/api/lineitems/results?id=" + encodeURIComponent(item.id)), (results) =>
      render(status, "ok", "Results: " + item.label, results.map((r) => [
        r.user_id, r.score + " / " + r.maximum + (r.comment ? " · " + r.comment : ""),
      ]))
    );
  }

  function rename(item) {
    const label = window.prompt("New label", item.label);
    if (!label) return;
    after(call("/api/lineitems/rename", "POST", { id: item.id, label }), loadLineItems);
  }

  function remove(item) {
    if (!window.confirm("Delete " + item.label + " and its grades?")) return;
    after(call("/api/lineitems/delete", "POST", { id: item.id }), loadLineItems);
  }

  document.getElementById("create-line-item").addEventListener("submit", (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(event.target));
    after(call("/api/lineitems", "POST", data), () => {
      event.target.reset();
      loadLineItems();
    });
  });

  document.getElementById("grade-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(event.target));
    after(call("/api/lineitems/grade", "POST", data), () =>
      render(status, "ok", "Grade sent", [["Learner", data.user_id], ["Score", data.score]])
    );
  });

  loadLineItems();
  loadLearners();
})();
