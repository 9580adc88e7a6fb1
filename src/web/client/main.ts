/**
 * The client script: small enhancements over pages that work without it.
 * Bundled by esbuild at server start (src/web/assets.ts). Each feature looks
 * for its markers (data-* attributes) and does nothing when they are absent.
 */
import { initCsrf } from './csrf.ts';
import { initFeedback } from './feedback.ts';
import { initImport } from './import.ts';
import { initKeys } from './keys.ts';
import { initNotes } from './notes.ts';
import { adoptMathStyles } from './math.ts';
import { initSearch } from './search.ts';

document.documentElement.classList.add('js');

// Selects that apply at once (sort, profile): submit their form on change.
for (const form of document.querySelectorAll<HTMLFormElement>('form[data-autosubmit]')) {
  form.addEventListener('change', (e) => {
    const t = e.target as HTMLElement;
    if (t instanceof HTMLSelectElement) form.requestSubmit();
  });
}

// Forms that destroy something ask first.
for (const form of document.querySelectorAll<HTMLFormElement>('form[data-confirm]')) {
  form.addEventListener('submit', (e) => {
    if (!confirm(form.dataset.confirm ?? 'Are you sure?')) e.preventDefault();
  });
}

initCsrf();
initKeys();
initNotes();
initFeedback();
initSearch();
initImport();

// Parts of a page that are slow to compute (why a paper is recommended) load after it has painted.
for (const el of document.querySelectorAll<HTMLElement>('[data-why-src]')) {
  el.setAttribute('aria-busy', 'true');
  fetch(el.dataset.whySrc!, { headers: { accept: 'text/html' } })
    .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
    .then((html) => {
      el.outerHTML = html; // server-rendered, escaped fragment
      adoptMathStyles(document);
    })
    .catch(() => el.removeAttribute('aria-busy'));
}
