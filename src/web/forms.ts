/**
 * Reading form posts: urlencoded fields, or multipart with uploaded files,
 * either kept in memory (small forms: a profile's publication list) or
 * streamed to a private temporary directory (the Import page), each with a
 * cap on the whole request so server memory does not grow with an upload.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, HttpError } from '../app/errors.ts';

export interface FormData {
  fields: Record<string, string>;
  files: { name: string; bytes: Buffer }[];
}

/** What a form kept in memory may hold in all (a publication list is kilobytes). */
export const MAX_FORM_BYTES = 32 * 1024 * 1024;

function mib(n: number): string {
  return `${Math.round(n / (1024 * 1024))} MB`;
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `the upload is larger than the ${mib(limit)} one request may carry; split it, or import it with \`radar import\``, 'files');
}

/**
 * A multipart body that cannot be read is the client's fault (400), whatever
 * the parser underneath calls it; our own refusals pass through.
 */
function formError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (e.code === 'FST_REQ_FILE_TOO_LARGE' || e.code === 'FST_FILES_LIMIT' || e.code === 'FST_PARTS_LIMIT' || e.code === 'FST_FIELDS_LIMIT') return new HttpError(413, e.message ?? 'too large', 'files');
  return badRequest(`the form data could not be read: ${e.message ?? String(err)}`, 'files');
}

export async function readForm(req: FastifyRequest, maxBytes = MAX_FORM_BYTES): Promise<FormData> {
  if (!req.isMultipart()) {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === 'string') fields[k] = v;
    return { fields, files: [] };
  }
  const fields: Record<string, string> = {};
  const files: { name: string; bytes: Buffer }[] = [];
  let total = 0;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const chunks: Buffer[] = [];
        for await (const chunk of part.file as AsyncIterable<Buffer>) {
          total += chunk.length;
          if (total > maxBytes) throw tooLarge(maxBytes);
          chunks.push(chunk);
        }
        const bytes = Buffer.concat(chunks);
        // A file input left empty still sends a nameless, empty part.
        if (part.filename && bytes.length) files.push({ name: part.filename, bytes });
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    throw formError(err);
  }
  return { fields, files };
}

export interface UploadForm {
  fields: Record<string, string>;
  /** Each uploaded file, saved in `dir` under a name of ours, known by the name it was uploaded under. */
  files: { name: string; file: string; size: number }[];
}

/**
 * Streams the files of a multipart post into `dir` (which the caller made
 * private and removes), stopping with 413 once the request passes `maxBytes`
 * in all: memory holds one chunk at a time, whatever the upload.
 */
export async function readUploads(req: FastifyRequest, dir: string, maxBytes: number): Promise<UploadForm> {
  const out: UploadForm = { fields: {}, files: [] };
  if (!req.isMultipart()) return { ...out, fields: (await readForm(req)).fields };
  let total = 0;
  try {
    for await (const part of req.parts()) {
      if (part.type !== 'file') {
        if (typeof part.value === 'string') out.fields[part.fieldname] = part.value;
        continue;
      }
      const file = join(dir, `upload-${out.files.length}`);
      let size = 0;
      const count = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          total += chunk.length;
          done(total > maxBytes ? tooLarge(maxBytes) : null, chunk);
        },
      });
      await pipeline(part.file, count, createWriteStream(file, { mode: 0o600 }));
      // A file input left empty still sends a nameless, empty part.
      if (part.filename && size > 0) out.files.push({ name: part.filename, file, size });
      else await rm(file, { force: true });
    }
  } catch (err) {
    throw formError(err);
  }
  return out;
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
