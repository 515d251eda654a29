import type { LoginThrottlePolicy } from '../trial/index.ts';

/** Server settings; every field has a default (see {@link resolveServerConfig}). */
export interface ServerConfig {
  /** A session ends after this long without a request (default 30 minutes). */
  readonly sessionTimeoutMs: number;
  /**
   * `Secure` on the session cookie: `auto` (default) sets it when the request came over TLS (or, with
   * `trustProxy`, when the proxy says `X-Forwarded-Proto: https`); `always`/`never` force it.
   */
  readonly secureCookies: 'auto' | 'always' | 'never';
  /** Trust `X-Forwarded-*` headers from a reverse proxy (fastify's `trustProxy`; default false). */
  readonly trustProxy: boolean | string;
  /** Login throttling per account and per address (default 5 failures per 15 minutes, 15-minute lockout). */
  readonly loginThrottle: LoginThrottlePolicy;
  /** Largest request body in bytes (default 1 MiB). */
  readonly bodyLimit: number;
}

/** The defaults of {@link ServerConfig}. */
export const DEFAULT_SERVER_CONFIG: ServerConfig = {
  sessionTimeoutMs: 30 * 60_000,
  secureCookies: 'auto',
  trustProxy: false,
  loginThrottle: { maxFailures: 5, windowMs: 15 * 60_000, lockoutMs: 15 * 60_000 },
  bodyLimit: 1024 * 1024,
};

/**
 * The defaults overridden by what is given.
 *
 * @example
 * resolveServerConfig({ sessionTimeoutMs: 60_000 }).loginThrottle.maxFailures; // 5
 */
export function resolveServerConfig(config: Partial<ServerConfig> = {}): ServerConfig {
  return { ...DEFAULT_SERVER_CONFIG, ...config };
}
