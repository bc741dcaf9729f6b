import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { pageContext, sendHtml } from './context.js';
import { Layout, type PageContext, renderPage } from './layout.js';

type Json = Record<string, unknown>;

interface Operation {
  method: string;
  path: string;
  op: Json;
}

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

function ApiDocsPage({ ctx, doc }: { ctx: PageContext; doc: Json }) {
  const info = (doc.info ?? {}) as Json;
  const ops = operations(doc);
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('api.title')}>
      <h1 class="kern-heading-large">{String(info.title ?? 'API')}</h1>
      <p>{String(info.description ?? '')}</p>
      <p>
        {t('api.machineReadable')} <a href="/api/v1/openapi.json">OpenAPI 3.1 (JSON)</a>.{' '}
        {t('api.version', { version: String(info.version ?? '') })}
      </p>
      <nav aria-label={t('api.endpoints')}>
        <ul>
          {ops.map((o) => (
            <li key={slug(o)}>
              <a href={`#${slug(o)}`}>
                <code>
                  {o.method} {o.path}
                </code>
              </a>{' '}
              – {String(o.op.summary ?? '')}
            </li>
          ))}
        </ul>
      </nav>
      {ops.map((o) => {
        const params = (o.op.parameters ?? []) as Json[];
        const responses = (o.op.responses ?? {}) as Record<string, Json>;
        return (
          <section key={slug(o)} aria-labelledby={slug(o)}>
            <h2 class="kern-heading-medium" id={slug(o)}>
              <code>
                {o.method} {o.path}
              </code>
            </h2>
            <p>{String(o.op.description ?? o.op.summary ?? '')}</p>
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
                          {p.required ? ' *' : ''}
                        </td>
                        <td class="kern-table__cell">{String(p.in)}</td>
                        <td class="kern-table__cell">{schemaType(p.schema as Json)}</td>
                        <td class="kern-table__cell">
                          {String(p.description ?? (p.schema as Json | undefined)?.description ?? '')}
                        </td>
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
          </section>
        );
      })}
    </Layout>
  );
}

export const apiDocsRoute =
  (getDoc: () => Json): FastifyPluginAsync =>
  async (app: FastifyInstance) => {
    app.get('/api/docs', { schema: { hide: true }, config: { access: 'public' } }, async (request, reply) =>
      sendHtml(reply, renderPage(<ApiDocsPage ctx={pageContext(request)} doc={getDoc()} />)),
    );
  };
