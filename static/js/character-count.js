/* Progressive enhancement only: without this file the hint states the limit and the server
   says how much to shorten a long answer (nothing is ever cut).
   A textarea with data-character-limit gets a count under it: "Characters left: 2,788" or
   "Too long: shorten it by 212 characters". The count is a polite live region, updated after
   typing pauses (a debounce), so screen readers hear it without being interrupted on every
   key. The wording comes from the page (data-count-remaining, data-count-over) in the
   page's language. */
(function () {
  'use strict';

  const PAUSE_MS = 750;

  function formatted(number) {
    return number.toLocaleString(document.documentElement.lang || undefined);
  }

  function enhance(textarea) {
    const limit = Number(textarea.dataset.characterLimit);
    if (!limit || !textarea.id) return;
    const count = document.createElement('div');
    count.id = `${textarea.id}-count`;
    count.className = 'hint character-count';
    count.setAttribute('aria-live', 'polite');
    textarea.insertAdjacentElement('afterend', count);
    const describedBy = (textarea.getAttribute('aria-describedby') || '').split(' ');
    textarea.setAttribute('aria-describedby', describedBy.concat(count.id).join(' ').trim());

    function update() {
      const length = textarea.value.length;
      const over = length > limit;
      const template = over ? textarea.dataset.countOver : textarea.dataset.countRemaining;
      count.textContent = (template || '%(num)s')
        .replace('%(num)s', formatted(Math.abs(limit - length)));
      count.classList.toggle('character-count--over', over);
    }

    let timer = null;
    textarea.addEventListener('input', () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, PAUSE_MS);
    });
    update();
  }

  function start() {
    document.querySelectorAll('textarea[data-character-limit]').forEach(enhance);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
