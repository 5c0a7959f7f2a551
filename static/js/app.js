/* Progressive enhancement only: every page works without this file.
   1. A form whose button has data-prevent-double-click submits once; its buttons are disabled
      for a moment so a second click or Enter does not send it again.
   2. The element marked data-autofocus (the error summary) takes focus when the page loads,
      so screen reader and keyboard users hear the problems first. */
(function () {
  'use strict';

  const LOCK_MS = 2000;
  const BUTTONS = '[data-prevent-double-click]';

  function guardedButtons(form, submitter) {
    const buttons = Array.from(form.querySelectorAll(BUTTONS));
    if (submitter && submitter.matches(BUTTONS) && !buttons.includes(submitter)) {
      buttons.push(submitter); // a button outside the form, linked with form="..."
    }
    return buttons;
  }

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const buttons = guardedButtons(form, event.submitter);
    if (buttons.length === 0) return;

    const lockedUntil = Number(form.dataset.lockedUntil || 0);
    if (Date.now() < lockedUntil) {
      event.preventDefault(); // already on its way
      return;
    }
    if (event.defaultPrevented) return;

    form.dataset.lockedUntil = String(Date.now() + LOCK_MS);
    // Disable after this event has finished, so the browser still builds and sends the
    // form data (including the pressed button) for this one submission.
    window.setTimeout(() => {
      buttons.forEach((button) => { button.disabled = true; });
    }, 0);
    window.setTimeout(() => {
      buttons.forEach((button) => { button.disabled = false; });
      delete form.dataset.lockedUntil;
    }, LOCK_MS);
  });

  // Coming back with the browser's Back button may restore a page with buttons still disabled.
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    document.querySelectorAll(BUTTONS).forEach((button) => { button.disabled = false; });
    document.querySelectorAll('form[data-locked-until]').forEach((form) => {
      delete form.dataset.lockedUntil;
    });
  });

  function focusMarked() {
    const target = document.querySelector('[data-autofocus]');
    if (!target) return;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', focusMarked);
  } else {
    focusMarked();
  }
}());
