/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** "Popular in your lab": the papers members of a shared instance liked and saved lately (nothing on a single-user one). */
import type { LabView } from '../../app/lab.ts';
import { labLine } from '../../rank/lab.ts';
import { MathText } from '../math.tsx';
import { paperHref } from '../components.tsx';

export function LabBlock({ lab }: { lab?: LabView }) {
  if (!lab?.entries.length) return null;
  return (
    <section class="panel lab-block" aria-labelledby="lab-title">
      <h2 id="lab-title">Popular in your lab</h2>
      <p class="small muted">Liked and saved by members over the last {lab.days} days. Members are named only when they choose to be (Account page).</p>
      <ol class="plain">
        {lab.entries.map((e) => (
          <li class="row" data-id={e.paper.id}>
            <a class="grow" href={paperHref(e.paper.id)}>
              <MathText text={e.paper.title || '(title not known yet)'} />
            </a>
            <span class="badge" title={`${e.members} ${e.members === 1 ? 'member' : 'members'}`}>
              {labLine(e)}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
