/** The private note saves itself as you type (and on leaving the field); the form still works without script. */
import { api } from './toast.ts';

export function initNotes(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-note]')) {
    const id = form.dataset.note!;
    const area = form.querySelector('textarea')!;
    const status = form.querySelector<HTMLElement>('[data-note-status]');
    let timer: ReturnType<typeof setTimeout> | undefined;
    let saved = area.value;
    const save = async () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      const text = area.value;
      if (text === saved) return;
      if (status) status.textContent = 'Saving…';
      try {
        await api('PUT', `/api/papers/${encodeURIComponent(id)}/note`, { text });
        saved = text;
        if (status) status.textContent = text.trim() ? 'Saved' : 'Note removed';
      } catch (err) {
        if (status) status.textContent = `Not saved: ${(err as Error).message}`;
      }
    };
    area.addEventListener('input', () => {
      if (timer) clearTimeout(timer);
      if (status) status.textContent = 'Editing…';
      timer = setTimeout(save, 700);
    });
    area.addEventListener('blur', () => void save());
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void save();
    });
  }
}
