// Platform storage for the tool in #tool-frame (LTI client-side postMessages):
// answers capabilities, put_data and get_data, under the current "lti." names
// and the older "org.imsglobal.lti." ones. Values live in this page's memory,
// kept apart per tool origin. data-tamper on this script ("drop" or
// "mismatch") spoils get_data answers, for tests.
"use strict";

(function () {
  const tamper = document.currentScript.dataset.tamper || "none";
  const PREFIXES = ["org.imsglobal.lti.", "lti."];
  const values = new Map();

  function answer(request, origin) {
    const prefix = PREFIXES.find((candidate) => request.subject.startsWith(candidate));
    const name = prefix ? request.subject.slice(prefix.length) : "";
    const slot = JSON.stringify([origin, request.key]);

    if (name === "capabilities") {
      const names = ["capabilities", "put_data", "get_data"];
      return { supported_messages: names.map((each) => ({ subject: prefix + each })) };
    }
    if ((name === "put_data" || name === "get_data") && typeof request.key !== "string") {
      return { error: { code: "bad_request", message: "key must be a string" } };
    }
    if (name === "put_data") {
      values.set(slot, request.value);
      return { key: request.key, value: request.value };
    }
    if (name === "get_data") {
      // A missing key is no error: the answer simply has no value.
      if (!values.has(slot) || tamper === "drop") return { key: request.key };
      const value = values.get(slot);
      return { key: request.key, value: tamper === "mismatch" ? value + "-tampered" : value };
    }
    return {
      error: { code: "unsupported_subject", message: "unsupported subject " + request.subject },
    };
  }

  window.addEventListener("message", (event) => {
    const frame = document.getElementById("tool-frame");
    if (!frame || event.source !== frame.contentWindow || event.origin === "null") return;
    const request = event.data;
    if (!request || typeof request !== "object" || typeof request.subject !== "string") return;

    const reply = { subject: request.subject + ".response", message_id: request.message_id };
    event.source.postMessage(Object.assign(reply, answer(request, event.origin)), event.origin);
  });
})();
