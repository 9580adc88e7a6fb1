import { describe, expect, it } from 'vitest';
import { extractCodeLinks } from '../../src/text/code-links.ts';

describe('extractCodeLinks', () => {
  it('finds the repository and the project page in an abstract and a comment', () => {
    expect(
      extractCodeLinks(
        'We propose SwiReasoning. Code is available at https://github.com/sdc17/SwiReasoning.',
        '15 pages. Project page: https://swireasoning.github.io/ (demo included)',
      ),
    ).toEqual({ code: 'https://github.com/sdc17/SwiReasoning', project: 'https://swireasoning.github.io' });
  });

  it('takes bare host paths, GitLab and Hugging Face spaces, and trims prose punctuation', () => {
    expect(extractCodeLinks('Our code: github.com/org/repo-name).')).toEqual({ code: 'https://github.com/org/repo-name' });
    expect(extractCodeLinks('See https://gitlab.com/group/sub/project;')).toEqual({ code: 'https://gitlab.com/group/sub/project' });
    expect(extractCodeLinks('Try it at https://huggingface.co/spaces/org/demo!')).toEqual({ code: 'https://huggingface.co/spaces/org/demo' });
    expect(extractCodeLinks('Our website is https://example.org/proj.')).toEqual({ project: 'https://example.org/proj' });
  });

  it('ignores links that are not code: a GitHub profile, arXiv, a DOI, an HF paper page', () => {
    expect(extractCodeLinks('By https://github.com/someone, see https://arxiv.org/abs/2501.00001 and page https://doi.org/10.1/x')).toEqual({});
    expect(extractCodeLinks('Discussed at https://huggingface.co/papers/2501.00001')).toEqual({});
    expect(extractCodeLinks(undefined, '')).toEqual({});
  });
});
