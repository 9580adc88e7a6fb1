/** Profiles with their papers and feedback, and notes and collections. */
import type { StoredPaper } from './papers.ts';

/** Per-profile rules on top of the model (see src/profile/rules.ts). */
export interface ProfileRules {
  /** Keywords or phrases of which a feed paper must mention at least one (title/abstract). */
  must?: string[];
  /** Keywords or phrases a feed paper must not mention. */
  never?: string[];
  /** Followed authors: their papers are boosted and the reason says so. */
  authors?: string[];
  /** Followed organisations (matched against the paper's organisation signal). */
  organizations?: string[];
  /** Relevance cut-off on the feed score; papers below it are left out (default: the model's own). */
  cutoff?: number;
}

/** A profile's settings, stored as one JSON document; other features may add keys (e.g. digest delivery). */
export interface ProfileSettings {
  rules?: ProfileRules;
  [key: string]: unknown;
}

export interface Profile {
  profileId: number;
  name: string;
  settings: ProfileSettings;
  createdAt: string;
  updatedAt: string;
}

export type FeedbackAction = 'like' | 'save' | 'dismiss' | 'seen';

export interface ProfilePaperLink {
  pk: number;
  /** How it got there: `file:NAME`, `arxiv`, `author:NAME`, `manual`… */
  origin: string;
  addedAt: string;
}

export interface FeedbackEntry {
  pk: number;
  action: FeedbackAction;
  at: string;
}

/**
 * Profiles, their papers and feedback. Rows point at papers by pk; when papers
 * merge, the store moves these rows to the survivor (so a dismissal follows the
 * paper whichever source or version it comes back from).
 */
export interface ProfileStore {
  /** Throws when a profile of that name exists. */
  createProfile(name: string, settings: ProfileSettings, now: string): Promise<Profile>;
  getProfile(name: string): Promise<Profile | undefined>;
  /** By name, with paper counts. */
  listProfiles(): Promise<(Profile & { papers: number })[]>;
  /** Replaces the settings document; undefined when there is no such profile. */
  updateProfileSettings(profileId: number, settings: ProfileSettings, now: string): Promise<Profile | undefined>;
  /** Deletes the profile with its paper links and feedback; false when there was none. */
  deleteProfile(profileId: number): Promise<boolean>;
  /** Links papers to the profile (existing links are kept as they were); returns how many were new. */
  addProfilePapers(profileId: number, links: { pk: number; origin: string }[], now: string): Promise<number>;
  removeProfilePapers(profileId: number, pks: number[]): Promise<number>;
  profilePapers(profileId: number): Promise<ProfilePaperLink[]>;
  /** Records an action (repeating one updates its time). */
  addFeedback(profileId: number, pk: number, action: FeedbackAction, now: string): Promise<void>;
  removeFeedback(profileId: number, pk: number, action: FeedbackAction): Promise<boolean>;
  feedback(profileId: number): Promise<FeedbackEntry[]>;
  /**
   * Up to `n` distinct pks of stored papers drawn at random (reproducible for a
   * seed): the background sample a profile model learns "not this" from.
   */
  samplePaperPks(n: number, seed: number): Promise<number[]>;
  /**
   * Papers with no listing date that the store first saw in [addedFrom, addedTo)
   * (ISO instants), oldest first: a feed counts an undated paper from its arrival.
   */
  undatedPapers(opts: { addedFrom: string; addedTo: string; limit: number }): Promise<StoredPaper[]>;
}

// ---- Notes and collections (the web app) ----

/** A private note on a paper (one per paper; follows the paper through merges). */
export interface Note {
  pk: number;
  text: string;
  updatedAt: string;
}

/** A named group of saved papers (a reading list), exportable as BibTeX. */
export interface Collection {
  collectionId: number;
  name: string;
  createdAt: string;
  /** How many papers it holds. */
  papers: number;
}

/**
 * Notes and collections. Rows point at papers by pk and move to the survivor
 * when papers merge (like profile papers and feedback).
 */
export interface LibraryStore {
  getNote(pk: number): Promise<Note | undefined>;
  /** Every note, oldest paper first (for an export). */
  listNotes(): Promise<Note[]>;
  /** Sets the note; blank text deletes it. */
  putNote(pk: number, text: string, now: string): Promise<void>;
  /** By name, with paper counts. */
  listCollections(): Promise<Collection[]>;
  getCollection(name: string): Promise<Collection | undefined>;
  /** Creates the collection, or returns the one of that name (case-sensitive) if it exists. */
  ensureCollection(name: string, now: string): Promise<Collection>;
  /** Deletes the collection (not its papers); false when there was none. */
  deleteCollection(collectionId: number): Promise<boolean>;
  /** True when the paper was not in the collection yet. */
  addToCollection(collectionId: number, pk: number, now: string): Promise<boolean>;
  removeFromCollection(collectionId: number, pk: number): Promise<boolean>;
  /** Newest addition first. */
  collectionPapers(collectionId: number): Promise<{ pk: number; addedAt: string }[]>;
  /** The collections holding a paper, by name. */
  collectionsOf(pk: number): Promise<Collection[]>;
}
