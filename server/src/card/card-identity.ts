import { z } from 'zod';
import { AppError } from '../errors';
import { parseInput } from '../http/parse-body';

/** Who asks about which ticket: read from the signed URL only, never from the body. */
export interface CardIdentity {
  portalId: number;
  ticketId: string;
  userId: number | null;
  userEmail: string | null;
}

const digits = (name: string) => z.string({ error: `${name} is required` }).trim().regex(/^\d+$/, `${name} must be digits`);

const querySchema = z.object({
  portalId: digits('portalId').transform(Number).pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)),
  ticketId: digits('ticketId').max(30),
  userId: digits('userId').transform(Number).pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).optional(),
  userEmail: z.string().trim().max(320).optional(),
});

/**
 * Reads the identity from the query of a verified (signed) request. The card puts portalId, userId and
 * userEmail in the URL itself and HubSpot's proxy may append the same names again; every copy is covered by
 * the signature, but copies that disagree mean someone built the URL by hand, so they are refused.
 */
// UNVERIFIED: whether hubspot.fetch appends userId/portalId/userEmail/appId itself (docs/hubspot-contract.md §4).
export function readCardIdentity(queries: (name: string) => string[] | undefined): CardIdentity {
  const single = (name: string): string | undefined => {
    const values = queries(name) ?? [];
    if (new Set(values).size > 1) throw new AppError('validation_failed', `${name} appears in the URL with different values`);
    return values[0];
  };
  const parsed = parseInput(
    { portalId: single('portalId'), ticketId: single('ticketId'), userId: single('userId'), userEmail: single('userEmail') },
    querySchema,
  );
  return {
    portalId: parsed.portalId,
    ticketId: parsed.ticketId,
    userId: parsed.userId ?? null,
    userEmail: parsed.userEmail || null,
  };
}
