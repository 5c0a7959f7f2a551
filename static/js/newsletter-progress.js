/* Progressive enhancement only: without this file the progress page has a Refresh link.
   An element with data-progress-url and data-progress-live re-fetches the send's figures
   (JSON) every 2 seconds and updates the elements marked data-field, until the send has
   finished. The summary is an aria-live region, so screen readers hear the changes. */
(function () {
  'use strict';

  const EVERY_MS = 2000;

  function formatted(value) {
    return typeof value === 'number'
      ? value.toLocaleString(document.documentElement.lang || undefined) : String(value);
  }

  function show(box, data) {
    box.querySelectorAll('[data-field]').forEach(function (element) {
      const name = element.dataset.field;
      if (name === 'bar') {
        element.max = data.total || 1;
        element.value = data.total ? data.done : 1;
        element.textContent = `${data.percent}%`;
      } else if (name in data) {
        element.textContent = formatted(data[name]);
      }
    });
  }

  function follow(box) {
    const url = box.dataset.progressUrl;
    function tick() {
      fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          show(box, data);
          if (!data.finished) window.setTimeout(tick, EVERY_MS);
        })
        .catch(function () { window.setTimeout(tick, EVERY_MS * 5); });
    }
    window.setTimeout(tick, EVERY_MS);
  }

  document.querySelectorAll('[data-progress-url][data-progress-live]').forEach(follow);
}());
