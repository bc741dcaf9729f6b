import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { pageContext, sendHtml } from '../platform/http/context.js';
import { renderPage } from '../platform/http/layout.js';
import type { ModuleDeps } from '../platform/module.js';
import { publishedResult } from './assessment.service.js';
import { CITY_STATES, LagebildView } from './lagebild.pages.js';
import { currentLagebild, lagebildContributions, mapBoundaries } from './lagebild.service.js';

/**
 * The public Lagebild page. (Taking the check: check.pages.tsx; the result, its exports and publication:
 * result.pages.tsx.)
 */
export const assessmentPages =
  (d: ModuleDeps, cache: LagebildPageCache): FastifyPluginAsync =>
  async (app: FastifyInstance) => {
    const { db } = d;
    const contributions = lagebildContributions(d);
    const pub = { config: { access: 'public' as const } };

    // The Lagebild page is the same for every anonymous visitor until the next release, boundary import or a
    // city state's (un)publishing:
    // keep the rendered HTML per language (the page has no parameters; other query strings do not create
    // cache entries). Every instance drops its copy when the release event reaches it.
    app.get('/lagebild', pub, async (request, reply) => {
      const ctx = pageContext(request);
      const key = request.auth ? null : ctx.lang;
      const cached = key ? cache.get(key) : undefined;
      if (cached) return sendHtml(reply, cached);
      const generation = cache.generation;
      const cities = Object.values(CITY_STATES).flat();
      const [lagebild, boundaries, published] = await Promise.all([
        currentLagebild(db, contributions),
        mapBoundaries(db),
        Promise.all(cities.map((ags) => publishedResult(db, ags))),
      ]);
      const cityResults = Object.fromEntries(cities.map((ags, i) => [ags, published[i] ?? null]));
      // Other modules' sections, from the figures stored with the release (none before their first release).
      const sections = contributions.map((c) => {
        const data = lagebild.contributions?.[c.name];
        return data === undefined ? null : c.render(data, ctx);
      });
      const html = renderPage(
        <LagebildView
          ctx={ctx}
          lagebild={lagebild}
          boundaries={boundaries}
          cityResults={cityResults}
          sections={sections}
        />,
      );
      if (key) cache.set(key, html, generation);
      return sendHtml(reply, html);
    });
  };

/** The rendered anonymous Lagebild page per language, dropped on every release (see module.ts). */
export class LagebildPageCache {
  private readonly pages = new Map<string, string>();
  /** Bumped on every clear, so a page rendered from older data is not stored after a release. */
  generation = 0;

  get(key: string) {
    return this.pages.get(key);
  }

  set(key: string, html: string, generation: number) {
    if (generation === this.generation) this.pages.set(key, html);
  }

  clear() {
    this.generation++;
    this.pages.clear();
  }

  get size() {
    return this.pages.size;
  }
}
