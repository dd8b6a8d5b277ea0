// Warns a signed-in person before they are signed out for being idle, and lets them stay.
//
// The dialog's markup and words come from the page (templates/accounts/_session_warning.html),
// so they are translated with everything else. Checking the time left never counts as activity;
// "Stay signed in" does. Without this script the person is signed out on their next request
// after the idle time and the sign-in page says why.

export function initSessionTimeout() {
  const dialog = document.querySelector("[data-portal-session-warning]");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  const stayButton = dialog.querySelector("[data-session-stay]");
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const { statusUrl, stayUrl, signInUrl } = dialog.dataset;
  const warnSeconds = 120;
  let timer = null;
  let returnFocusTo = null;

  function schedule(seconds) {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Math.max(1, seconds) * 1000);
  }

  function goToSignIn() {
    window.location.assign(signInUrl);
  }

  function open() {
    if (dialog.open) {
      return;
    }
    returnFocusTo = document.activeElement;
    dialog.showModal();
    stayButton.focus();
  }

  function close() {
    if (!dialog.open) {
      return;
    }
    dialog.close();
    if (returnFocusTo && typeof returnFocusTo.focus === "function") {
      returnFocusTo.focus();
    }
  }

  // Another tab may have kept the session alive, so ask the server rather than trust a timer.
  async function check() {
    let status;
    try {
      const response = await fetch(statusUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      status = await response.json();
    } catch {
      schedule(60);
      return;
    }
    if (!status.signed_in) {
      goToSignIn();
      return;
    }
    const warnAt = status.warn_seconds || warnSeconds;
    if (status.seconds_left > warnAt) {
      close();
      schedule(status.seconds_left - warnAt);
      return;
    }
    open();
    // When the time is up, look again: signed out means the sign-in page, which says why.
    schedule(status.seconds_left + 1);
  }

  async function staySignedIn() {
    try {
      const response = await fetch(stayUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "X-CSRFToken": csrfMeta ? csrfMeta.content : "",
        },
      });
      const status = await response.json();
      if (!status.signed_in) {
        goToSignIn();
        return;
      }
      close();
      schedule(status.seconds_left - (status.warn_seconds || warnSeconds));
    } catch {
      close();
      schedule(1);
    }
  }

  stayButton.addEventListener("click", staySignedIn);
  // Escape dismisses the warning, which means staying signed in.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") {
      check();
    }
  });

  // This page's own request has just restarted the idle clock.
  const idleSeconds = Number(dialog.dataset.idleSeconds) || 1800;
  schedule(idleSeconds - warnSeconds);
}
