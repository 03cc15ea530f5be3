import type { Timestamp } from '@opencx/shared';

/** A person who may manage one organization's settings (and its HubSpot connection). */
export interface Admin {
  id: string;
  organizationId: string;
  email: string;
  name: string | null;
  createdAt: Timestamp;
}

/** Why a sign-in link was not accepted; each gets its own sentence on the page. */
export type SignInLinkRefusal = 'unknown' | 'expired' | 'used';

/**
 * Admins, their one-time sign-in links and their sessions. Link and session tokens reach this store only as
 * SHA-256 hashes: the plaintext exists in the admin's hands (the link) and browser (the cookie), nowhere else.
 */
export interface AdminsStore {
  /** Throws AppError `conflict` when the organization already has an admin with that email. */
  createAdmin(admin: Admin): Promise<void>;
  getAdmin(id: string): Promise<Admin | null>;
  findAdminByEmail(organizationId: string, email: string): Promise<Admin | null>;
  /** Every admin with that email, across organizations (the CLI asks which organization when several). */
  listAdminsByEmail(email: string): Promise<Admin[]>;
  listAdmins(organizationId: string): Promise<Admin[]>;

  saveSignInLink(link: { tokenHash: string; adminId: string; expiresAt: Timestamp }, now: Timestamp): Promise<void>;
  /** Marks the link used and returns its admin, atomically: of two concurrent uses, exactly one wins. */
  consumeSignInLink(tokenHash: string, now: Timestamp): Promise<{ admin: Admin } | { refused: SignInLinkRefusal }>;

  createSession(session: { tokenHash: string; adminId: string; expiresAt: Timestamp }, now: Timestamp): Promise<void>;
  /** The signed-in admin, or null when the session is unknown or expired. */
  findSession(tokenHash: string, now: Timestamp): Promise<{ admin: Admin; expiresAt: Timestamp } | null>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Housekeeping: removes expired sessions and expired or used links. Returns how many rows went. */
  deleteExpired(now: Timestamp): Promise<number>;
}
