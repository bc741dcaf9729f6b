/** What other modules may use of the organisations module. */

export { orgById } from './organisations.query.js';
export type { Actor, MemberRole, OrgRow, Permissions } from './organisations.service.js';
export {
  loadPrincipal,
  makeAdvisor,
  myOrganisations,
  permissionsOf,
  requestAccess,
  workspaceResource,
} from './organisations.service.js';
