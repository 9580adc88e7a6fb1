/**
 * Import with progress: the upload's progress from XHR, then the server's
 * progress lines (NDJSON) while it imports, then the report. Also a drop zone.
 * Without script the form posts and the server renders the report.
 */
import { csrfHeaders } from './csrf.ts';

const n = (x: number) => x.toLocaleString('en-US');
const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

export function initImport(): void {
  const form = document.querySelector<HTMLFormElement>('form[data-import]');
  if (!form) return;
  const input = form.querySelector<HTMLInputElement>('input[type="file"]')!;
  const bar = form.querySelector<HTMLProgressElement>('[data-import-progress]')!;
  const status = form.querySelector<HTMLElement>('[data-import-status]')!;
  const result = document.querySelector<HTMLElement>('[data-import-result]')!;
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  const zone = form.querySelector<HTMLElement>('[data-dropzone]');

  if (zone) {
    zone.addEventListener('dragover', (e) => {
      e.preventDefault();
      zone.classList.add('over');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('over'));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('over');
      if (e.dataTransfer?.files.length) {
        input.files = e.dataTransfer.files;
        status.textContent = `${e.dataTransfer.files.length} file(s) chosen`;
      }
    });
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = form.querySelector<HTMLTextAreaElement>('textarea[name="text"]');
    if (!input.files?.length && !text?.value.trim()) {
      status.textContent = 'Choose a file or paste some papers.';
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/import?stream=1');
    for (const [k, v] of Object.entries(csrfHeaders())) xhr.setRequestHeader(k, v);
    let seen = 0;
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    result.setAttribute('aria-busy', 'true');
    xhr.upload.onprogress = (ev) => {
      if (!ev.lengthComputable) return;
      bar.value = (ev.loaded / ev.total) * 50;
      status.textContent = `Uploading… ${mb(ev.loaded)} of ${mb(ev.total)}`;
    };
    xhr.upload.onload = () => {
      status.textContent = 'Uploaded; importing…';
    };
    const handle = (msg: Record<string, any>) => {
      if (msg.progress?.records !== undefined) {
        const p = msg.progress;
        const frac = p.totalBytes ? p.bytesRead / p.totalBytes : 0;
        bar.value = 50 + 50 * ((p.fileIndex + frac) / Math.max(1, p.files));
        status.textContent = `Importing ${p.file}: ${n(p.records)} records read, ${n(p.counts.added)} added, ${n(p.counts.updated)} updated so far`;
      } else if (msg.done) {
        bar.value = 100;
        const t = msg.totals;
        status.textContent = `Done: ${n(t.added)} added, ${n(t.updated)} updated, ${n(t.merged)} merged, ${n(t.rejected)} rejected.`;
        result.innerHTML = msg.html; // server-rendered, escaped fragment
        const count = document.querySelector<HTMLElement>('[data-import-count]');
        if (count && typeof msg.papers === 'number') count.textContent = `${n(msg.papers)} ${msg.papers === 1 ? 'paper' : 'papers'} in the database.`;
      } else if (msg.error) {
        status.textContent = `Import failed: ${msg.error}`;
      }
    };
    const drain = () => {
      const text = xhr.responseText;
      let nl: number;
      while ((nl = text.indexOf('\n', seen)) >= 0) {
        const line = text.slice(seen, nl);
        seen = nl + 1;
        if (line.trim()) {
          try {
            handle(JSON.parse(line));
          } catch {
            /* a partial line: wait for more */
          }
        }
      }
    };
    xhr.onprogress = drain;
    xhr.onload = () => {
      if (xhr.status >= 400) {
        let msg = `the server answered ${xhr.status}`;
        try {
          msg = JSON.parse(xhr.responseText).error.message;
        } catch {
          /* not JSON */
        }
        status.textContent = `Import failed: ${msg}`;
      } else drain();
      button.disabled = false;
      result.removeAttribute('aria-busy');
      form.reset();
    };
    xhr.onerror = () => {
      status.textContent = 'Import failed: the connection to the server was lost.';
      button.disabled = false;
      result.removeAttribute('aria-busy');
    };
    xhr.send(new FormData(form));
  });
}
