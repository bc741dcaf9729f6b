// Suggestions while typing in the practice search (/praxis): fills the search field's <datalist> from
// GET /api/v1/practices/suggestions. A progressive enhancement: without JavaScript the search works the same.
(() => {
  const input = document.querySelector('input[data-suggest]');
  const list = input && document.getElementById(input.getAttribute('list'));
  if (!input || !list) return;
  let timer = 0;
  let last = '';
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const words = input.value.trim().split(/\s+/);
      const word = words[words.length - 1] || '';
      if (word.length < 2 || word === last) return;
      last = word;
      try {
        const res = await fetch(`${input.dataset.suggest}?q=${encodeURIComponent(word)}`, {
          headers: { accept: 'application/json' },
        });
        if (!res.ok) return;
        const { suggestions } = await res.json();
        const prefix = words.slice(0, -1).join(' ');
        list.replaceChildren(
          ...suggestions.map((s) => {
            const option = document.createElement('option');
            option.value = prefix ? `${prefix} ${s}` : s;
            return option;
          }),
        );
      } catch {
        // No suggestions; the search itself is a plain form.
      }
    }, 150);
  });
})();
