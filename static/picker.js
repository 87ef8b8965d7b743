// Dates in the picker are the instructor's local time: send the UTC offset.
"use strict";

(function () {
  const field = document.getElementById("tz-offset");
  if (field) field.value = String(-new Date().getTimezoneOffset());
})();
