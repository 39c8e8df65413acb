// After a passkey or security key was added, continue where the page says (recovery codes).
// django-otp-webauthn's register script fires "otp_webauthn.register_complete" on the button.
"use strict";
document.addEventListener("otp_webauthn.register_complete", (event) => {
  const button = document.getElementById("passkey-register-button");
  const target = button && button.dataset.afterRegistration;
  if (target) {
    window.location.assign(target);
  }
});
