import { parseArgs } from 'node:util';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import { listDeadLetters, parseSelection, settleDeadLetters } from '../operate/dead-letters';
import { addAdmin, createOrganizationWithAdmin, issueSignInLink, normalizeEmail, SIGN_IN_LINK_TTL_MS } from './provision';

type Deps = Pick<AppDeps, 'config' | 'store' | 'clock'>;

export const ADMIN_CLI_HELP = `OpenCX admin CLI (production): organizations, their admins, and one-time sign-in links.

Usage: npm run admin -- <command> [options]

  create-org  --name <organization> --admin-email <email> [--admin-name <name>] [--oauth-only]
              Creates an organization and its first admin, and prints a sign-in link.
  add-admin   --org <organization id> --email <email> [--name <name>]
              Adds an admin to an organization, and prints a sign-in link.
  sign-in-link --email <email> [--org <organization id>]
              Prints a new one-time sign-in link (valid ${SIGN_IN_LINK_TTL_MS / 60_000} minutes, single use).
  set-policy  --org <organization id> --oauth-only <yes|no>
              OAuth-only organizations never see the Private App (legacy) form, and the API refuses it.
  dead-letters --org <organization id> [--retry <all|event:ID|effect:ID>] [--discard <all|event:ID|effect:ID>]
              Lists the organization's events and effects that failed for good; retries or discards them.
  help        Shows this text.

It uses the server's configuration (DATABASE_PATH, TOKEN_ENCRYPTION_KEY, PUBLIC_BASE_URL, ...), so run it with the
same environment as the server. Sign-in links are secrets: hand them to the admin directly.`;

/** Runs one admin command; returns the process exit code. Output goes through `print`, never a log. */
export async function runAdminCli(argv: readonly string[], deps: Deps, print: (line: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  // --oauth-only is a flag when creating an organization, and takes yes|no when changing the policy.
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string' },
      'oauth-only': { type: command === 'set-policy' ? 'string' : 'boolean' },
      org: { type: 'string' },
      email: { type: 'string' },
      retry: { type: 'string' },
      discard: { type: 'string' },
    },
    allowPositionals: false,
    strict: true,
  });
  const need = (key: keyof typeof values): string => {
    const value = values[key];
    if (typeof value !== 'string' || value.trim() === '') throw new AppError('validation_failed', `--${key} is required (see: npm run admin -- help)`);
    return value.trim();
  };
  const printLink = async (adminId: string) => {
    const link = await issueSignInLink(deps, adminId);
    print(`Sign-in link (one use, until ${new Date(link.expiresAt).toISOString()}):`);
    print(`  ${link.url}`);
  };

  switch (command) {
    case 'create-org': {
      const oauthOnly = values['oauth-only'] === true;
      const { organization, admin } = await createOrganizationWithAdmin(deps, {
        organizationName: need('name'),
        adminEmail: need('admin-email'),
        ...(values['admin-name'] ? { adminName: values['admin-name'] } : {}),
        oauthOnly,
      });
      print(`Created organization ${organization.id} (${organization.name})${oauthOnly ? ', OAuth only' : ''} with admin ${admin.email}.`);
      await printLink(admin.id);
      return 0;
    }
    case 'add-admin': {
      const admin = await addAdmin(deps, { organizationId: need('org'), email: need('email'), ...(values.name ? { name: values.name } : {}) });
      print(`Added admin ${admin.email} to ${admin.organizationId}.`);
      await printLink(admin.id);
      return 0;
    }
    case 'sign-in-link': {
      const email = normalizeEmail(need('email'));
      const admins = (await deps.store.admins.listAdminsByEmail(email)).filter((a) => !values.org || a.organizationId === values.org);
      if (admins.length === 0) throw new AppError('not_found', `No admin ${email}${values.org ? ` in ${values.org}` : ''}`);
      if (admins.length > 1) {
        throw new AppError('conflict', `${email} administers several organizations (${admins.map((a) => a.organizationId).join(', ')}); add --org`);
      }
      await printLink(admins[0]!.id);
      return 0;
    }
    case 'set-policy': {
      const organizationId = need('org');
      const oauthOnly = parseYesNo(String(values['oauth-only'] ?? ''));
      if (!(await deps.store.organizations.updateSettings(organizationId, { oauthOnly }))) throw new AppError('not_found', `No organization ${organizationId}`);
      print(`${organizationId} is now ${oauthOnly ? 'OAuth only' : 'allowed to use a Private App token'}.`);
      return 0;
    }
    case 'dead-letters': {
      const organizationId = need('org');
      if (!(await deps.store.organizations.get(organizationId))) throw new AppError('not_found', `No organization ${organizationId}`);
      for (const action of ['retry', 'discard'] as const) {
        const which = values[action];
        if (typeof which !== 'string') continue;
        const count = await settleDeadLetters(deps, organizationId, action, parseSelection(which.trim()));
        print(`${action === 'retry' ? 'Retried' : 'Discarded'} ${count} dead letter${count === 1 ? '' : 's'}${action === 'retry' ? ' (a running server picks them up within seconds)' : ''}.`);
      }
      const letters = await listDeadLetters(deps, organizationId);
      if (letters.length === 0) print('No dead letters.');
      for (const d of letters) {
        print(`${d.kind}:${d.id}\t${new Date(d.failedAt).toISOString()}\t${d.what}\t${d.conversation ?? '-'}\t${d.attempts} attempts\t${d.lastError ?? ''}`);
      }
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      print(ADMIN_CLI_HELP);
      return 0;
    default:
      print(`Unknown command "${command}".\n\n${ADMIN_CLI_HELP}`);
      return 2;
  }
}

function parseYesNo(value: string): boolean {
  if (/^(yes|true|on|1)$/i.test(value)) return true;
  if (/^(no|false|off|0)$/i.test(value)) return false;
  throw new AppError('validation_failed', `expected yes or no, got "${value}"`);
}
