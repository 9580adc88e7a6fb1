/**
 * Fitted profile models kept per process. A fit reads a background sample,
 * trains a classifier and calibrates it (about a second on 75k papers, more
 * on a loaded machine), and every feed of the profile — each window the page
 * offers, the digest, "why this paper" — needs the same one. An entry is
 * used only while everything the fit read is unchanged: the profile's papers
 * and feedback, the features' generation (the index covers new papers, the
 * IDF moved), the model options and the day ages are counted on.
 */
import type { TrainedProfile } from './model.ts';

const MAX_ENTRIES = 16;

export class TrainedCache {
  private readonly entries = new Map<string, Promise<TrainedProfile>>();

  constructor(private readonly max = MAX_ENTRIES) {}

  get size(): number {
    return this.entries.size;
  }

  /** The fit for `key`, or `fit()`'s (a failed fit is not kept). */
  get(key: string, fit: () => Promise<TrainedProfile>): Promise<TrainedProfile> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recently used last
      return hit;
    }
    const made = fit();
    this.entries.set(key, made);
    made.catch(() => this.entries.delete(key));
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
    return made;
  }
}
