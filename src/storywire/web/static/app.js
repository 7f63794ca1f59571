// storywire web UI: hovering an edit highlights the same edit on the other side of a side-by-side view.
"use strict";
document.addEventListener("mouseover", (event) => {
  const target = event.target.closest("[data-edit]");
  document.querySelectorAll(".active").forEach((el) => el.classList.remove("active"));
  if (!target) return;
  const pair = target.closest(".pair");
  if (!pair) return;
  pair.querySelectorAll(`[data-edit="${CSS.escape(target.dataset.edit)}"]`).forEach((el) => el.classList.add("active"));
});
