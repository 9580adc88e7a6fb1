/** A short message at the bottom of the screen, with an optional action (Undo). */
import { csrfHeaders } from './csrf.ts';

let current: HTMLElement | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;

export function toast(message: string, action?: { label: string; run: () => void }, ms = 4000): void {
  current?.remove();
  if (timer) clearTimeout(timer);
  const el = document.createElement('div');
  el.className = 'toast';
  el.setAttribute('role', 'status');
  const text = document.createElement('span');
  text.textContent = message;
  el.append(text);
  if (action) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = action.label;
    b.addEventListener('click', () => {
      el.remove();
      action.run();
    });
    el.append(b);
  }
  document.body.append(el);
  current = el;
  timer = setTimeout(() => el.remove(), ms);
}

/** JSON request to the app's own API; throws with the server's message on failure. */
export async function api(method: string, url: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...csrfHeaders() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error((data as { error?: { message?: string } }).error?.message ?? `request failed (${res.status})`);
  return data;
}
