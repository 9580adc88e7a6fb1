/**
 * Keyboard shortcuts: `/` search, `?` help, `j`/`k` move between papers in a
 * list, `o` or Enter opens the selected one. The feed adds `l`/`s`/`d`
 * (feedback.ts). Keys are ignored while typing in a field.
 */
export function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  return !!t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
}

export function cards(): HTMLElement[] {
  const list = document.querySelector('[data-nav-list]');
  return list ? [...list.querySelectorAll<HTMLElement>(':scope > .card:not([hidden])')] : [];
}

export function currentCard(): HTMLElement | undefined {
  return cards().find((c) => c.classList.contains('current'));
}

export function select(card: HTMLElement | undefined): void {
  for (const c of document.querySelectorAll('.card.current')) c.classList.remove('current');
  if (!card) return;
  card.classList.add('current');
  card.scrollIntoView({ block: 'nearest' });
  card.querySelector<HTMLElement>('a[data-open]')?.focus({ preventScroll: true });
}

export function move(delta: number): void {
  const all = cards();
  if (!all.length) return;
  const i = all.findIndex((c) => c.classList.contains('current'));
  select(all[Math.min(all.length - 1, Math.max(0, i < 0 ? 0 : i + delta))]);
}

export function initKeys(): void {
  const help = document.getElementById('help') as HTMLDialogElement | null;
  for (const b of document.querySelectorAll('[data-open-help]')) b.addEventListener('click', () => help?.showModal());

  // Keep the selection in step with focus (Tab, clicks).
  document.addEventListener('focusin', (e) => {
    const card = (e.target as HTMLElement).closest?.('.card');
    if (card instanceof HTMLElement && !card.classList.contains('current')) {
      for (const c of document.querySelectorAll('.card.current')) c.classList.remove('current');
      card.classList.add('current');
    }
  });

  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e)) {
      if (e.key === 'Escape') (e.target as HTMLElement).blur();
      return;
    }
    if (help?.open) return;
    switch (e.key) {
      case '/': {
        const input = document.querySelector<HTMLInputElement>('[data-search-input]') ?? document.querySelector<HTMLInputElement>('[data-shortcut="/"]');
        if (!input) return;
        e.preventDefault();
        input.focus();
        input.select();
        return;
      }
      case '?':
        e.preventDefault();
        help?.showModal();
        return;
      case 'j':
        e.preventDefault();
        move(1);
        return;
      case 'k':
        e.preventDefault();
        move(-1);
        return;
      case 'o': {
        const a = currentCard()?.querySelector<HTMLAnchorElement>('a[data-open]');
        if (a) {
          e.preventDefault();
          a.click();
        }
        return;
      }
    }
  });
}
