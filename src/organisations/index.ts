/** What other modules may use of the organisations module. */

export type { Actor, MemberRole, OrgDeps, OrgRow, Permissions } from './organisations.service.js';
export {
  invite,
  loadPrincipal,
  makeAdvisor,
  myOrganisations,
  orgById,
  permissionsOf,
  requestAccess,
  workspaceResource,
} from './organisations.service.js';
