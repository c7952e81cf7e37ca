/**
 * Who a request is from. Mixtape runs behind the product's gateway, which authenticates
 * listeners and forwards their id in `x-user-id`; the admin token (Authorization: Bearer …)
 * grants admin rights. Without a configured token, outside production, every request is
 * admin: a local sandbox needs no credentials.
 */
import { timingSafeEqual } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Viewer } from '../services/access.js';
import { ID_PATTERN } from '../services/validation.js';

export interface ViewerPolicy {
  adminToken?: string;
  openSandbox: boolean;
}

type Headers = Record<string, string | string[] | undefined> | Map<string, string>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers instanceof Map ? headers.get(name) : headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function viewerFromHeaders(headers: Headers, policy: ViewerPolicy): Viewer {
  const userId = header(headers, 'x-user-id')?.trim() || undefined;
  if (userId !== undefined && !ID_PATTERN.test(userId)) {
    throw unauthenticated('the x-user-id header is not a valid user id');
  }
  const authorization = header(headers, 'authorization');
  if (authorization !== undefined) {
    const token = /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim();
    if (!token || !policy.adminToken || !sameSecret(token, policy.adminToken)) {
      throw unauthenticated('the Authorization header does not carry a valid admin token');
    }
    return { userId, isAdmin: true };
  }
  return { userId, isAdmin: policy.openSandbox && !policy.adminToken };
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}
