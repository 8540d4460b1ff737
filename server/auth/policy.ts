import { forbidden, notFound, unauthenticated } from '../errors';
import { Role } from '../modules/users/user.entity';

/** Who is asking: resolved from the token on every request, from the database (never trusted from the token). */
export interface Principal {
  userId: string;
  email: string;
  name: string;
  role: Role;
  /** The one city of a CITY_ADMIN, OPD_REPORTER or VIEWER; null for a PLATFORM_ADMIN or an EVALUATOR. */
  cityId: string | null;
  /** The cities this principal may read: its own city, or an evaluator's assigned cities. */
  cityIds: readonly string[];
  /** The OPD of an OPD_REPORTER. */
  opdId: string | null;
  /**
   * A meeting-room screen (a `pst_…` screen token, see `loadScreenPrincipal`): a VIEWER of one city
   * whose `userId` is `screen:<screenTokenId>` and matches no user. It reads; it never writes.
   */
  isScreen?: boolean;
}

/**
 * The access policy, in one place. Reading: a platform admin reads every city; everybody else
 * reads their own city. Writing: a platform admin manages cities; a city admin manages its city's
 * data; an OPD reporter reports progress and indicator values on its own OPD's action plans.
 * Another city's object is always NOT_FOUND, so existence never leaks.
 */
export const policy = {
  /** The principal, or UNAUTHENTICATED. */
  requireLogin(principal: Principal | null): Principal {
    if (!principal) throw unauthenticated();
    return principal;
  },

  /** Whether the principal is a meeting-room screen: read-only, one city. */
  isScreen(principal: Principal | null): boolean {
    return principal?.isScreen === true;
  },

  /**
   * Asserts the principal may write at all: a screen may not (FORBIDDEN), whatever the mutation.
   * `getSchema` runs this before every mutation, on top of each mutation's own checks.
   */
  assertMayWrite(principal: Principal | null): void {
    if (policy.isScreen(principal)) throw forbidden();
  },

  /** Whether the principal may read anything of a city. */
  canReadCity(this: void, principal: Principal, cityId: string): boolean {
    return principal.role === Role.PLATFORM_ADMIN || principal.cityIds.includes(cityId);
  },

  /** The ids of the cities a principal may read; `'all'` for a platform admin. */
  readableCityIds(principal: Principal): 'all' | string[] {
    if (principal.role === Role.PLATFORM_ADMIN) return 'all';
    return [...principal.cityIds];
  },

  /** Asserts read access to an object of a city; NOT_FOUND otherwise. */
  assertRead(principal: Principal | null, cityId: string, entity: string, id?: string): Principal {
    const p = policy.requireLogin(principal);
    if (!policy.canReadCity(p, cityId)) throw notFound(entity, id);
    return p;
  },

  /** Whether the principal may manage (create, update, archive) a city's data. */
  canManageCity(principal: Principal, cityId: string): boolean {
    if (principal.isScreen) return false;
    return principal.role === Role.PLATFORM_ADMIN || (principal.role === Role.CITY_ADMIN && principal.cityId === cityId);
  },

  /** Asserts the right to manage a city's data: NOT_FOUND for another city, FORBIDDEN within one's own city. */
  assertManage(principal: Principal | null, cityId: string, entity: string, id?: string): Principal {
    const p = policy.assertRead(principal, cityId, entity, id);
    if (!policy.canManageCity(p, cityId)) throw forbidden();
    return p;
  },

  /** Asserts the right to create or archive cities (platform admins only). */
  assertManageCities(principal: Principal | null): Principal {
    const p = policy.requireLogin(principal);
    if (p.role !== Role.PLATFORM_ADMIN || p.isScreen) throw forbidden();
    return p;
  },

  /** Whether the principal may report progress and indicator values on a plan of `cityId` owned by `ownerOpdId`. */
  canReport(principal: Principal, cityId: string, ownerOpdId: string): boolean {
    if (policy.canManageCity(principal, cityId)) return true;
    return !principal.isScreen && principal.role === Role.OPD_REPORTER && principal.cityId === cityId && principal.opdId === ownerOpdId;
  },

  /** Asserts the right to report on a plan. */
  assertReport(principal: Principal | null, cityId: string, ownerOpdId: string, entity: string, id?: string): Principal {
    const p = policy.assertRead(principal, cityId, entity, id);
    if (!policy.canReport(p, cityId, ownerOpdId)) throw forbidden();
    return p;
  },

  /**
   * Asserts the right to manage a user account: platform admins manage everyone; a city admin
   * manages its own city's OPD reporters and viewers. An existing user (`id` given) outside its
   * city is NOT_FOUND whatever its role, so it answers like an unknown id.
   */
  assertManageUser(principal: Principal | null, target: { role: Role; cityId: string | null }, id?: string): Principal {
    const p = policy.requireLogin(principal);
    if (p.isScreen) throw forbidden();
    if (p.role === Role.PLATFORM_ADMIN) return p;
    if (p.role !== Role.CITY_ADMIN) throw forbidden();
    // An existing user outside its city (another city's, of any role, or the platform admin) is
    // NOT_FOUND before its role is looked at: a city admin must not learn who exists elsewhere.
    // Within its own city, whose users it lists, a role it may not manage is FORBIDDEN.
    if (id !== undefined && target.cityId !== p.cityId) throw notFound('User', id);
    if (target.role !== Role.OPD_REPORTER && target.role !== Role.VIEWER) throw forbidden();
    if (target.cityId !== p.cityId) throw notFound('User', id);
    return p;
  },

  /** Asserts the right to create, list and revoke a city's screen tokens: whoever manages the city. */
  assertManageScreens(principal: Principal | null, cityId: string, id?: string): Principal {
    return policy.assertManage(principal, cityId, id ? 'ScreenToken' : 'City', id ?? cityId);
  },

  /**
   * Whether the principal may supply evidence (upload a file, add a link) to a city: whoever manages
   * it, and its OPD reporters (OPDs supply the data dukung).
   */
  canSupplyEvidence(principal: Principal, cityId: string): boolean {
    if (policy.canManageCity(principal, cityId)) return true;
    return !principal.isScreen && principal.role === Role.OPD_REPORTER && principal.cityId === cityId;
  },

  /**
   * Whether the principal may attach evidence to (or detach it from) something of a city owned by
   * `opdId` (a plan's owner OPD, an assessment item's responsible OPD): whoever manages the city,
   * or a reporter of that OPD.
   */
  canAttachEvidence(principal: Principal, cityId: string, opdId: string | null): boolean {
    if (policy.canManageCity(principal, cityId)) return true;
    return opdId !== null && policy.canReport(principal, cityId, opdId);
  },

  /** Whether the principal may read the audit log and the users of a city. */
  canAdministerCity(principal: Principal, cityId: string): boolean {
    return policy.canManageCity(principal, cityId);
  },

  /** The permissions a principal holds, named for clients that hide what the user cannot do. */
  permissions(principal: Principal): string[] {
    if (principal.isScreen) return ['city:read'];
    switch (principal.role) {
      case Role.PLATFORM_ADMIN:
        return [
          'cities:manage',
          'users:manage',
          'city:read',
          'city:manage',
          'city:audit',
          'city-screens:manage',
          'progress:report',
          'progress:verify',
          'cities:compare',
        ];
      case Role.CITY_ADMIN:
        return ['city:read', 'city:manage', 'city:audit', 'city-users:manage', 'city-screens:manage', 'progress:report', 'progress:verify'];
      case Role.OPD_REPORTER:
        return ['city:read', 'progress:report:own-opd'];
      case Role.VIEWER:
      case Role.EVALUATOR:
        // `cities:compare`: the national view is worth a page only with more than one city to compare.
        return principal.cityIds.length > 1 ? ['city:read', 'cities:compare'] : ['city:read'];
    }
  },
};
