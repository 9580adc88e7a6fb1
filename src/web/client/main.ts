/**
 * The client script: small enhancements over pages that work without it.
 * Bundled by esbuild at server start (src/web/assets.ts). Each feature looks
 * for its markers (data-* attributes) and does nothing when they are absent.
 */
import { initCsrf } from './csrf.ts';
import { initFeedback } from './feedback.ts';
import { initImport } from './import.ts';
import { initKeys } from './keys.ts';
import { initMap } from './map.ts';
import { initNotes } from './notes.ts';
import { adoptMathStyles } from './math.ts';
import { initSearch } from './search.ts';
import { toast } from './toast.ts';

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

// Copy buttons (feed links): without script the link stays selectable text beside them.
for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
  button.hidden = false;
  button.addEventListener('click', () => {
    const text = button.dataset.copy ?? '';
    navigator.clipboard?.writeText(text).then(
      () => toast('Link copied.'),
      () => toast('Could not copy: select the link and copy it.'),
    );
  });
}

// A part of a page with work in progress (a source's back-fill) refreshes itself while it runs, leaving the rest (a half-typed form) alone.
function refreshLater(el: HTMLElement): void {
  setTimeout(() => {
    fetch(location.href, { headers: { accept: 'text/html' } })
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
      .then((html) => {
        const fresh = new DOMParser().parseFromString(html, 'text/html').querySelector<HTMLElement>(`[data-refresh-id="${el.dataset.refreshId}"]`);
        if (!fresh) return;
        el.replaceWith(fresh); // server-rendered, escaped
        if (fresh.dataset.refresh) refreshLater(fresh);
      })
      .catch(() => refreshLater(el));
  }, Number(el.dataset.refresh) * 1000);
}
for (const el of document.querySelectorAll<HTMLElement>('[data-refresh-id][data-refresh]')) refreshLater(el);

initCsrf();
initKeys();
initNotes();
initFeedback();
initSearch();
initImport();
initMap();

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
