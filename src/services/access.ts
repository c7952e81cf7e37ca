/**
 * Who is calling and what they may do. The API sits behind the product's gateway, which
 * authenticates listeners and forwards their id; admin rights come from the admin token.
 */
import { ForbiddenError } from '../domain/errors.js';

export interface Viewer {
  /** The listener the request acts for, if any. */
  userId?: string;
  isAdmin: boolean;
}

export const ANONYMOUS: Viewer = { isAdmin: false };
export const ADMIN: Viewer = { isAdmin: true };

/** Admins may act for anyone; a listener only for themself. */
export function assertCanActFor(viewer: Viewer, userId: string): void {
  if (viewer.isAdmin || viewer.userId === userId) return;
  throw new ForbiddenError(
    viewer.userId
      ? `the caller (user "${viewer.userId}") may not act for user "${userId}"`
      : `acting for user "${userId}" needs that user's identity (x-user-id header) or the admin token`,
  );
}

export function assertAdmin(viewer: Viewer, operation: string): void {
  if (!viewer.isAdmin) throw new ForbiddenError(`${operation} is an admin operation: send the admin token as "Authorization: Bearer <token>"`);
}
