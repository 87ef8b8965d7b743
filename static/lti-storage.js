// LTI platform storage over postMessage (the LTI Client Side postMessages
// spec): ask the platform's frame what it supports, then put and get values.
// Replies are accepted only from the origins the tool trusts for this
// deployment, and values are sent only to the origin that answered.
"use strict";

window.LtiStorage = (function () {
  // Current names first, then the older prefixed ones some platforms use.
  const PREFIXES = ["lti.", "org.imsglobal.lti."];
  let counter = 0;

  function frameNamed(name) {
    if (!name || name === "_parent") return window.parent;
    if (name === "_top") return window.top;
    try {
      return window.parent.frames[name] || null;
    } catch (error) {
      return null;
    }
  }

  // Sends one message and waits for its ".response" from an accepted origin.
  function request(target, targetOrigin, subject, fields, accept, timeoutMs) {
    return new Promise((resolve, reject) => {
      const messageId = "lti-" + Date.now() + "-" + ++counter;
      const timer = setTimeout(() => {
        window.removeEventListener("message", listen);
        reject(new Error("no answer to " + subject));
      }, timeoutMs);

      function listen(event) {
        const data = event.data;
        if (!data || typeof data !== "object") return;
        if (data.subject !== subject + ".response" || data.message_id !== messageId) return;
        if (!accept(event.origin)) return; // a foreign frame: ignore it
        clearTimeout(timer);
        window.removeEventListener("message", listen);
        if (data.error && data.error.code !== "not_found") {
          reject(new Error((data.error.code || "error") + ": " + subject));
          return;
        }
        resolve({ data, origin: event.origin });
      }

      window.addEventListener("message", listen);
      target.postMessage(Object.assign({ subject, message_id: messageId }, fields), targetOrigin);
    });
  }

  // Resolves to {origin, put(key, value), get(key)}, or rejects when the
  // platform offers no storage, answers from an untrusted origin, or is silent.
  function connect(targetName, trustedOrigins, timeoutMs) {
    const timeout = timeoutMs || 1500;
    const target = frameNamed(targetName);
    if (!target || target === window) return Promise.reject(new Error("no platform frame"));
    const trusted = (origin) => trustedOrigins.indexOf(origin) !== -1;

    // Capabilities carry no secret, so they may go to any origin.
    const asks = PREFIXES.map((prefix) =>
      request(target, "*", prefix + "capabilities", {}, trusted, timeout).then((answer) =>
        Object.assign({ prefix }, answer)
      )
    );
    return Promise.any(asks).then(({ data, origin, prefix }) => {
      const supported = Array.isArray(data.supported_messages) ? data.supported_messages : [];
      const find = (name) => supported.find((m) => m && m.subject === prefix + name);
      const put = find("put_data");
      const get = find("get_data");
      if (!put || !get) throw new Error("the platform offers no storage");
      const frameFor = (message) => (message.frame ? frameNamed(message.frame) : target);
      const exact = (candidate) => candidate === origin;
      return {
        origin,
        put: (key, value) =>
          request(frameFor(put), origin, prefix + "put_data", { key, value }, exact, timeout),
        get: (key) =>
          request(frameFor(get), origin, prefix + "get_data", { key }, exact, timeout).then(
            ({ data }) => data.value
          ),
      };
    });
  }

  return { connect };
})();
