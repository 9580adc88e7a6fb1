/**
 * Like / save / dismiss that act at once: the page changes before the server
 * answers (optimistic), and goes back with a message if the server says no.
 * Keyboard: l, s, d on the selected card. Works on feed cards and on the
 * paper page's buttons; without script the buttons are plain form posts.
 */
import { cards, currentCard, select, typing } from './keys.ts';
import { api, toast } from './toast.ts';

type Action = 'like' | 'save' | 'dismiss';

function send(profile: string, id: string, action: Action, undo = false): Promise<unknown> {
  // The same endpoint the no-script form posts to; asking for JSON gets JSON instead of a redirect.
  return api('POST', `/paper/${encodeURIComponent(id)}/feedback`, { profile, action, ...(undo ? { undo: true } : {}) });
}

async function act(container: HTMLElement, action: Action): Promise<void> {
  const profile = container.dataset.profile ?? container.closest<HTMLElement>('[data-profile]')?.dataset.profile;
  const id = container.dataset.id;
  if (!profile || !id) return;
  const button = container.querySelector<HTMLButtonElement>(`button[data-action="${action}"]`);
  const card = container.closest<HTMLElement>('.card');
  const wasPressed = button?.getAttribute('aria-pressed') === 'true';
  const undo = wasPressed && action !== 'dismiss';

  if (action === 'dismiss' && card) {
    // Hide at once; move the selection to the next card.
    const all = cards();
    const next = all[all.indexOf(card) + 1] ?? all[all.indexOf(card) - 1];
    card.classList.add('leaving');
    card.hidden = true;
    if (next) select(next);
    try {
      await send(profile, id, 'dismiss');
      toast('Dismissed. It will not be shown again.', {
        label: 'Undo',
        run: () => {
          card.hidden = false;
          card.classList.remove('leaving');
          select(card);
          void send(profile, id, 'dismiss', true).catch((err) => toast(`Could not undo: ${(err as Error).message}`));
        },
      });
    } catch (err) {
      card.hidden = false;
      card.classList.remove('leaving');
      toast(`Not dismissed: ${(err as Error).message}`);
    }
    return;
  }
  button?.setAttribute('aria-pressed', undo ? 'false' : 'true');
  try {
    await send(profile, id, action, undo);
    if (action !== 'dismiss') toast(undo ? `Removed your ${action}.` : action === 'like' ? 'Liked: the next ranking learns from it.' : 'Saved to your “Saved” collection.');
    else toast('Dismissed. It will not be shown again.');
  } catch (err) {
    button?.setAttribute('aria-pressed', wasPressed ? 'true' : 'false');
    toast(`Not recorded: ${(err as Error).message}`);
  }
}

export function initFeedback(): void {
  const containers = document.querySelectorAll<HTMLElement>('[data-feedback-buttons]');
  if (!containers.length) return;
  for (const c of containers) {
    c.addEventListener('submit', (e) => {
      const form = e.target as HTMLFormElement;
      const action = (form.querySelector('button[data-action]') as HTMLButtonElement | null)?.dataset.action as Action | undefined;
      if (!action) return;
      e.preventDefault();
      void act(c, action);
    });
  }
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
    const action = ({ l: 'like', s: 'save', d: 'dismiss' } as Record<string, Action>)[e.key];
    if (!action) return;
    const card = currentCard() ?? (cards().length ? undefined : document.body);
    const c = card?.querySelector<HTMLElement>('[data-feedback-buttons]');
    if (!c) return;
    e.preventDefault();
    void act(c, action);
  });
}
