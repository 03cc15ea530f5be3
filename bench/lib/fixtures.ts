// What the runner, the sandbox child and the seeding child agree on: the app, the portals and tickets the
// sandbox created, and what the seeder puts in a database.

export interface BenchApp {
  appId: number;
  clientId: string;
  clientSecret: string;
}

export interface SandboxSpec {
  app: BenchApp;
  port: number;
  portals: number;
  firstPortalId: number;
  /** Tickets in the first portal, which the scenarios' load goes to. */
  tickets: number;
  fixturesPath: string;
}

export interface PortalFixture {
  portalId: number;
  userId: number;
  ownerId: string;
  email: string;
  /** The user's name, as the settings page shows it when an admin picks the AI sender. */
  userName: string;
  hubDomain: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface TicketFixture {
  portalId: number;
  ticketId: string;
}

export interface SandboxFixtures {
  portals: PortalFixture[];
  tickets: TicketFixture[];
}

export interface SeedSpec {
  databasePath: string;
  dataDir: string;
  tokenEncryptionKey: string;
  fixturesPath: string;
  /**
   * Organizations with an OAuth connection: the first `portals` sandbox portals. Every sandbox ticket (all in the
   * first portal) gets an open chat session and an active ticket link; every other portal gets one of each too.
   */
  portals: number;
  /** Webhook events already processed (status done) in the inbox, as after months of traffic. */
  storedEvents: number;
}

export interface SeedReport {
  portals: number;
  sessions: number;
  storedEvents: number;
  ms: number;
  databaseMb: number;
}

/** Session ids derive from the ticket so that the runner knows them without reading the database. */
export const sessionIdFor = (ticket: TicketFixture): string => `bench_ses_${ticket.portalId}_${ticket.ticketId}`;
export const organizationIdFor = (portalId: number): string => `bench_org_${portalId}`;
