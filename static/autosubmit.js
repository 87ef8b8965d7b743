// Submits a form marked data-auto-submit as soon as the page has loaded.
"use strict";

document.querySelectorAll("form[data-auto-submit]").forEach((form) => form.submit());
