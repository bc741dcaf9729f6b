import type { ProfileSection } from '../platform/module.js';

/**
 * The organisations module's part of a region's public profile: how to get into the region's workspace.
 * (Membership and pending requests are shown to the person concerned; see issue 8.)
 */
export function workspaceProfileSection(): ProfileSection {
  return {
    name: 'organisations.workspace',
    order: 10,
    render: async ({ region, ctx }) =>
      region.validTo ? null : (
        <p>
          <a class="kern-link" href={`/organisationen/beitreten?region=${region.key}`}>
            {ctx.t('org.request')}
          </a>
        </p>
      ),
  };
}
