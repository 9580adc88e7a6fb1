/** What every page handler (handlers/*.tsx) receives, and the few constants they share. */
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../app/context.ts';
import type { Assets } from './assets.ts';
import type { PageSpec } from './html.tsx';

export interface Web {
  ctx: AppContext;
  assets: Assets;
  /** Sends a page in the document shell with this server's assets. */
  send(reply: FastifyReply, spec: PageSpec): FastifyReply;
}

/** The notices a page shows after a form redirects back to it (`?flash=note`). */
export const FLASH: Record<string, string> = {
  note: 'Note saved.',
  saved: 'Saved to the collection.',
  removed: 'Removed from the collection.',
  deleted: 'Collection deleted.',
  created: 'Collection created.',
};

/** Papers per page on the daily and feed pages. */
export const PAGE_SIZE = 30;
