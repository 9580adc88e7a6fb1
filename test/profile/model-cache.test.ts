import { describe, expect, it } from 'vitest';
import { TrainedCache } from '../../src/profile/model-cache.ts';
import type { TrainedProfile } from '../../src/profile/model.ts';

const fitted = (n: number) => ({ withoutFeatures: n }) as unknown as TrainedProfile;

describe('the fitted-model cache', () => {
  it('fits once per key, keeps the most recently used, and forgets a failed fit', async () => {
    const cache = new TrainedCache(2);
    let fits = 0;
    const fit = (n: number) => async () => {
      fits++;
      return fitted(n);
    };
    expect((await cache.get('a', fit(1))).withoutFeatures).toBe(1);
    expect((await cache.get('a', fit(9))).withoutFeatures).toBe(1);
    await cache.get('b', fit(2));
    await cache.get('a', fit(9)); // a is now the most recent
    await cache.get('c', fit(3)); // evicts b
    expect(fits).toBe(3);
    expect((await cache.get('a', fit(9))).withoutFeatures).toBe(1);
    expect((await cache.get('b', fit(4))).withoutFeatures).toBe(4);
    await expect(cache.get('x', () => Promise.reject(new Error('no store')))).rejects.toThrow('no store');
    await Promise.resolve();
    expect((await cache.get('x', fit(5))).withoutFeatures).toBe(5);
  });
});
