import type { ClaimsAndScopeOverrideDetails } from 'aws-lambda';
import { SCOPE_ID_PATTERN } from '../../core/cycle-groups.js';

/**
 * The tenant contract between sign-in and the HTTP API: every token the
 * user pool issues carries the claim `upkeep_scope`, and the API handler
 * reads it from `requestContext.authorizer.jwt.claims`:
 *
 *   msp                 the MSP's own staff: every client
 *   client:<clientId>   one client's people or tools: that client only
 *
 * An administrator sets the user's attribute `custom:upkeep_scope`; users
 * cannot write it (the app client's write attributes leave it out). The
 * claim is only added for a value of one of these two forms, so a typo in
 * the attribute gives a token without a scope, which the API refuses,
 * rather than a scope nobody meant.
 */
export const SCOPE_ATTRIBUTE = 'custom:upkeep_scope';
export const SCOPE_CLAIM = 'upkeep_scope';
export const MSP_SCOPE = 'msp';
export const CLIENT_SCOPE_PREFIX = 'client:';

export type Scope = { kind: 'msp' } | { kind: 'client'; clientId: string };

/** The scope an attribute value stands for, or undefined if none. */
export function parseScope(value: string | undefined): Scope | undefined {
  if (value === MSP_SCOPE) return { kind: 'msp' };
  if (!value?.startsWith(CLIENT_SCOPE_PREFIX)) return undefined;

  const clientId = value.slice(CLIENT_SCOPE_PREFIX.length);
  return SCOPE_ID_PATTERN.test(clientId)
    ? { kind: 'client', clientId }
    : undefined;
}

export function scopeClaimValue(scope: Scope): string {
  return scope.kind === 'msp'
    ? MSP_SCOPE
    : `${CLIENT_SCOPE_PREFIX}${scope.clientId}`;
}

/**
 * What the trigger answers: the claim in both the ID and the access token
 * when the scope is known, and never the raw attribute, so that the claim
 * is the one place a scope is read from.
 */
export function scopeOverrides(
  scope: Scope | undefined,
): ClaimsAndScopeOverrideDetails {
  const claims: Record<string, string> = scope
    ? { [SCOPE_CLAIM]: scopeClaimValue(scope) }
    : {};
  return {
    idTokenGeneration: {
      claimsToAddOrOverride: claims,
      claimsToSuppress: [SCOPE_ATTRIBUTE],
    },
    accessTokenGeneration: { claimsToAddOrOverride: claims },
  };
}
