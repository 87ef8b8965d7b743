// The login page when the platform offers storage: keep the state and the
// nonce in the platform's frame, then go on to the authentication request.
"use strict";

(function () {
  const page = document.getElementById("storage-login");
  const { authUrl, state, nonce, target } = page.dataset;
  const origins = JSON.parse(page.dataset.origins);
  const go = () => window.location.replace(authUrl);

  window.LtiStorage.connect(target, origins)
    .then((storage) =>
      storage.put("state_" + state, state).then(() => storage.put("nonce_" + nonce, nonce))
    )
    .then(() => {
      page.dataset.stored = "true";
    })
    // Without storage the cookie set with this page is the only binding.
    .catch(() => {
      page.dataset.stored = "false";
    })
    .finally(go);
})();
