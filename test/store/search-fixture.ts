/**
 * Papers the search tests know by heart: each one is there to make one
 * ranking or filter expectation fail if the feature breaks.
 */
import type { PaperRecord } from '../../src/paper/types.ts';

const src = (n: string): PaperRecord['source'] => ({ kind: 'manual', locator: `search-fixture:${n}`, seenAt: '2025-01-01T00:00:00Z' });

export const SEARCH_FIXTURE: PaperRecord[] = [
  {
    arxivId: '2401.00001',
    title: 'Neural Collapse under Weight Decay',
    abstract: 'We study the geometry of last-layer features at the end of training and prove that features collapse to class means.',
    authors: ['Ada Lovelace', 'Geoffrey E. Hinton'],
    categories: ['cs.LG', 'stat.ML'],
    announced: '2024-03-15',
    signals: { upvotes: 12, organization: 'Analytical Engines' },
    source: src('title-match'),
  },
  {
    arxivId: '2401.00002',
    title: 'Representation Geometry of Classifiers',
    abstract: 'A study of neural collapse in deep classifiers: the collapsed class means form a simplex, and neural collapse predicts transfer.',
    authors: ['Alan Turing'],
    categories: ['cs.LG'],
    announced: '2024-06-01',
    signals: { upvotes: 40 },
    source: src('abstract-only'),
  },
  {
    arxivId: '2401.00003',
    title: 'Posterior Collapse in Variational Autoencoders',
    abstract: 'The posterior collapse of VAEs; the neural decoder ignores the latent code.',
    authors: ['Grace Hopper'],
    categories: ['cs.LG', 'stat.ML'],
    announced: '2023-11-20',
    source: src('both-words-not-phrase'),
  },
  {
    arxivId: '2401.00004',
    title: 'Grokking Modular Arithmetic',
    abstract: 'Delayed generalization, known as grokking, appears long after training loss reaches zero. Dropout changes it.',
    authors: ['John Smith', 'Ann Geoffrey'],
    categories: ['cs.LG'],
    announced: '2022-05-05',
    signals: { upvotes: 3 },
    source: src('grokking-dropout'),
  },
  {
    arxivId: '2401.00005',
    title: 'Grokked Transformers are Implicit Reasoners',
    abstract: 'Transformers that have grokked learn to reason implicitly.',
    authors: ['Bob Hinton'],
    categories: ['cs.CL'],
    announced: '2024-05-20',
    source: src('grokked'),
  },
  {
    arxivId: '2401.00006',
    title: 'Optimization of Diffusion Models',
    abstract: 'We optimize the sampling schedule of diffusion models for image synthesis.',
    authors: ['Claude Shannon'],
    categories: ['cs.CV'],
    announced: '2021-01-10',
    signals: { upvotes: 100 },
    source: src('optimization'),
  },
  {
    arxivId: '2401.00007',
    title: 'Collapse of Neural Networks under Label Noise',
    abstract: 'Networks trained on noisy labels degrade; we measure how and why.',
    authors: ['Edsger Dijkstra'],
    categories: ['cs.LG'],
    announced: '2025-02-02',
    source: src('words-reversed'),
  },
  {
    arxivId: '2401.00008',
    title: 'Theoretical Physics of Strings',
    abstract: 'Dualities between string theories, unrelated to machine learning.',
    authors: ['Richard Feynman'],
    categories: ['hep-th'],
    announced: '2020-07-07',
    source: src('hep-th'),
  },
  {
    arxivId: '2401.00009',
    title: 'An Undated Note on Collapse',
    abstract: 'Collapse, briefly.',
    authors: ['Donald Knuth'],
    categories: ['cs.DS'],
    source: src('undated'),
  },
  {
    arxivId: '2401.00010',
    title: 'Dropout as Bayesian Approximation',
    abstract: 'Dropout training is approximate Bayesian inference in deep Gaussian processes.',
    authors: ['Yarin Gal'],
    categories: ['stat.ML'],
    announced: '2016-06-06',
    signals: { upvotes: 7 },
    source: src('dropout'),
  },
];

/** Title (unique) → id, for readable assertions. */
export const idOfTitle = (title: string): string => {
  const r = SEARCH_FIXTURE.find((p) => p.title === title);
  if (!r?.arxivId) throw new Error(`no fixture paper titled ${title}`);
  return `arxiv:${r.arxivId}`;
};
