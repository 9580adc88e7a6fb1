/**
 * `radar users` and `radar tokens`: accounts on the database `--db` names.
 * The CLI acts as the admin of the local database (whoever can open the file
 * or the PostgreSQL URL can change it anyway), so it needs no sign-in: it
 * adds the first admin, invites members by link, removes them, resets
 * passwords, and manages API tokens.
 *
 * Passwords are read from `--password-stdin` (the first line of standard
 * input), else env RADAR_PASSWORD, else asked on the terminal without echo;
 * never from a flag, which would land in shell history and `ps`.
 */
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { addUser, createToken, invite, removeMember, resetPassword, revokeToken, siteBase, type Actor } from '../../app/accounts.ts';
import { HttpError } from '../../app/errors.ts';
import type { Store } from '../../store/types.ts';
import type { Register } from '../commands.ts';
import { CliError, type CliContext } from '../context.ts';
import { buildRuntime } from '../runtime.ts';

/** The CLI as an admin: what requireAdmin lets through. */
const LOCAL_ADMIN: Actor = { via: 'local' };

async function readPassword(fromStdin: boolean | undefined, prompt: string): Promise<string> {
  if (fromStdin) {
    let text = '';
    for await (const chunk of process.stdin) text += chunk;
    return text.split(/\r?\n/)[0];
  }
  if (process.env.RADAR_PASSWORD) return process.env.RADAR_PASSWORD;
  if (!process.stdin.isTTY) throw new CliError('no password: give it on standard input with --password-stdin, or in env RADAR_PASSWORD', 2);
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Echo nothing of what is typed after the prompt.
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: Writable };
  let prompted = false;
  out._writeToOutput = (s: string) => {
    if (!prompted) out.output.write(s);
  };
  try {
    return await new Promise<string>((resolve) => {
      rl.question(prompt, (answer) => resolve(answer));
      prompted = true;
    });
  } finally {
    process.stderr.write('\n');
    rl.close();
  }
}

/** Runs an account service; the refusals it throws are the user's to fix, so they print without a stack. */
async function act<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof HttpError) throw new CliError(err.message, err.statusCode === 400 ? 2 : 1);
    throw err;
  }
}

async function userActor(store: Store, name: string): Promise<Actor> {
  const u = await store.accounts.getUser(name);
  if (!u) throw new CliError(`no account named "${name}" (see \`radar users list\`)`);
  return { user: { userId: u.userId, name: u.name, role: u.role, createdAt: u.createdAt, showInLab: u.showInLab }, via: 'local' };
}

export const registerUsers: Register = (program, ctx) => {
  const users = program.command('users').description('accounts: add, list, remove, reset a password, invite by link');

  users
    .command('add <name>')
    .description('add an account (the first admin also gets the profiles, notes and collections made before accounts existed)')
    .option('--admin', 'an admin, who can invite and remove members')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .action(async (name: string, opts: { admin?: boolean; passwordStdin?: boolean }) => {
      const c = ctx();
      const password = await readPassword(opts.passwordStdin, `Password for ${name}: `);
      const user = await c.withStore((store) => act(() => addUser(store, name, password, opts.admin ? 'admin' : 'member', c.now())));
      if (c.json) c.emitJson({ name: user.name, role: user.role, createdAt: user.createdAt });
      c.say(`added ${user.role} "${user.name}"; sign-in is now required on this server, on loopback too`);
    });

  users
    .command('list')
    .description('the accounts, by name')
    .action(async () => {
      const c = ctx();
      const list = await c.withStore((store) => store.accounts.listUsers());
      if (c.json) return c.emitJson(list.map(({ userId: _id, ...u }) => u));
      if (!list.length) c.say('no accounts: the server is open to this machine only, with no sign-in (add one with `radar users add NAME --admin`)');
      for (const u of list) c.say(`${u.name}\t${u.role}\tsince ${u.createdAt.slice(0, 10)}`);
    });

  users
    .command('remove <name>')
    .description('remove an account with its sessions, tokens, profiles, notes and collections (the last admin stays)')
    .action(async (name: string) => {
      const c = ctx();
      await c.withStore((store) => act(() => removeMember(store, LOCAL_ADMIN, name)));
      if (c.json) c.emitJson({ removed: name });
      c.say(`removed "${name}" and everything it owned`);
    });

  users
    .command('password <name>')
    .description("set an account's password (its sessions end)")
    .option('--password-stdin', 'read the password from the first line of standard input')
    .action(async (name: string, opts: { passwordStdin?: boolean }) => {
      const c = ctx();
      const password = await readPassword(opts.passwordStdin, `New password for ${name}: `);
      await c.withStore((store) => act(() => resetPassword(store, name, password, c.now())));
      c.say(`password of "${name}" changed; its sessions were signed out`);
    });

  users
    .command('invite')
    .description('print a one-use link (valid 7 days) with which someone creates their own account')
    .option('--admin', 'the invited account is an admin')
    .option('--url <base>', "the server's public address (default: the configuration's baseUrl)")
    .option('--config <path>', 'configuration file (for baseUrl)')
    .action(async (opts: { admin?: boolean; url?: string; config?: string }) => {
      const c = ctx();
      const base = siteBase(opts.url ?? buildRuntime(c, { config: opts.config }).config.baseUrl, { protocol: 'http', host: 'localhost:8080' });
      const role = opts.admin ? 'admin' : 'member';
      const { token, expiresAt } = await c.withStore((store) => act(() => invite(store, LOCAL_ADMIN, role, c.now())));
      const url = `${base}/invite/${token}`;
      if (c.json) c.emitJson({ url, role, expiresAt });
      c.say(`an invite for one ${role}, valid until ${expiresAt}; send this link:\n${url}`);
    });

  registerTokens(program, ctx);
};

function registerTokens(program: Parameters<Register>[0], ctx: () => CliContext): void {
  const tokens = program.command('tokens').description('API tokens for scripts (Authorization: Bearer TOKEN)');

  tokens
    .command('create <name>')
    .description('create a token for an account; it is printed once (only its hash is kept)')
    .requiredOption('--user <name>', 'the account the token acts as')
    .action(async (name: string, opts: { user: string }) => {
      const c = ctx();
      const { token, info } = await c.withStore(async (store) => act(async () => createToken(store, await userActor(store, opts.user), name, c.now())));
      if (c.json) c.emitJson({ token, tokenId: info.tokenId, name: info.name, user: opts.user });
      c.say(`token ${info.tokenId} "${info.name}" for ${opts.user} (store it now, it is not shown again):\n${token}`);
    });

  tokens
    .command('list')
    .description("an account's tokens (never the tokens themselves)")
    .requiredOption('--user <name>', 'the account')
    .action(async (opts: { user: string }) => {
      const c = ctx();
      const list = await c.withStore(async (store) => store.accounts.listApiTokens((await userActor(store, opts.user)).user!.userId));
      if (c.json) return c.emitJson(list.map(({ userId: _u, ...t }) => t));
      if (!list.length) c.say(`${opts.user} has no API tokens`);
      for (const t of list) c.say(`${t.tokenId}\t${t.name}\tcreated ${t.createdAt.slice(0, 10)}\t${t.lastUsedAt ? `last used ${t.lastUsedAt.slice(0, 10)}` : 'never used'}`);
    });

  tokens
    .command('revoke <id>')
    .description('revoke one of an account\'s tokens')
    .requiredOption('--user <name>', 'the account')
    .action(async (id: string, opts: { user: string }) => {
      const c = ctx();
      const n = Number(id);
      if (!Number.isInteger(n) || n <= 0) throw new CliError(`token id: expected a positive integer, got "${id}"`, 2);
      await c.withStore(async (store) => act(async () => revokeToken(store, await userActor(store, opts.user), n)));
      if (c.json) c.emitJson({ revoked: n });
      c.say(`token ${n} revoked`);
    });
}
