/**
 * At most one request start per interval per host. Callers queue in order:
 * each `acquire` waits for the previous caller's slot, then for the interval
 * since that slot, so concurrent fetchers sharing one limiter never burst.
 */
export class HostRateLimiter {
  private readonly next = new Map<string, Promise<void>>();
  private readonly lastStart = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  acquire(host: string): Promise<void> {
    const previous = this.next.get(host) ?? Promise.resolve();
    const mine = previous.then(async () => {
      const last = this.lastStart.get(host);
      if (last !== undefined) {
        const wait = last + this.intervalMs - this.now();
        if (wait > 0) await this.sleep(wait);
      }
      this.lastStart.set(host, this.now());
    });
    this.next.set(host, mine);
    return mine;
  }
}
