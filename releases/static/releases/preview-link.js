/* The preview link's copy button in the release admin. A file, not an inline script: the CSP
   allows scripts from this site only. Without JavaScript the button stays hidden and the link
   can still be selected in its read-only field. */
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll(".preview-link__copy")) {
    const field = document.getElementById(button.dataset.copyFrom);
    const status = button.parentElement.querySelector(".preview-link__copied");
    if (!field || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        status.textContent = button.dataset.copied;
      } catch {
        // Refused (no permission): select it so that Ctrl+C copies it.
        field.select();
      }
    });
  }
});
