import type { SignatureSettings } from '@opencx/shared';

export interface SignaturesStore {
  /** Null when the organization never saved a signature (callers treat that as disabled). */
  get(organizationId: string): Promise<SignatureSettings | null>;
  save(settings: SignatureSettings): Promise<void>;
}
