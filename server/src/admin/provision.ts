import { randomUUID } from 'node:crypto';
import type { Organization } from '@opencx/shared';
import { z } from 'zod';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Admin } from '../store/admins.store';
import { createSecretToken, hashSecretToken } from './secret-token';

/** Short, because a link is a password sent in the clear (a terminal, a chat); single-use for the same reason. */
export const SIGN_IN_LINK_TTL_MS = 15 * 60_000;
export const SIGN_IN_PATH = '/admin/sign-in';

type Deps = Pick<AppDeps, 'config' | 'store' | 'clock'>;

const emailSchema = z.string().trim().toLowerCase().pipe(z.email({ error: 'must be an email address' }));

export function normalizeEmail(email: string): string {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) throw new AppError('validation_failed', `"${email}" is not an email address`);
  return parsed.data;
}

/** A one-time link that signs `adminId` in. Only the hash of its token is stored. */
export async function issueSignInLink(deps: Deps, adminId: string, ttlMs = SIGN_IN_LINK_TTL_MS): Promise<{ url: string; expiresAt: number }> {
  const token = createSecretToken();
  const now = deps.clock.now();
  const expiresAt = now + ttlMs;
  await deps.store.admins.saveSignInLink({ tokenHash: hashSecretToken(token), adminId, expiresAt }, now);
  return { url: `${deps.config.publicBaseUrl}${SIGN_IN_PATH}?token=${token}`, expiresAt };
}

export async function createOrganizationWithAdmin(
  deps: Deps,
  input: { organizationName: string; adminEmail: string; adminName?: string; oauthOnly?: boolean; organizationId?: string },
): Promise<{ organization: Organization; admin: Admin }> {
  const name = input.organizationName.trim();
  if (!name) throw new AppError('validation_failed', 'The organization needs a name');
  const email = normalizeEmail(input.adminEmail);
  const now = deps.clock.now();
  const organization: Organization = {
    id: input.organizationId ?? `org_${randomUUID()}`,
    name,
    oauthOnly: input.oauthOnly ?? false,
    unassignPolicy: 'stay_paused',
    createdAt: now,
  };
  const admin: Admin = { id: `adm_${randomUUID()}`, organizationId: organization.id, email, name: input.adminName?.trim() || null, createdAt: now };
  await deps.store.transaction(async (tx) => {
    await tx.organizations.create(organization);
    await tx.admins.createAdmin(admin);
  });
  return { organization, admin };
}

export async function addAdmin(deps: Deps, input: { organizationId: string; email: string; name?: string }): Promise<Admin> {
  if (!(await deps.store.organizations.get(input.organizationId))) throw new AppError('not_found', `No organization ${input.organizationId}`);
  const admin: Admin = {
    id: `adm_${randomUUID()}`,
    organizationId: input.organizationId,
    email: normalizeEmail(input.email),
    name: input.name?.trim() || null,
    createdAt: deps.clock.now(),
  };
  await deps.store.admins.createAdmin(admin);
  return admin;
}

export const DEMO_ORGANIZATION_ID = 'org_demo';
export const DEMO_ADMIN_EMAIL = 'admin@demo.opencx.local';

/** `npm start`: the demo organization and its admin, created on the first run and reused afterwards. */
export async function ensureDemoAdmin(deps: Deps): Promise<{ organization: Organization; admin: Admin; created: boolean }> {
  const existing = await deps.store.organizations.get(DEMO_ORGANIZATION_ID);
  if (existing) {
    const admin = await deps.store.admins.findAdminByEmail(DEMO_ORGANIZATION_ID, DEMO_ADMIN_EMAIL);
    if (admin) return { organization: existing, admin, created: false };
    return { organization: existing, admin: await addAdmin(deps, { organizationId: existing.id, email: DEMO_ADMIN_EMAIL }), created: true };
  }
  const made = await createOrganizationWithAdmin(deps, {
    organizationId: DEMO_ORGANIZATION_ID,
    organizationName: 'Demo organization',
    adminEmail: DEMO_ADMIN_EMAIL,
    adminName: 'Demo Admin',
  });
  return { ...made, created: true };
}
