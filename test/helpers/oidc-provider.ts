/**
 * A real OpenID Connect provider for tests (the `oidc-provider` package, certified), on 127.0.0.1 with a
 * random port. Accounts live in memory; the login "interaction" is completed programmatically: whoever
 * `loginAs` names is signed in (or the login is refused), no forms involved. Consent is implied for the
 * one registered client, as it is for a first-party client at Keycloak.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
}

export interface TestClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface TestOidcProvider {
  /** e.g. http://127.0.0.1:41234 */
  issuer: string;
  /** Register the one client (its redirect URI is only known once the app under test listens). */
  addClient(client: TestClient): Promise<void>;
  /** Add or replace an account (claims as the provider will report them). */
  setAccount(account: TestAccount): void;
  /** Who the next login interactions sign in, or 'deny' to end them with error=access_denied. */
  loginAs(who: string | 'deny'): void;
  close(): Promise<void>;
}

/** What this helper uses of the untyped `oidc-provider` module. */
interface ProviderInstance {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ prompt: { name: string } }>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: object,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  Grant: GrantClass;
}
interface GrantClass {
  new (init: { clientId: string; accountId: string }): GrantInstance;
  find(id: string): Promise<GrantInstance | undefined>;
}
interface GrantInstance {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
interface OidcContext {
  oidc: {
    client: { clientId: string };
    session: { accountId: string; grantIdFor(clientId: string): string | undefined };
    result?: { consent?: { grantId?: string } };
    provider: ProviderInstance;
  };
}
type ProviderClass = new (issuer: string, configuration: object) => ProviderInstance;

// A variable specifier: the package ships no type declarations, the interfaces above describe what is used.
const PROVIDER_MODULE: string = 'oidc-provider';

/** Everything in memory, expiring like the real thing (no warning about the package's development adapter). */
class MemoryAdapter {
  static store = new Map<string, { payload: Record<string, unknown>; expiresAt: number }>();
  constructor(private readonly model: string) {}
  private key(id: string) {
    return `${this.model}:${id}`;
  }
  private static get(key: string | undefined) {
    if (!key) return undefined;
    const entry = MemoryAdapter.store.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      MemoryAdapter.store.delete(key);
      return undefined;
    }
    return entry.payload;
  }
  async upsert(id: string, payload: Record<string, unknown>, expiresIn: number) {
    const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
    MemoryAdapter.store.set(this.key(id), { payload, expiresAt });
    if (typeof payload.uid === 'string') {
      MemoryAdapter.store.set(`${this.model}:uid:${payload.uid}`, { payload: { id }, expiresAt });
    }
    if (typeof payload.grantId === 'string') {
      const grantKey = `grant:${payload.grantId}`;
      const members = (MemoryAdapter.get(grantKey)?.keys as string[] | undefined) ?? [];
      MemoryAdapter.store.set(grantKey, { payload: { keys: [...members, this.key(id)] }, expiresAt });
    }
  }
  async find(id: string) {
    return MemoryAdapter.get(this.key(id));
  }
  async findByUid(uid: string) {
    const ref = MemoryAdapter.get(`${this.model}:uid:${uid}`);
    return typeof ref?.id === 'string' ? this.find(ref.id) : undefined;
  }
  async findByUserCode() {
    return undefined;
  }
  async consume(id: string) {
    const payload = MemoryAdapter.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    MemoryAdapter.store.delete(this.key(id));
  }
  async revokeByGrantId(grantId: string) {
    const grantKey = `grant:${grantId}`;
    for (const key of (MemoryAdapter.get(grantKey)?.keys as string[] | undefined) ?? [])
      MemoryAdapter.store.delete(key);
    MemoryAdapter.store.delete(grantKey);
  }
}

export async function startOidcProvider(): Promise<TestOidcProvider> {
  const { default: Provider } = (await import(PROVIDER_MODULE)) as { default: ProviderClass };
  const accounts = new Map<string, TestAccount>();
  let loginAs: string | 'deny' = 'deny';
  let provider: ProviderInstance | null = null;

  const server = http.createServer((req, res) => {
    if (!provider) {
      res.statusCode = 503;
      res.end('no client registered yet');
      return;
    }
    const p = provider;
    if (req.method === 'GET' && req.url?.startsWith('/interaction/')) {
      void (async () => {
        await p.interactionDetails(req, res);
        const result =
          loginAs === 'deny'
            ? { error: 'access_denied', error_description: 'End-User refused the login' }
            : { login: { accountId: loginAs } };
        await p.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      })().catch((err: unknown) => {
        res.statusCode = 500;
        res.end(String(err));
      });
      return;
    }
    p.callback()(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    async addClient(c) {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      provider = new Provider(issuer, {
        adapter: MemoryAdapter,
        clients: [
          {
            client_id: c.clientId,
            client_secret: c.clientSecret,
            redirect_uris: [c.redirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
        jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' }] },
        cookies: { keys: [randomUUID()] },
        claims: { openid: ['sub'], email: ['email', 'email_verified'] },
        features: { devInteractions: { enabled: false } },
        pkce: { required: () => true },
        ttl: { AuthorizationCode: 60, AccessToken: 600, IdToken: 600, Interaction: 600, Grant: 3600, Session: 3600 },
        async findAccount(_ctx: unknown, sub: string) {
          const account = accounts.get(sub);
          if (!account) return undefined;
          return { accountId: sub, claims: async () => ({ ...account }) };
        },
        // First-party client: consent is implied (as with Keycloak's "Consent required: off").
        async loadExistingGrant(ctx: OidcContext) {
          const { client, session, result, provider: op } = ctx.oidc;
          const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
          if (grantId) return op.Grant.find(grantId);
          const grant = new op.Grant({ clientId: client.clientId, accountId: session.accountId });
          grant.addOIDCScope('openid email profile');
          await grant.save();
          return grant;
        },
        // Keep the test output quiet: the provider renders errors as a small page.
        async renderError(ctx: { type: string; body: string }, out: Record<string, string>) {
          ctx.type = 'text/plain';
          ctx.body = `${out.error}: ${out.error_description ?? ''}`;
        },
      });
    },
    setAccount(account) {
      accounts.set(account.sub, account);
    },
    loginAs(who) {
      loginAs = who;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      });
    },
  };
}
