/** @jsxRuntime automatic */
/** @jsxImportSource preact */
/** Signing in, accepting an invite, and one's account: password, API tokens, and (admins) members and invites. */
import type { ApiTokenInfo, User } from '../../store/types.ts';
import { Notice } from '../components.tsx';

export function SignInPage({ next, error, noAccounts }: { next?: string; error?: string; noAccounts?: boolean }) {
  return (
    <div class="narrow">
      <div class="page-head">
        <div>
          <h1>Sign in</h1>
          <div class="sub">This Paper Radar has accounts: each member sees only their own profiles, feeds, notes and collections.</div>
        </div>
      </div>
      {noAccounts && <Notice kind="ok">There are no accounts yet, so nobody needs to sign in. Create the first with `radar users add NAME --admin`.</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      <form class="panel" method="post" action="/signin">
        <input type="hidden" name="next" value={next ?? '/'} />
        <label class="field">
          Name
          <input name="name" type="text" autocomplete="username" required maxLength={64} autofocus />
        </label>
        <label class="field">
          Password
          <input name="password" type="password" autocomplete="current-password" required maxLength={1024} />
        </label>
        <button class="btn primary" type="submit">
          Sign in
        </button>
      </form>
    </div>
  );
}

export function InvitePage({ token, error, invalid }: { token: string; error?: string; invalid?: boolean }) {
  return (
    <div class="narrow">
      <div class="page-head">
        <div>
          <h1>Join this Paper Radar</h1>
          <div class="sub">Choose the name and password you will sign in with.</div>
        </div>
      </div>
      {invalid ? (
        <Notice kind="error">This invite link has been used or has expired. Ask an admin for a new one.</Notice>
      ) : (
        <>
          {error && <Notice kind="error">{error}</Notice>}
          <form class="panel" method="post" action={`/invite/${encodeURIComponent(token)}`}>
            <label class="field">
              Name
              <input name="name" type="text" autocomplete="username" required maxLength={64} pattern="[A-Za-z0-9][A-Za-z0-9._@\-]*" />
              <span class="hint">Letters, digits, “.”, “_”, “@” or “-”.</span>
            </label>
            <label class="field">
              Password
              <input name="password" type="password" autocomplete="new-password" required minLength={10} maxLength={1024} />
              <span class="hint">At least 10 characters.</span>
            </label>
            <button class="btn primary" type="submit">
              Create my account
            </button>
          </form>
        </>
      )}
    </div>
  );
}

export interface AccountView {
  user: User;
  tokens: ApiTokenInfo[];
  /** Admins only. */
  members?: User[];
  flash?: string;
  error?: string;
  /** A token or invite link just made: shown once. */
  secret?: { label: string; value: string };
}

export function AccountPage({ user, tokens, members, flash, error, secret }: AccountView) {
  return (
    <>
      <div class="page-head">
        <div>
          <h1>{user.name}</h1>
          <div class="sub">{user.role === 'admin' ? 'Admin: you can invite and remove members.' : 'Member.'}</div>
        </div>
      </div>
      {flash && <Notice kind="ok">{flash}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      {secret && (
        <div class="panel" data-secret>
          <p>
            <strong>{secret.label}</strong> It is shown only now: copy it.
          </p>
          <input class="grow" type="text" readOnly value={secret.value} aria-label={secret.label} data-secret-value />
        </div>
      )}

      <h2>Password</h2>
      <form class="panel" method="post" action="/account/password">
        <label class="field">
          Current password
          <input name="current" type="password" autocomplete="current-password" required maxLength={1024} />
        </label>
        <label class="field">
          New password
          <input name="password" type="password" autocomplete="new-password" required minLength={10} maxLength={1024} />
          <span class="hint">At least 10 characters. Your other sessions are signed out.</span>
        </label>
        <button class="btn primary" type="submit">
          Change password
        </button>
      </form>

      <h2>API tokens</h2>
      <p class="muted small">
        For scripts: send <code>Authorization: Bearer TOKEN</code> to <code>/api/…</code>. A token acts as you.
      </p>
      {tokens.length > 0 && (
        <ul class="list panel" data-tokens>
          {tokens.map((t) => (
            <li class="row">
              <span class="grow">
                {t.name} <span class="muted small">created {t.createdAt.slice(0, 10)}{t.lastUsedAt ? `, last used ${t.lastUsedAt.slice(0, 10)}` : ', never used'}</span>
              </span>
              <form method="post" action={`/account/tokens/${t.tokenId}/revoke`} class="inline-form">
                <button class="btn small danger" type="submit">
                  Revoke
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form class="panel row" method="post" action="/account/tokens">
        <label for="token-name">New token</label>
        <input id="token-name" name="name" type="text" required maxLength={100} placeholder="e.g. nightly script" />
        <button class="btn primary small" type="submit">
          Create
        </button>
      </form>

      <h2>Popular in your lab</h2>
      <form class="panel" method="post" action="/account/lab" data-lab-setting>
        <label class="row">
          <input type="checkbox" name="show" value="1" checked={user.showInLab} />
          Show my name next to the papers I like and save in “Popular in your lab”
        </label>
        <p class="hint">Off (the default), they are counted there but your name is not shown.</p>
        <button class="btn small" type="submit">
          Save
        </button>
      </form>

      {members && (
        <>
          <h2>Members</h2>
          <ul class="list panel" data-members>
            {members.map((m) => (
              <li class="row">
                <span class="grow">
                  {m.name} <span class="muted small">{m.role}</span>
                </span>
                {m.userId !== user.userId && (
                  <form method="post" action={`/account/members/${encodeURIComponent(m.name)}/remove`} class="inline-form" data-confirm={`Remove ${m.name} and all their profiles, notes and collections?`}>
                    <button class="btn small danger" type="submit">
                      Remove
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
          <form class="panel row" method="post" action="/account/invites">
            <label for="invite-role">Invite a</label>
            <select id="invite-role" name="role">
              <option value="member">member</option>
              <option value="admin">admin</option>
            </select>
            <button class="btn primary small" type="submit">
              Make an invite link
            </button>
          </form>
        </>
      )}
    </>
  );
}
