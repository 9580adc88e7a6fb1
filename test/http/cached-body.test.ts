import { describe, expect, it } from 'vitest';
import { matchesEtag, pickEncoding } from '../../src/http/cached-body.ts';

describe('serving a cached body', () => {
  it('picks brotli, else gzip, from Accept-Encoding, honouring q=0 and ignoring case and spaces', () => {
    expect(pickEncoding('gzip, deflate, br')).toBe('br');
    expect(pickEncoding('gzip, deflate')).toBe('gzip');
    expect(pickEncoding('br;q=0, GZIP;q=0.5')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip;q=0')).toBeUndefined();
    expect(pickEncoding('identity')).toBeUndefined();
    expect(pickEncoding(undefined)).toBeUndefined();
  });

  it('matches If-None-Match lists, weak validators and *, and nothing else', () => {
    expect(matchesEtag('"map-abc"', '"map-abc"')).toBe(true);
    expect(matchesEtag('"x", W/"map-abc"', '"map-abc"')).toBe(true);
    expect(matchesEtag('*', '"map-abc"')).toBe(true);
    expect(matchesEtag('"map-abd"', '"map-abc"')).toBe(false);
    expect(matchesEtag(undefined, '"map-abc"')).toBe(false);
  });
});
