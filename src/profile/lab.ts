/**
 * "Popular in your lab" on a shared instance: what the members liked and
 * saved over the last days (ranked by src/rank/lab.ts), for the daily page,
 * the digests and the feed signal. With fewer than two accounts there is no
 * lab: the list is empty and the signal adds nothing.
 */
import { LAB_WINDOW_DAYS, labBoosts, rankLabPapers, type LabBoost, type LabMember, type LabPaper } from '../rank/lab.ts';
import type { Store, User } from '../store/types.ts';

const DAY_MS = 86_400_000;

export interface LabOptions {
  /** Days of likes and saves counted, up to `now` (default 14). */
  days?: number;
  /** Papers listed, at most (default 10). */
  limit?: number;
}

/** The accounts of a shared instance, or none when there is no lab (fewer than two). */
async function labMembers(store: Pick<Store, 'accounts'>): Promise<(User & LabMember)[]> {
  const users = await store.accounts.listUsers();
  return users.length >= 2 ? users : [];
}

async function activity(store: Pick<Store, 'accounts'>, now: Date, days: number) {
  return store.accounts.labActivity({ since: new Date(now.getTime() - days * DAY_MS).toISOString() });
}

/** The papers most liked and saved by the lab's members over the window, most members first. */
export async function popularInLab(store: Pick<Store, 'accounts'>, now: Date, opts: LabOptions = {}): Promise<LabPaper[]> {
  const members = await labMembers(store);
  if (!members.length) return [];
  return rankLabPapers(await activity(store, now, opts.days ?? LAB_WINDOW_DAYS), members, opts.limit ?? 10);
}

/**
 * The feed signal for the account a store view acts for (its `owner`; the
 * local admin when undefined): the boost and reason per paper other members
 * liked or saved lately. Empty on a single-user instance.
 */
export async function labSignal(store: Pick<Store, 'accounts' | 'owner'>, now: Date, days = LAB_WINDOW_DAYS): Promise<Map<number, LabBoost>> {
  const members = await labMembers(store);
  if (!members.length) return new Map();
  const reader = store.owner ?? Math.min(...members.filter((m) => m.role === 'admin').map((m) => m.userId));
  return labBoosts(await activity(store, now, days), members, reader, days);
}
