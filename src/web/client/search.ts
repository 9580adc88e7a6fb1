/**
 * Search as you type: the form's fields become the URL (so a search can be
 * bookmarked and shared), and the results are fetched as a server-rendered
 * fragment a moment after the last keystroke. Older answers never overwrite
 * newer ones. Without script, the form submits as a plain GET.
 */
import { adoptMathStyles } from './math.ts';

const DEBOUNCE_MS = 220;

export function initSearch(): void {
  const form = document.querySelector<HTMLFormElement>('form[data-live-search]');
  const results = document.querySelector<HTMLElement>('[data-results]');
  if (!form || !results) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inflight: AbortController | undefined;
  let last = location.search;

  const params = () => {
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (typeof v === 'string' && v.trim() && !(k === 'sort' && v === 'relevance')) p.set(k, v);
    return p;
  };

  const run = async () => {
    const p = params();
    const search = p.toString() ? `?${p}` : '';
    if (search === last) return;
    last = search;
    history.replaceState(null, '', `/search${search}`);
    const q = p.get('q');
    document.title = `${q ? `${q} · ` : ''}Search · Paper Radar`;
    inflight?.abort();
    const ctl = new AbortController();
    inflight = ctl;
    results.setAttribute('aria-busy', 'true');
    try {
      p.set('partial', '1');
      const res = await fetch(`/search?${p}`, { signal: ctl.signal, headers: { accept: 'text/html' } });
      const html = await res.text();
      if (ctl.signal.aborted) return;
      results.innerHTML = html; // server-rendered, escaped fragment
      adoptMathStyles(results);
    } catch (err) {
      if ((err as Error).name !== 'AbortError') results.textContent = 'Search failed: the server could not be reached.';
    } finally {
      if (inflight === ctl) results.removeAttribute('aria-busy');
    }
  };

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (timer) clearTimeout(timer);
    void run();
  });
}
