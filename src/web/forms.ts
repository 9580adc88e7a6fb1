/** Reading form posts: urlencoded fields, or multipart with uploaded files (kept in memory, size-capped by the app). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest } from '../app/errors.ts';

export interface FormData {
  fields: Record<string, string>;
  files: { name: string; bytes: Buffer }[];
}

export async function readForm(req: FastifyRequest): Promise<FormData> {
  if (!req.isMultipart()) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') fields[k] = v;
    return { fields, files: [] };
  }
  const fields: Record<string, string> = {};
  const files: { name: string; bytes: Buffer }[] = [];
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        // A file input left empty still sends a nameless, empty part.
        if (part.filename && bytes.length) files.push({ name: part.filename, bytes });
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') throw badRequest((err as Error).message, 'files');
    throw err;
  }
  return { fields, files };
}

export function redirect(reply: FastifyReply, url: string): FastifyReply {
  return reply.code(303).header('location', url).send();
}

export function field(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

/** Lines or comma/space separated words → list (for arXiv ids). */
export function words(s: string | undefined): string[] {
  return (s ?? '').split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);
}

/** One entry per line (rules: phrases may contain spaces and commas). */
export function lines(s: string | undefined): string[] {
  return (s ?? '').split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
}
