// The launch page when the state cookie did not come back: read the state
// (and the nonce) from the platform's storage, compare, and complete the
// launch on the server; otherwise explain, and offer a new window.
"use strict";

(function () {
  const page = document.getElementById("storage-launch");
  const { idToken, state, nonce, target, relaunchUrl } = page.dataset;
  const origins = JSON.parse(page.dataset.origins);
  const message = document.getElementById("storage-message");

  function fail(code, text) {
    page.dataset.state = "failed";
    document.getElementById("storage-code").textContent = code;
    message.textContent = text;
    document.getElementById("storage-failure").hidden = false;
    if (relaunchUrl) document.getElementById("relaunch").hidden = false;
  }

  function complete() {
    return fetch("/lti/launch/complete", {
      method: "POST",
      credentials: "omit",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-LTI-Storage": "verified",
      },
      body: JSON.stringify({ id_token: idToken, state }),
    }).then((response) => response.json().then((body) => ({ ok: response.ok, body })));
  }

  function show(launchToken) {
    const form = document.createElement("form");
    form.method = "post";
    form.action = "/lti/launch/show";
    const field = document.createElement("input");
    field.type = "hidden";
    field.name = "launch_token";
    field.value = launchToken;
    form.append(field);
    document.body.append(form);
    form.submit();
  }

  window.LtiStorage.connect(target, origins)
    .catch(() => {
      throw { code: "launch.storage_unavailable",
              text: "The tool's cookie was blocked and the platform's storage did not answer." };
    })
    .then((storage) =>
      Promise.all([storage.get("state_" + state), nonce ? storage.get("nonce_" + nonce) : nonce])
    )
    .then(([storedState, storedNonce]) => {
      if (storedState === undefined || storedState === null) {
        throw { code: "launch.state_missing",
                text: "This launch's state is not in the platform's storage." };
      }
      if (storedState !== state || (nonce && storedNonce !== nonce)) {
        throw { code: "launch.state_mismatch",
                text: "The state in the platform's storage does not match this launch." };
      }
      return complete();
    })
    .then(({ ok, body }) => {
      if (!ok) throw { code: body.error, text: body.message };
      page.dataset.state = "ok";
      show(body.launch_token);
    })
    .catch((problem) => fail(problem.code || "launch.failed", problem.text || String(problem)));
})();
