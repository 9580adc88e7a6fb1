/**
 * The feed computed the plain way, paper by paper, as buildFeed did before it
 * scored windows in bulk: every candidate's features loaded as objects,
 * `model.score` with its full detail for each, every paper above the cut-off
 * read, MMR over the head with a merge cosine, nothing cached. The fast path
 * (src/profile/feed.ts) must give the same feed; tests compare the two.
 */
import { explain } from '../../src/rank/explain.ts';
import { mmr } from '../../src/rank/diversify.ts';
import { rowCosine } from '../../src/rank/recommend.ts';
import { DEFAULT_CUTOFF, DUPLICATE_SIMILARITY, type FeedItem, type FeedOptions } from '../../src/profile/feed.ts';
import { trainProfile, type ProfileDeps } from '../../src/profile/model.ts';
import { applyRules, FOLLOW_BOOST } from '../../src/profile/rules.ts';

export async function plainFeed(deps: ProfileDeps, name: string, opts: FeedOptions & { from: string; to: string; now: Date }) {
  const profile = (await deps.store.profiles.getProfile(name))!;
  const rules = profile.settings.rules ?? {};
  const cutoff = opts.cutoff ?? rules.cutoff ?? DEFAULT_CUTOFF;
  const limit = opts.limit ?? 20;
  const trained = await trainProfile({ store: deps.store, features: deps.features }, profile, opts.now, opts.model);
  const candidates = await deps.store.papers.windowPks(opts.from, opts.to);
  if (opts.includeUndated) {
    const addedTo = new Date(Date.parse(`${opts.to}T00:00:00Z`) + 86_400_000).toISOString();
    candidates.push(...(await deps.store.profiles.undatedPapers({ addedFrom: `${opts.from}T00:00:00.000Z`, addedTo, limit: 10_000 })).map((p) => p.pk));
  }
  const stats = { candidates: candidates.length, hidden: 0, excludedByRules: 0, belowCutoff: 0, unrepresented: 0, aboveCutoff: 0, cut: 0 };
  const visible = candidates.filter((pk) => !trained.hidden.has(pk));
  stats.hidden = candidates.length - visible.length;
  const feats = await deps.features.features(visible);
  const papers = new Map((await deps.store.papers.getPapersByPk(visible)).map((p) => [p.pk, p]));
  const hiddenRows = trained.hiddenFeatures.map((f) => trained.model.row(f));
  const maxBoost = FOLLOW_BOOST * ((rules.authors?.length ?? 0) + (rules.organizations?.length ?? 0));
  const scored = [];
  for (const pk of visible) {
    const f = feats.get(pk);
    const paper = papers.get(pk);
    if (!f || !paper) {
      stats.unrepresented++;
      continue;
    }
    const detail = trained.model.score(f);
    if (detail.score + maxBoost < cutoff) {
      stats.belowCutoff++;
      continue;
    }
    const rule = applyRules(paper, rules);
    if (rule.excluded) {
      stats.excludedByRules++;
      continue;
    }
    const score = detail.score + rule.boost;
    if (score < cutoff) {
      stats.belowCutoff++;
      continue;
    }
    const row = trained.model.row(f);
    if (hiddenRows.some((h) => rowCosine(h, row) >= DUPLICATE_SIMILARITY)) {
      stats.hidden++;
      continue;
    }
    scored.push({ paper, f, row, detail, score, ruleReasons: rule.reasons });
  }
  scored.sort((a, b) => b.score - a.score || a.paper.pk - b.paper.pk);
  const picked = mmr(
    scored.map((s) => ({ item: s, score: s.score })),
    limit,
    (a, b) => rowCosine(a.row, b.row),
    { lambda: opts.diversity ?? 0.75 },
  );
  const items: Pick<FeedItem, 'id' | 'score' | 'reasons'>[] = picked.map(({ item: s }) => {
    const nearestKey = s.detail.nearest[0]?.key;
    const reasons = explain(
      {
        model: trained.model,
        features: s.f,
        detail: s.detail,
        positives: trained.positives,
        term: deps.features.term,
        text: `${s.paper.title}. ${s.paper.abstract}`,
        ruleReasons: s.ruleReasons,
      },
      typeof nearestKey === 'number' ? trained.positiveFeatures.get(nearestKey) : undefined,
    );
    return { id: s.paper.id, score: Math.round(s.score * 1000) / 1000, reasons };
  });
  stats.aboveCutoff = scored.length;
  stats.cut = scored.length - items.length;
  return { items, stats };
}
