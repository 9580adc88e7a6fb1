/**
 * Background TL;DR generation: callers hand over the papers they are showing
 * (`request`, which returns at once) and read whatever is cached; one paper at
 * a time is summarised and stored. A paper with a TL;DR is never asked again;
 * one whose last attempt failed waits `retryAfterMs` before the next.
 */
import { askTldr, type ChatOptions } from './chat.ts';
import type { Store } from '../../store/types.ts';

export interface TldrQueueOptions extends ChatOptions {
  retryAfterMs: number;
  now?: () => Date;
  log?: (line: string) => void;
  /** Papers waiting at most; beyond, new requests are dropped (asked again when shown again). */
  maxPending?: number;
}

export class TldrQueue {
  private readonly pending = new Set<number>();
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly opts: TldrQueueOptions,
  ) {}

  get model(): string {
    return this.opts.model;
  }

  /** Queues papers for a TL;DR; returns at once. */
  request(pks: number[]): void {
    if (this.closed) return;
    const max = this.opts.maxPending ?? 1000;
    for (const pk of pks) if (this.pending.size < max) this.pending.add(pk);
    if (this.pending.size && !this.running) {
      this.running = this.drain().finally(() => {
        this.running = undefined;
        if (this.pending.size && !this.closed) this.request([]);
      });
    }
  }

  /** Resolves when nothing is queued or being summarised. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pending.clear();
    await this.idle();
  }

  private async drain(): Promise<void> {
    const now = () => this.opts.now?.() ?? new Date();
    while (this.pending.size && !this.closed) {
      const pk = this.pending.values().next().value as number;
      this.pending.delete(pk);
      try {
        const have = (await this.store.tldrs.getTldrs([pk])).get(pk);
        if (have?.text) continue;
        if (have?.error && now().getTime() - Date.parse(have.updatedAt) < this.opts.retryAfterMs) continue;
        const [paper] = await this.store.papers.getPapersByPk([pk]);
        if (!paper || !paper.abstract) continue;
        try {
          const text = await askTldr(this.opts, paper);
          await this.store.tldrs.putTldr(pk, { model: this.opts.model, text }, now().toISOString());
        } catch (err) {
          await this.store.tldrs.putTldr(pk, { model: this.opts.model, error: (err as Error).message }, now().toISOString());
          this.opts.log?.(`tldr: ${paper.id}: ${(err as Error).message}`);
        }
      } catch (err) {
        // The store itself failed (closed, unreachable): stop; the next request starts again.
        this.opts.log?.(`tldr: ${(err as Error).message}`);
        return;
      }
    }
  }
}
