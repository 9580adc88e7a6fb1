/**
 * The session's CSRF token (a meta tag the server writes when someone is
 * signed in): sent as `x-csrf-token` with the script's own requests, and added
 * to forms that arrive in fragments (live search) before they post.
 */
export function csrfToken(): string | undefined {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content || undefined;
}

export function csrfHeaders(): Record<string, string> {
  const t = csrfToken();
  return t ? { 'x-csrf-token': t } : {};
}

export function initCsrf(): void {
  const token = csrfToken();
  if (!token) return;
  document.addEventListener(
    'submit',
    (e) => {
      const form = e.target;
      if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'post' || form.elements.namedItem('_csrf')) return;
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = '_csrf';
      input.value = token;
      form.append(input);
    },
    true,
  );
}
