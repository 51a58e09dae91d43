// Who may do what. Routes declare the permission they need; roles grant permissions.

export const ROLES = ['owner', 'admin', 'team_leader', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'tickets:work', // read, create, reply to and update tickets and customers
  'reports:read', // team and CX reports
  'audit:read', // the audit log
  'team:manage', // teams and their members
  'agents:manage', // invite, change role, deactivate agents
  'settings:manage', // workspace settings, API tokens
  'events:write', // send touchpoints (Segment-compatible track/identify/batch) with an API token
  'kb:manage', // write, publish and restore knowledge-base articles and categories
  'customers:erase', // erase a customer's personal data for good (right to erasure)
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS,
  team_leader: ['tickets:work', 'reports:read', 'audit:read', 'kb:manage'],
  agent: ['tickets:work'],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** An admin may hand out any role but owner; only an owner makes owners. */
export function canGrantRole(actor: Role, target: Role): boolean {
  if (actor === 'owner') return true;
  if (actor === 'admin') return target !== 'owner';
  return false;
}
