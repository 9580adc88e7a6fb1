/**
 * Named leases (Store.acquireLease): one holder at a time across processes —
 * here two connections on one database, as two processes have — on both
 * backends.
 */
import { expect, it } from 'vitest';
import { describeEachBackend } from '../helpers/backends.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachBackend('leases', (backend) => {
  it('one holder at a time; the holder renews and releases, others cannot', async () => {
    const a = await backend.open();
    const b = await backend.another(a);
    expect(await a.leases.acquireLease('job', 'A', 60_000)).toEqual({ acquired: true });
    const denied = await b.leases.acquireLease('job', 'B', 60_000);
    expect(denied).toMatchObject({ acquired: false, holder: 'A' });
    if (denied.acquired) throw new Error('unreachable');
    expect(Date.parse(denied.until)).toBeGreaterThan(Date.now() + 50_000);
    // Taking it again is the holder's renewal; other names are independent.
    expect(await a.leases.acquireLease('job', 'A', 60_000)).toEqual({ acquired: true });
    expect(await b.leases.acquireLease('other', 'B', 60_000)).toEqual({ acquired: true });
    expect(await a.leases.renewLease('job', 'A', 60_000)).toBe(true);
    expect(await b.leases.renewLease('job', 'B', 60_000)).toBe(false);
    await b.leases.releaseLease('job', 'B'); // not B's: no effect
    expect(await b.leases.acquireLease('job', 'B', 60_000)).toMatchObject({ acquired: false, holder: 'A' });
    await a.leases.releaseLease('job', 'A');
    expect(await b.leases.acquireLease('job', 'B', 60_000)).toEqual({ acquired: true });
  });

  it('an expired lease goes to the next taker, and its old holder learns it lost it', async () => {
    const a = await backend.open();
    const b = await backend.another(a);
    expect(await a.leases.acquireLease('job', 'A', 150)).toEqual({ acquired: true });
    expect(await b.leases.acquireLease('job', 'B', 60_000)).toMatchObject({ acquired: false });
    await sleep(300);
    expect(await b.leases.acquireLease('job', 'B', 60_000)).toEqual({ acquired: true });
    expect(await a.leases.renewLease('job', 'A', 60_000)).toBe(false);
    await a.leases.releaseLease('job', 'A');
    expect(await a.leases.acquireLease('job', 'A', 60_000)).toMatchObject({ acquired: false, holder: 'B' });
  });

  it('of many takers racing on two connections, exactly one wins', async () => {
    const a = await backend.open();
    const b = await backend.another(a);
    const tries = Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).leases.acquireLease('race', `holder-${i}`, 60_000));
    const results = await Promise.all(tries);
    expect(results.filter((r) => r.acquired)).toHaveLength(1);
    const winner = results.findIndex((r) => r.acquired);
    for (const r of results) if (!r.acquired) expect(r.holder).toBe(`holder-${winner}`);
  });
});
