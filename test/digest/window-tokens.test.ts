import { describe, expect, it } from 'vitest';
import { digestWindow, isDigestDay, localDay, MAX_WINDOW_DAYS, nextWindow } from '../../src/digest/window.ts';
import { addDays } from '../../src/paper/days.ts';
import { feedToken, signLink, verifyFeedToken, verifyLink } from '../../src/digest/tokens.ts';

const cal = { digestDays: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, holidays: [] as string[] };
const daily = { frequency: 'daily' as const, weekday: 'mon' as const };
const weekly = { frequency: 'weekly' as const, weekday: 'mon' as const };

describe('digest windows', () => {
  it('reads the day in the configured zone', () => {
    // 02:00 UTC on Tuesday is still Monday evening in New York.
    expect(localDay(new Date('2025-03-04T02:00:00Z'), 'America/New_York')).toBe('2025-03-03');
    expect(localDay(new Date('2025-03-04T02:00:00Z'), 'Europe/Berlin')).toBe('2025-03-04');
  });

  it("covers Friday through Sunday on Monday and the previous day otherwise", () => {
    const c = { ...cal, digestDays: [...cal.digestDays] };
    expect(digestWindow('2025-03-03', daily, c)).toEqual({ from: '2025-02-28', to: '2025-03-02' }); // Monday
    expect(digestWindow('2025-03-04', daily, c)).toEqual({ from: '2025-03-03', to: '2025-03-03' }); // Tuesday
    expect(digestWindow('2025-03-07', daily, c)).toEqual({ from: '2025-03-06', to: '2025-03-06' }); // Friday
    expect(digestWindow('2025-03-08', daily, c)).toBeUndefined(); // Saturday: no digest
    expect(digestWindow('2025-03-08', daily, c, true)).toEqual({ from: '2025-03-07', to: '2025-03-07' });
  });

  it('lets the next digest cover a holiday, and windows tile the calendar without gaps or overlaps', () => {
    const c = { digestDays: [...cal.digestDays], holidays: ['2025-12-25', '2025-12-26'] };
    expect(isDigestDay('2025-12-25', daily, c)).toBe(false);
    expect(digestWindow('2025-12-29', daily, c)).toEqual({ from: '2025-12-24', to: '2025-12-28' }); // Monday after Christmas
    let covered: string[] = [];
    for (let d = new Date('2025-12-01T00:00:00Z'); d < new Date('2026-01-31T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 1)) {
      const w = digestWindow(d.toISOString().slice(0, 10), daily, c);
      if (!w) continue;
      for (let x = new Date(`${w.from}T00:00:00Z`); x <= new Date(`${w.to}T00:00:00Z`); x.setUTCDate(x.getUTCDate() + 1)) {
        covered.push(x.toISOString().slice(0, 10));
      }
    }
    covered = covered.filter((x) => x >= '2025-12-05' && x <= '2026-01-25');
    expect(new Set(covered).size).toBe(covered.length);
    expect(covered.length).toBe(52);
  });

  it('sends weekly digests on the chosen weekday, or the day after when that is a holiday', () => {
    const c = { digestDays: [...cal.digestDays], holidays: ['2025-05-26'] };
    expect(digestWindow('2025-05-19', weekly, c)).toEqual({ from: '2025-05-12', to: '2025-05-18' });
    expect(digestWindow('2025-05-26', weekly, c)).toBeUndefined();
    expect(digestWindow('2025-05-27', weekly, c)).toEqual({ from: '2025-05-19', to: '2025-05-26' });
    expect(digestWindow('2025-06-02', weekly, c)).toEqual({ from: '2025-05-27', to: '2025-06-01' });
  });
});

describe('windows after missed digests', () => {
  const c = { digestDays: [...cal.digestDays], holidays: [] as string[] };
  const days = (w: { from: string; to: string }) => {
    const out: string[] = [];
    for (let d = w.from; d <= w.to; d = addDays(d, 1)) out.push(d);
    return out;
  };

  it("starts after the last digest that went out: Monday's and Tuesday's missed, Wednesday's covers Friday to Tuesday", () => {
    // Thursday 2025-02-27's digest (covering Wednesday) was the last one sent.
    expect(nextWindow('2025-03-05', daily, c, '2025-02-26')).toEqual({ kind: 'due', window: { from: '2025-02-27', to: '2025-03-04' } });
    // On schedule it is the calendar's window; with no digest yet, too.
    expect(nextWindow('2025-03-05', daily, c, '2025-03-03')).toEqual({ kind: 'due', window: { from: '2025-03-04', to: '2025-03-04' } });
    expect(nextWindow('2025-03-05', daily, c, undefined)).toEqual({ kind: 'due', window: { from: '2025-03-04', to: '2025-03-04' } });
    // A retry of Monday's job after Wednesday's went out: nothing left to send.
    expect(nextWindow('2025-03-03', daily, c, '2025-03-04')).toEqual({ kind: 'covered' });
    expect(nextWindow('2025-03-05', daily, c, '2025-03-04')).toEqual({ kind: 'covered' });
    expect(nextWindow('2025-03-08', daily, c, '2025-02-26')).toBeUndefined(); // Saturday: no digest
  });

  it(`reaches back at most ${MAX_WINDOW_DAYS} days, but never cuts the calendar's own window`, () => {
    expect(nextWindow('2025-03-05', daily, c, '2025-01-01')).toEqual({ kind: 'due', window: { from: addDays('2025-03-04', -(MAX_WINDOW_DAYS - 1)), to: '2025-03-04' } });
    const monthly = { digestDays: ['mon' as const], holidays: ['2025-03-10', '2025-03-17', '2025-03-24'] };
    expect(nextWindow('2025-03-31', daily, monthly, '2025-03-02')).toEqual({ kind: 'due', window: { from: '2025-03-03', to: '2025-03-30' } });
  });

  it('puts every listing day into exactly one digest however many digests are missed', () => {
    // Sixty days of digest days where a seeded third of the sends fail; a failed send takes no days.
    let seed = 7;
    const rand = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    let lastTo: string | undefined = '2025-02-28';
    const covered: string[] = [];
    for (let d = '2025-03-01'; d <= '2025-04-30'; d = addDays(d, 1)) {
      const next = nextWindow(d, daily, c, lastTo);
      if (!next || next.kind === 'covered' || rand() < 0.33) continue;
      covered.push(...days(next.window));
      lastTo = next.window.to;
    }
    expect(new Set(covered).size).toBe(covered.length);
    expect(covered).toEqual(days({ from: '2025-03-01', to: lastTo! }));
  });
});

describe('signed link tokens', () => {
  const secret = 'test-secret-that-is-long-enough';
  const now = new Date('2025-03-03T12:00:00Z');

  it('round-trips claims and refuses tampering, other secrets and expiry', () => {
    const t = signLink(secret, { p: 'ada', a: 'like', id: 'arxiv:2510.05069' }, now);
    const ok = verifyLink(secret, t, now);
    expect(ok).toMatchObject({ ok: true, claims: { p: 'ada', a: 'like', id: 'arxiv:2510.05069' } });
    const [body, sig] = t.split('.');
    const forged = Buffer.from(JSON.stringify({ p: 'ada', a: 'dismiss', id: 'arxiv:2510.05069', exp: 9e9 })).toString('base64url');
    expect(verifyLink(secret, `${forged}.${sig}`, now)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyLink('another-secret-of-enough-length', t, now)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyLink(secret, `${body}.${sig.slice(0, -2)}xx`, now)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyLink(secret, 'garbage', now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyLink(secret, t, new Date('2025-04-03T12:00:01Z'))).toEqual({ ok: false, reason: 'expired' });
    const unsub = signLink(secret, { p: 'ada', a: 'unsubscribe', c: 'email' }, now);
    expect(verifyLink(secret, unsub, new Date('2025-12-01T00:00:00Z')).ok).toBe(true);
  });

  it('refuses another spelling of the right signature: the unused bits of its last character, padding, a body re-encoded', () => {
    const t = signLink(secret, { p: 'ada', a: 'like', id: 'arxiv:2510.05069' }, now);
    const [body, sig] = t.split('.');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 32 bytes are 43 characters whose last carries 4 bits of the signature and 2 unused ones:
    // three other last characters decode to the very same bytes.
    const same = [...alphabet].filter((c) => c !== sig.at(-1) && Buffer.from(sig.slice(0, -1) + c, 'base64url').equals(Buffer.from(sig, 'base64url')));
    expect(same).toHaveLength(3);
    for (const c of same) expect(verifyLink(secret, `${body}.${sig.slice(0, -1)}${c}`, now)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyLink(secret, `${body}.${sig}=`, now)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyLink(secret, `${body}.${Buffer.from(sig, 'base64url').toString('base64')}`, now).ok).toBe(sig === Buffer.from(sig, 'base64url').toString('base64'));
    expect(verifyLink(secret, t, now).ok).toBe(true);
  });

  it('gives each profile a stable feed token only the secret can produce', () => {
    const t = feedToken(secret, 'ada');
    expect(t).toBe(feedToken(secret, 'ada'));
    expect(t).not.toBe(feedToken(secret, 'bob'));
    expect(verifyFeedToken(secret, 'ada', t)).toBe(true);
    expect(verifyFeedToken(secret, 'bob', t)).toBe(false);
    expect(verifyFeedToken(secret, 'ada', `${t}x`)).toBe(false);
  });
});
