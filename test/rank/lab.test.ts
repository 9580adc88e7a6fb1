import { describe, expect, it } from 'vitest';
import { LAB_BOOST_MAX, LAB_BOOST_PER_MEMBER, labBoosts, labLine, rankLabPapers, type LabActivity, type LabMember } from '../../src/rank/lab.ts';

const members: LabMember[] = [
  { userId: 1, name: 'ada', showInLab: false },
  { userId: 2, name: 'grace', showInLab: true },
  { userId: 3, name: 'alan', showInLab: true },
  { userId: 4, name: 'edsger', showInLab: false },
];
const act = (pk: number, userId: number, action: 'like' | 'save', day = 1): LabActivity => ({ pk, userId, action, at: `2026-03-${String(day).padStart(2, '0')}T10:00:00.000Z` });

describe('rankLabPapers', () => {
  it('ranks by members, counts each member once per action, and names only those who chose to be shown', () => {
    const ranked = rankLabPapers(
      [act(10, 1, 'like'), act(10, 2, 'like'), act(10, 2, 'save'), act(10, 4, 'save'), act(20, 3, 'like', 5), act(20, 3, 'save', 5), act(30, 1, 'like', 9)],
      members,
    );
    expect(ranked.map((p) => p.pk)).toEqual([10, 20, 30]);
    expect(ranked[0]).toMatchObject({ pk: 10, likes: 2, saves: 2, members: 3, names: ['grace'] });
    // Same member count: more likes and saves together first; then the latest.
    expect(ranked[1]).toMatchObject({ pk: 20, likes: 1, saves: 1, members: 1, names: ['alan'] });
    expect(ranked[2]).toMatchObject({ pk: 30, likes: 1, saves: 0, members: 1, names: [] });
  });

  it('breaks ties by the latest activity, then pk, and ignores accounts that are gone', () => {
    const ranked = rankLabPapers([act(5, 1, 'like', 2), act(6, 2, 'like', 3), act(4, 3, 'like', 3), act(7, 99, 'like', 9)], members);
    expect(ranked.map((p) => p.pk)).toEqual([4, 6, 5]);
    expect(rankLabPapers([act(1, 1, 'like')], members, 0)).toEqual([]);
  });

  it('words an entry with counts, and names only when there are some', () => {
    expect(labLine({ likes: 2, saves: 1, names: [] })).toBe('2 likes, 1 save');
    expect(labLine({ likes: 0, saves: 3, names: ['alan', 'grace'] })).toBe('3 saves · alan, grace');
  });
});

describe('labBoosts', () => {
  it('boosts by the other members, capped, and says why', () => {
    const activity = [act(10, 1, 'like'), act(10, 2, 'like'), act(10, 3, 'save'), act(10, 4, 'like'), act(20, 1, 'like'), act(20, 2, 'save')];
    const b = labBoosts(activity, members, 1, 14);
    // Paper 10: three others (grace, alan, edsger) → capped; paper 20: one other (grace).
    expect(b.get(10)!.boost).toBe(LAB_BOOST_MAX);
    expect(b.get(20)!.boost).toBe(LAB_BOOST_PER_MEMBER);
    expect(b.get(20)!.reason).toEqual({ kind: 'lab', members: 1, text: 'liked or saved by 1 member of your lab in the last 14 days' });
    expect(b.get(10)!.reason.text).toBe('liked or saved by 3 members of your lab in the last 14 days');
  });

  it('is empty when only the reader did anything (a single-user instance ranks as without it)', () => {
    expect(labBoosts([act(10, 1, 'like'), act(11, 1, 'save')], members, 1).size).toBe(0);
    expect(labBoosts([act(10, 1, 'like')], [members[0]], 1).size).toBe(0);
    expect(labBoosts([], members, undefined).size).toBe(0);
  });
});
