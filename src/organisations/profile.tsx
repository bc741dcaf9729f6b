import type { ModuleDeps, ProfileSection } from '../platform/module.js';
import { PendingText } from './organisations.pages.js';
import { standingAt } from './organisations.service.js';

/**
 * The organisations module's part of a region's public profile: how to get into the region's workspace. A
 * member is offered the way to the workspace, someone whose request is open sees that it waits and for whom —
 * neither is offered a second request. (The profile shows one key per town hall: a kreisfreie Stadt's Kreis
 * record redirects to its Gemeinde, whose key the workspace carries.)
 */
export function workspaceProfileSection(d: Pick<ModuleDeps, 'db'>): ProfileSection {
  return {
    name: 'organisations.workspace',
    order: 10,
    render: async ({ region, ctx, user }) => {
      if (region.validTo) return null;
      const standing = user ? await standingAt(d.db, user.id, region.key) : { kind: 'none' as const };
      if (standing.kind === 'member') {
        return (
          <p>
            {ctx.t('org.memberOf')}{' '}
            <a class="kern-link" href={`/organisationen/${standing.orgId}`}>
              {ctx.t('org.toWorkspace')}
            </a>
          </p>
        );
      }
      if (standing.kind === 'pending') {
        return (
          <p class="pending-request">
            <PendingText ctx={ctx} since={standing.since} deciders={standing.deciders} regionKey={region.key} />
          </p>
        );
      }
      return (
        <p>
          <a class="kern-link" href={`/organisationen/beitreten?region=${region.key}`}>
            {ctx.t('org.request')}
          </a>
        </p>
      );
    },
  };
}
