// The course page: "Add content" is offered only to the members who may add
// content (instructors and teaching assistants).
"use strict";

(function () {
  const user = document.getElementById("user");
  const add = document.getElementById("add-content");
  if (!user || !add) return;

  const update = () => {
    add.hidden = user.selectedOptions[0].dataset.canAdd !== "true";
  };
  user.addEventListener("change", update);
  update();
})();
