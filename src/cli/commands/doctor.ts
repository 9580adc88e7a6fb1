/**
 * `radar doctor`: checks the database and its indexes, repairs what can be
 * rebuilt from the papers (full-text indexes, vectors a cut-short refresh
 * left behind), and says what it found and did. Exit status 1 when something
 * is still wrong afterwards; `--check-only` repairs nothing.
 */
import type { DatabaseCheck } from '../../store/types.ts';
import { describeProgress } from '../../vectors/hook.ts';
import { indexHealth, type IndexHealth } from '../../vectors/health.ts';
import { refreshIndexes } from '../../vectors/refresh.ts';
import { refreshOptionsFor, resolveEmbedder } from '../../vectors/select.ts';
import { CliError } from '../context.ts';
import type { Register } from '../commands.ts';

interface Finding {
  name: string;
  ok: boolean;
  detail: string;
  repaired?: string;
}

function indexFindings(h: IndexHealth): Finding[] {
  return h.checks.map((c) => ({ name: `${c.index} index`, ok: c.ok, detail: c.detail }));
}

export const registerDoctor: Register = (program, ctx) => {
  program
    .command('doctor')
    .description('check the database and its indexes, repair what can be rebuilt, and say what was done')
    .option('--check-only', 'report only; repair nothing')
    .option('--embedder <spec>', 'dense model for rebuilding vectors (default: env RADAR_EMBEDDER, else the model the indexes hold)')
    .action(async (o: { checkOnly?: boolean; embedder?: string }) => {
      const c = ctx();
      const repair = !o.checkOnly;
      let setting;
      try {
        setting = resolveEmbedder(o.embedder);
      } catch (err) {
        throw new CliError((err as Error).message, 2);
      }
      const out = await c.withStore(async (store) => {
        const findings: Finding[] = (await store.checkDatabase({ repair })).map((d: DatabaseCheck) => ({ ...d }));
        const before = await indexHealth(store);
        let indexes = indexFindings(before);
        if (before.due && repair) {
          c.say('indexes are behind the papers: refreshing them…');
          let last = 0;
          const report = await refreshIndexes(store, {
            ...refreshOptionsFor(setting),
            onBusy: 'wait',
            progress: (p) => {
              const now = Date.now();
              if (p.message || now - last > 1000) {
                last = now;
                c.say(`  ${describeProgress(p)}`);
              }
            },
          });
          const after = await indexHealth(store);
          const did = `refreshed: ${report.sparse.updated.toLocaleString('en')} papers counted, ${report.dense.updated.toLocaleString('en')} embedded${report.dense.refit ? ' (model fitted)' : ''}`;
          indexes = after.checks.map((a, i) => {
            const was = before.checks.find((b) => b.index === a.index && !b.ok) ?? before.checks[i];
            if (!was || was.ok) return { name: `${a.index} index`, ok: a.ok, detail: a.detail };
            return { name: `${a.index} index`, ok: a.ok, detail: a.ok ? was.detail : `${a.detail}${report.dense.skipped ? `; ${report.dense.skipped}` : ''}`, repaired: did };
          });
        }
        return { papers: before.papers, findings: [...findings, ...indexes] };
      });
      const ok = out.findings.every((f) => f.ok);
      if (c.json) c.emitJson({ ok, papers: out.papers, checks: out.findings });
      else {
        for (const f of out.findings) {
          const mark = f.ok ? (f.repaired ? 'fixed' : 'ok') : 'PROBLEM';
          c.say(`${mark.padEnd(8)} ${f.name}: ${f.detail}${f.repaired ? ` — ${f.repaired}` : ''}`);
        }
        c.say(ok ? `all well (${out.papers.toLocaleString('en')} papers)` : o.checkOnly ? 'problems found; run `radar doctor` without --check-only to repair them' : 'problems remain (see above)');
      }
      if (!ok) throw new CliError(o.checkOnly ? 'problems found' : 'problems remain after repair', 1);
    });
};
