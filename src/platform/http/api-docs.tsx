import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { I18n, Lang, MessageKey } from '../i18n/i18n.js';
import { pageContext, sendHtml } from './context.js';
import { Layout, type PageContext, renderPage } from './layout.js';

type Json = Record<string, unknown>;

interface Operation {
  method: string;
  path: string;
  op: Json;
}

/** An example response shown on the page: the real answer of this instance to the example request. */
interface Example {
  url: string;
  status: number;
  body: string;
  cut: boolean;
}

/** Lines of an example response shown before it is cut (the Lagebild answer runs to thousands). */
const EXAMPLE_LINES = 40;
/** How long an example response is reused (the register changes with imports, the Lagebild hourly). */
const EXAMPLE_TTL_MS = 5 * 60_000;

function operations(doc: Json): Operation[] {
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Json>>;
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) ops.push({ method: method.toUpperCase(), path, op });
  }
  return ops;
}

function schemaType(s: Json | undefined): string {
  if (!s) return '';
  if (Array.isArray(s.anyOf)) return (s.anyOf as Json[]).map(schemaType).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  return String(s.type ?? 'object');
}

function slug(o: Operation) {
  return `${o.method}-${o.path}`.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/**
 * The text of an operation in the page's language: the module's messages `apidoc.<operationId>.summary` and
 * `.description` (German and English), else the English text of the OpenAPI document.
 */
export function operationText(i18n: I18n, lang: Lang, op: Json, field: 'summary' | 'description'): string {
  const key = `apidoc.${String(op.operationId ?? '')}.${field}`;
  if (op.operationId && i18n.has(key)) return i18n.translator(lang)(key as MessageKey);
  return String(op[field] ?? '');
}

/** The absolute URL of an example request on this instance (for the curl line). */
function absolute(publicUrl: string, path: string) {
  return `${publicUrl.replace(/\/$/, '')}${path}`;
}

function ApiDocsPage({
  ctx,
  doc,
  i18n,
  examples,
  publicUrl,
}: {
  ctx: PageContext;
  doc: Json;
  i18n: I18n;
  examples: Map<string, Example>;
  publicUrl: string;
}) {
  const info = (doc.info ?? {}) as Json;
  const ops = operations(doc);
  const { t, lang } = ctx;
  const text = (op: Json, field: 'summary' | 'description') => operationText(i18n, lang, op, field);
  const paramText = (op: Json, p: Json) => {
    const key = `apidoc.${String(op.operationId ?? '')}.param.${String(p.name)}`;
    if (op.operationId && i18n.has(key)) return i18n.translator(lang)(key as MessageKey);
    return String(p.description ?? (p.schema as Json | undefined)?.description ?? '');
  };
  return (
    <Layout ctx={ctx} title={t('api.title')}>
      <h1 class="kern-heading-large">{t('api.title')}</h1>
      <p>{t('api.intro')}</p>
      <p>
        {t('api.machineReadable')} <a href="/api/v1/openapi.json">OpenAPI 3.1 (JSON)</a>.{' '}
        {t('api.version', { version: String(info.version ?? '') })}
      </p>
      <h2 class="kern-heading-medium">{t('api.tokenTitle')}</h2>
      <p>{t('api.tokenPublic')}</p>
      <p>
        {t('api.tokenGet')} <a href="/konto/tokens">{t('api.tokenLink')}</a>
      </p>
      <p>{t('api.tokenUse')}</p>
      <pre class="code-example" tabindex={0}>
        <code>{`curl -H "Authorization: Bearer klt_…" ${absolute(publicUrl, '/api/v1/regions?q=Eisenach')}`}</code>
      </pre>
      <nav aria-label={t('api.endpoints')}>
        <h2 class="kern-heading-medium">{t('api.endpoints')}</h2>
        <ul>
          {ops.map((o) => (
            <li key={slug(o)}>
              <a href={`#${slug(o)}`}>
                <code>
                  {o.method} {o.path}
                </code>
              </a>{' '}
              – {text(o.op, 'summary')}
            </li>
          ))}
        </ul>
      </nav>
      {ops.map((o) => {
        const params = (o.op.parameters ?? []) as Json[];
        const responses = (o.op.responses ?? {}) as Record<string, Json>;
        const example = examples.get(String(o.op.operationId ?? ''));
        return (
          <section key={slug(o)} aria-labelledby={slug(o)}>
            <h2 class="kern-heading-medium" id={slug(o)}>
              <code>
                {o.method} {o.path}
              </code>
            </h2>
            <p>
              <strong>{text(o.op, 'summary')}.</strong> {text(o.op, 'description')}
            </p>
            {params.length > 0 ? (
              <div class="table-wrap" role="region" tabindex={0} aria-label={t('api.parameters')}>
                <table class="kern-table">
                  <caption>{t('api.parameters')}</caption>
                  <thead class="kern-table__header">
                    <tr class="kern-table__row">
                      <th scope="col" class="kern-table__cell">
                        {t('api.name')}
                      </th>
                      <th scope="col" class="kern-table__cell">
                        {t('api.in')}
                      </th>
                      <th scope="col" class="kern-table__cell">
                        {t('api.type')}
                      </th>
                      <th scope="col" class="kern-table__cell">
                        {t('api.description')}
                      </th>
                    </tr>
                  </thead>
                  <tbody class="kern-table__body">
                    {params.map((p) => (
                      <tr class="kern-table__row" key={String(p.name)}>
                        <td class="kern-table__cell">
                          <code>{String(p.name)}</code>
                          {p.required ? ` (${t('api.required')})` : ''}
                        </td>
                        <td class="kern-table__cell">
                          {p.in === 'query' ? t('api.inQuery') : p.in === 'path' ? t('api.inPath') : String(p.in)}
                        </td>
                        <td class="kern-table__cell">{schemaType(p.schema as Json)}</td>
                        <td class="kern-table__cell">{paramText(o.op, p)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            <p>
              {t('api.responses')}{' '}
              {Object.entries(responses)
                .map(([code, r]) => `${code} ${String(r.description ?? '')}`.trim())
                .join(', ')}
            </p>
            {example ? (
              <>
                <h3 class="kern-heading-small">{t('api.exampleRequest')}</h3>
                <pre class="code-example" tabindex={0}>
                  <code>{`curl ${absolute(publicUrl, example.url)}`}</code>
                </pre>
                <h3 class="kern-heading-small">{t('api.exampleResponse')}</h3>
                {example.status === 200 ? (
                  <pre class="code-example" tabindex={0}>
                    <code>{example.body}</code>
                  </pre>
                ) : (
                  <p>{t('api.exampleFailed', { status: example.status })}</p>
                )}
                {example.cut ? <p>{t('api.exampleCut')}</p> : null}
              </>
            ) : null}
          </section>
        );
      })}
    </Layout>
  );
}

/** Pretty JSON, cut after `lines` lines. */
export function exampleBody(payload: string, lines = EXAMPLE_LINES): { body: string; cut: boolean } {
  let pretty: string;
  try {
    pretty = JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    pretty = payload;
  }
  const all = pretty.split('\n');
  return all.length > lines ? { body: all.slice(0, lines).join('\n'), cut: true } : { body: pretty, cut: false };
}

/**
 * `/api/docs`: the OpenAPI document as a page in the reader's language, with the token how-to and, per
 * operation, an example request (declared by its module, `Module.apiExamples`) and this instance's real
 * answer to it (asked in-process, cached for a few minutes per language).
 */
export const apiDocsRoute =
  (opts: {
    getDoc: () => Json;
    i18n: I18n;
    publicUrl: string;
    /** operationId → example request path, e.g. `searchRegions` → `/api/v1/regions?q=Eisenach&limit=2`. */
    examples: Readonly<Record<string, string>>;
  }): FastifyPluginAsync =>
  async (app: FastifyInstance) => {
    const cache = new Map<Lang, { at: number; examples: Promise<Map<string, Example>> }>();
    const load = async (lang: Lang): Promise<Map<string, Example>> => {
      const out = new Map<string, Example>();
      for (const [operationId, url] of Object.entries(opts.examples)) {
        const res = await app.inject({ method: 'GET', url, headers: { 'accept-language': lang } });
        out.set(operationId, { url, status: res.statusCode, ...exampleBody(res.payload) });
      }
      return out;
    };
    const examplesFor = (lang: Lang) => {
      const hit = cache.get(lang);
      if (hit && Date.now() - hit.at < EXAMPLE_TTL_MS) return hit.examples;
      const entry = { at: Date.now(), examples: load(lang) };
      entry.examples.catch(() => cache.delete(lang));
      cache.set(lang, entry);
      return entry.examples;
    };
    app.get('/api/docs', { schema: { hide: true }, config: { access: 'public' } }, async (request, reply) => {
      const ctx = pageContext(request);
      const examples = await examplesFor(ctx.lang);
      return sendHtml(
        reply,
        renderPage(
          <ApiDocsPage ctx={ctx} doc={opts.getDoc()} i18n={opts.i18n} examples={examples} publicUrl={opts.publicUrl} />,
        ),
      );
    });
  };
