import type { Organization } from '@opencx/shared';

export type OrganizationSettings = Partial<Pick<Organization, 'name' | 'oauthOnly' | 'unassignPolicy'>>;

export interface OrganizationsStore {
  create(organization: Organization): Promise<void>;
  get(id: string): Promise<Organization | null>;
  /** Returns false when the organization does not exist. */
  updateSettings(id: string, settings: OrganizationSettings): Promise<boolean>;
  /** Null restores the default message; an empty string sends none. False when the organization does not exist. */
  setHandoffMessage(id: string, message: string | null): Promise<boolean>;
}
