/**
 * One-sentence TL;DRs from an OpenAI-compatible `/v1/chat/completions`
 * endpoint (llama.cpp server, Ollama, vLLM). One request per paper, a hard
 * timeout, no retries here: the queue (queue.ts) retries a failed paper much
 * later, so a slow or broken endpoint costs one background request at a time
 * and never a page or a digest.
 */
import type { TextDoc } from '../types.ts';

export interface ChatOptions {
  /** Up to and including `/v1`. */
  url: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
}

export class TldrError extends Error {}

const SYSTEM =
  'You summarise research papers. Answer with exactly one plain sentence of at most 30 words saying what the paper does and finds. No preamble, no markdown.';

/** The sentence from a model's answer: first line, no "TL;DR:" label or quotes, at most 300 characters. */
export function cleanTldr(raw: string): string {
  let s = raw.trim().split(/\n+/)[0] ?? '';
  s = s.replace(/^(tl;?dr|summary)\s*[:\-–]\s*/i, '').replace(/^["'“]+|["'”]+$/g, '').replace(/\*\*/g, '').trim();
  if (s.length > 300) s = `${s.slice(0, 297).replace(/\s+\S*$/, '')}…`;
  return s;
}

export async function askTldr(opts: ChatOptions, paper: TextDoc): Promise<string> {
  const url = `${opts.url.replace(/\/+$/, '')}/chat/completions`;
  const body = {
    model: opts.model,
    temperature: 0,
    max_tokens: 80,
    messages: [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: `Title: ${paper.title}\n\nAbstract: ${paper.abstract.slice(0, 4000)}` },
    ],
  };
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (err) {
    const e = err as Error;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new TldrError(`${url}: no answer within ${opts.timeoutMs} ms`);
    throw new TldrError(`${url}: ${e.message}`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw new TldrError(`${url}: the answer broke off (${(err as Error).message})`);
  }
  if (!res.ok) throw new TldrError(`${url}: HTTP ${res.status} ${text.slice(0, 200)}`);
  let content: unknown;
  try {
    content = (JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
  } catch {
    throw new TldrError(`${url}: the answer is not JSON (${text.slice(0, 80)})`);
  }
  if (typeof content !== 'string') throw new TldrError(`${url}: the answer has no choices[0].message.content`);
  const s = cleanTldr(content);
  if (!s) throw new TldrError(`${url}: the answer is empty`);
  return s;
}
