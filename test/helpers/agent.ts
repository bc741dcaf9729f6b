import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A tiny browser: keeps cookies, reads the CSRF token from the last form. After each request it waits for the
 * work the request started after its answer (e.g. the mails of sign-up and password reset), so a test reads
 * the outbox as a person would a moment later.
 */
export class Agent {
  cookies = new Map<string, string>();
  constructor(private app: FastifyInstance) {}
  private async settle(res: LightMyRequestResponse) {
    await this.app.platform?.tasks.idle();
    return res;
  }
  private store(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(url: string) {
    return this.store(
      await this.settle(
        await this.app.inject({ method: 'GET', url, headers: { accept: 'text/html', cookie: this.cookieHeader() } }),
      ),
    );
  }
  async post(url: string, form: Record<string, string>, withCsrfFrom?: string) {
    const body = { ...form };
    if (withCsrfFrom !== undefined) {
      const page = await this.get(withCsrfFrom);
      const m = page.body.match(/name="_csrf" value="([^"]+)"/);
      assert.ok(m, `no CSRF token on ${withCsrfFrom}`);
      body._csrf = m[1]!;
    }
    return this.store(
      await this.settle(
        await this.app.inject({
          method: 'POST',
          url,
          headers: {
            accept: 'text/html',
            cookie: this.cookieHeader(),
            'content-type': 'application/x-www-form-urlencoded',
          },
          payload: new URLSearchParams(body).toString(),
        }),
      ),
    );
  }
}
