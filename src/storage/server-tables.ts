import type { Kysely } from 'kysely';
import type {
  AuthSession,
  ChangeContext,
  EmployerType,
  LoginLockout,
  LoginThrottlePolicy,
  RandomisationRecord,
  Site,
  StoreActor,
  StoredRecordKind,
  TrialConfig,
  User,
} from '../trial/index.ts';
import {
  createRandomisationState,
  EMPLOYER_TYPES,
  randomisationConfigOf,
  validateTrialConfig,
} from '../trial/index.ts';
import { canonicalJson } from './canonical-json.ts';
import { StorageError } from './errors.ts';
import type { DatabaseSchema } from './schema.ts';
import { requireUnlockedTrialRow } from './trial-guards.ts';

type Db = Kysely<DatabaseSchema>;

/** What the server tables need from the store: its connection, clock and serialised, audited writes. */
export interface ServerTablesContext {
  readonly db: Db;
  readonly dialect: 'sqlite' | 'postgres';
  readonly now: () => Date;
  readonly write: <T>(
    actor: StoreActor,
    body: (context: {
      readonly db: Db;
      readonly at: string;
      audit(entry: {
        trialId: string | null;
        action: string;
        entity: string;
        recordId: string | null;
        field: string | null;
        oldValue: unknown;
        newValue: unknown;
        reason: string | null;
      }): Promise<void>;
    }) => Promise<T>,
  ) => Promise<T>;
}

/** The actor recorded for what the server does by itself (login lockouts and their end). */
export const SYSTEM_ACTOR: StoreActor = { userId: 'system', role: 'admin' };

const SITE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** @throws StorageError `store_record_invalid` for an employer type other than nhs or voluntary. */
function checkEmployerType(value: unknown): void {
  if (value !== undefined && !(EMPLOYER_TYPES as readonly unknown[]).includes(value)) {
    throw new StorageError(
      'store_record_invalid',
      `site employer type requires ${EMPLOYER_TYPES.join(' or ')} (got ${JSON.stringify(value)})`,
    );
  }
}

function toSite(row: {
  trial_id: string;
  site_id: string;
  name: string;
  employer_type: string | null;
  created_at: string;
}): Site {
  return {
    trialId: row.trial_id,
    siteId: row.site_id,
    name: row.name,
    ...(row.employer_type === null ? {} : { employerType: row.employer_type as EmployerType }),
    createdAt: row.created_at,
  };
}

function toUser(row: { user_id: string; username: string; role: string; sites: string }): User {
  return {
    userId: row.user_id,
    username: row.username,
    role: row.role as User['role'],
    sites: JSON.parse(row.sites) as string[],
  };
}

/**
 * The TrialStore methods the HTTP server adds (migration `0002_server`): sites, sessions and API tokens,
 * login throttling. Sessions and throttling live in the database so that several server instances share
 * them. Session writes are plain single-statement writes (no audit, no global lock); sites and lockouts go
 * through the store's serialised, audited `write`.
 *
 * @example
 * const store = { ...base, ...createServerTables({ db, dialect, now, write }) };
 */
export function createServerTables(context: ServerTablesContext) {
  const { db, write } = context;

  return {
    async createSite(
      trialId: string,
      site: { readonly siteId: string; readonly name: string; readonly employerType?: EmployerType },
      change: ChangeContext,
    ): Promise<Site> {
      if (typeof site.siteId !== 'string' || !SITE_ID.test(site.siteId)) {
        throw new StorageError(
          'store_record_invalid',
          `site id requires 1-64 letters, digits, _ or - starting with a letter or digit (got ${JSON.stringify(site.siteId)})`,
        );
      }
      if (typeof site.name !== 'string' || site.name.trim() === '') {
        throw new StorageError('store_record_invalid', 'site name requires non-empty text (got none)');
      }
      checkEmployerType(site.employerType);
      return write(change.actor, async (tx) => {
        const trial = requireUnlockedTrialRow(
          trialId,
          await tx.db.selectFrom('trials').selectAll().where('trial_id', '=', trialId).executeTakeFirst(),
        );
        const taken = await tx.db
          .selectFrom('sites')
          .select('site_id')
          .where('trial_id', '=', trialId)
          .where('site_id', '=', site.siteId)
          .executeTakeFirst();
        if (taken !== undefined) {
          throw new StorageError(
            'store_conflict',
            `site "${site.siteId}" requires an id not yet used in trial "${trialId}"`,
          );
        }
        const config = JSON.parse(trial.config) as TrialConfig;
        const siteFactor = config.factors.find((factor) => factor.name === 'site');
        if (siteFactor !== undefined && !siteFactor.levels.includes(site.siteId)) {
          if (trial.settings_locked_at !== null) {
            throw new StorageError(
              'store_settings_locked',
              `site "${site.siteId}" requires one of the site factor's levels (${siteFactor.levels.join(', ')}): the randomisation settings are locked since the first allocation at ${trial.settings_locked_at}`,
            );
          }
          const factors = config.factors.map((factor) =>
            factor === siteFactor ? { ...factor, levels: [...factor.levels, site.siteId] } : factor,
          );
          const next: TrialConfig = { ...config, factors };
          validateTrialConfig(next);
          await tx.db
            .updateTable('trials')
            .set({ config: canonicalJson(next) })
            .where('trial_id', '=', trialId)
            .execute();
          await tx.db
            .updateTable('randomisation_states')
            .set({
              state: JSON.stringify(createRandomisationState(randomisationConfigOf(next))),
              updated_at: tx.at,
            })
            .where('trial_id', '=', trialId)
            .execute();
          await tx.audit({
            trialId,
            action: 'update',
            entity: 'trial',
            recordId: trialId,
            field: 'config.factors',
            oldValue: config.factors,
            newValue: factors,
            reason: `site ${site.siteId} added`,
          });
        }
        const row = {
          trial_id: trialId,
          site_id: site.siteId,
          name: site.name.trim(),
          employer_type: site.employerType ?? null,
          created_at: tx.at,
          created_by: change.actor.userId,
        };
        await tx.db.insertInto('sites').values(row).execute();
        for (const [field, value] of [
          ['name', row.name],
          ['employer_type', row.employer_type],
        ] as const) {
          if (value === null) continue;
          await tx.audit({
            trialId,
            action: 'create',
            entity: 'site',
            recordId: site.siteId,
            field,
            oldValue: undefined,
            newValue: value,
            reason: change.reason ?? null,
          });
        }
        return toSite(row);
      });
    },

    async updateSite(
      trialId: string,
      siteId: string,
      changes: { readonly name?: string; readonly employerType?: EmployerType },
      change: ChangeContext,
    ): Promise<Site> {
      if (changes.name !== undefined && (typeof changes.name !== 'string' || changes.name.trim() === '')) {
        throw new StorageError('store_record_invalid', 'site name requires non-empty text (got none)');
      }
      checkEmployerType(changes.employerType);
      const reason = change.reason?.trim() ?? '';
      if (reason === '') {
        throw new StorageError(
          'store_reason_required',
          `changing site "${siteId}" requires a reason for the change (got none)`,
        );
      }
      return write(change.actor, async (tx) => {
        requireUnlockedTrialRow(
          trialId,
          await tx.db
            .selectFrom('trials')
            .select(['locked_at', 'locked_by'])
            .where('trial_id', '=', trialId)
            .executeTakeFirst(),
        );
        const row = await tx.db
          .selectFrom('sites')
          .selectAll()
          .where('trial_id', '=', trialId)
          .where('site_id', '=', siteId)
          .executeTakeFirst();
        if (row === undefined) {
          throw new StorageError(
            'store_not_found',
            `site "${siteId}" requires an existing site of trial "${trialId}" (got none)`,
          );
        }
        const next = {
          name: changes.name === undefined ? row.name : changes.name.trim(),
          employer_type: changes.employerType ?? row.employer_type,
        };
        for (const field of ['name', 'employer_type'] as const) {
          if (next[field] === row[field]) continue;
          await tx.audit({
            trialId,
            action: 'update',
            entity: 'site',
            recordId: siteId,
            field,
            oldValue: row[field] ?? undefined,
            newValue: next[field],
            reason,
          });
        }
        await tx.db
          .updateTable('sites')
          .set(next)
          .where('trial_id', '=', trialId)
          .where('site_id', '=', siteId)
          .execute();
        return toSite({ ...row, ...next });
      });
    },

    async listSites(trialId: string): Promise<Site[]> {
      const rows = await db
        .selectFrom('sites')
        .selectAll()
        .where('trial_id', '=', trialId)
        .orderBy('site_id')
        .execute();
      return rows.map(toSite);
    },

    async findRandomisation(
      trialId: string,
      participantId: string,
    ): Promise<RandomisationRecord | undefined> {
      const row = await db
        .selectFrom('allocations')
        .selectAll()
        .where('trial_id', '=', trialId)
        .where('participant_id', '=', participantId)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        participantId: row.participant_id,
        sequence: Number(row.sequence),
        randomisedDate: row.randomised_date,
        randomisedAt: row.randomised_at,
        randomisedBy: row.randomised_by,
        strata: JSON.parse(row.strata) as Record<string, string>,
        method: row.method as RandomisationRecord['method'],
        arm: row.arm,
      };
    },

    async findTrialsWithRecord(kind: StoredRecordKind, recordId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('records')
        .select('trial_id')
        .where('kind', '=', kind)
        .where('record_id', '=', recordId)
        .orderBy('trial_id')
        .execute();
      return rows.map((row) => row.trial_id);
    },

    async findUserById(userId: string): Promise<User | undefined> {
      const row = await db.selectFrom('users').selectAll().where('user_id', '=', userId).executeTakeFirst();
      return row === undefined ? undefined : toUser(row);
    },

    async listUsers(): Promise<User[]> {
      const rows = await db.selectFrom('users').selectAll().orderBy('username').execute();
      return rows.map(toUser);
    },

    async createSession(session: AuthSession): Promise<void> {
      await db
        .insertInto('auth_sessions')
        .values({
          token_hash: session.tokenHash,
          kind: session.kind,
          user_id: session.userId,
          csrf_hash: session.csrfHash,
          created_at: session.createdAt,
          last_seen_at: session.lastSeenAt,
        })
        .execute();
    },

    async findSession(tokenHash: string): Promise<{ session: AuthSession; user: User } | undefined> {
      const row = await db
        .selectFrom('auth_sessions')
        .innerJoin('users', 'users.user_id', 'auth_sessions.user_id')
        .select([
          'auth_sessions.token_hash',
          'auth_sessions.kind',
          'auth_sessions.csrf_hash',
          'auth_sessions.created_at',
          'auth_sessions.last_seen_at',
          'users.user_id',
          'users.username',
          'users.role',
          'users.sites',
        ])
        .where('auth_sessions.token_hash', '=', tokenHash)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        session: {
          tokenHash: row.token_hash,
          kind: row.kind as AuthSession['kind'],
          userId: row.user_id,
          csrfHash: row.csrf_hash,
          createdAt: row.created_at,
          lastSeenAt: row.last_seen_at,
        },
        user: toUser(row),
      };
    },

    async touchSession(tokenHash: string, at: string): Promise<void> {
      await db
        .updateTable('auth_sessions')
        .set({ last_seen_at: at })
        .where('token_hash', '=', tokenHash)
        .where('last_seen_at', '<', at)
        .execute();
    },

    async deleteSession(tokenHash: string): Promise<void> {
      await db.deleteFrom('auth_sessions').where('token_hash', '=', tokenHash).execute();
    },

    async recordLoginFailure(keys: readonly string[], policy: LoginThrottlePolicy): Promise<LoginLockout[]> {
      return write(SYSTEM_ACTOR, async (tx) => {
        const now = new Date(tx.at).getTime();
        const since = new Date(now - policy.windowMs).toISOString();
        const lockouts: LoginLockout[] = [];
        for (const key of keys) {
          await tx.db.insertInto('login_failures').values({ key, at: tx.at }).execute();
          const active = await tx.db
            .selectFrom('login_lockouts')
            .select('until')
            .where('key', '=', key)
            .where('until', '>', tx.at)
            .executeTakeFirst();
          if (active !== undefined) continue;
          const counted = await tx.db
            .selectFrom('login_failures')
            .select((eb) => eb.fn.countAll().as('failures'))
            .where('key', '=', key)
            .where('at', '>=', since)
            .executeTakeFirstOrThrow();
          const failures = Number(counted.failures);
          if (failures < policy.maxFailures) continue;
          const lockout = {
            key,
            lockedAt: tx.at,
            until: new Date(now + policy.lockoutMs).toISOString(),
          };
          await tx.db
            .insertInto('login_lockouts')
            .values({ key, locked_at: lockout.lockedAt, until: lockout.until, ended_at: null })
            .execute();
          await tx.audit({
            trialId: null,
            action: 'lockout',
            entity: 'login',
            recordId: key,
            field: 'until',
            oldValue: undefined,
            newValue: lockout.until,
            reason: `${failures} failed logins within ${Math.round(policy.windowMs / 60_000)} minutes`,
          });
          lockouts.push(lockout);
        }
        return lockouts;
      });
    },

    async findLoginLockout(keys: readonly string[]): Promise<LoginLockout | undefined> {
      if (keys.length === 0) return undefined;
      const at = context.now().toISOString();
      const rows = await db
        .selectFrom('login_lockouts')
        .selectAll()
        .where('key', 'in', [...keys])
        .where('ended_at', 'is', null)
        .execute();
      const ended = rows.filter((row) => row.until <= at);
      if (ended.length > 0) {
        await write(SYSTEM_ACTOR, async (tx) => {
          for (const row of ended) {
            // Another instance may have closed it already; only the first one audits the end.
            const closed = await tx.db
              .updateTable('login_lockouts')
              .set({ ended_at: tx.at })
              .where('key', '=', row.key)
              .where('locked_at', '=', row.locked_at)
              .where('ended_at', 'is', null)
              .executeTakeFirst();
            if (Number(closed.numUpdatedRows) === 0) continue;
            await tx.db
              .deleteFrom('login_failures')
              .where('key', '=', row.key)
              .where('at', '<', row.until)
              .execute();
            await tx.audit({
              trialId: null,
              action: 'lockout_end',
              entity: 'login',
              recordId: row.key,
              field: 'until',
              oldValue: row.until,
              newValue: undefined,
              reason: 'lockout period over',
            });
          }
        });
      }
      const active = rows
        .filter((row) => row.until > at)
        .sort((left, right) => (left.until < right.until ? 1 : -1))[0];
      return active === undefined
        ? undefined
        : { key: active.key, lockedAt: active.locked_at, until: active.until };
    },

    async clearLoginFailures(key: string): Promise<void> {
      await db.deleteFrom('login_failures').where('key', '=', key).execute();
    },
  };
}
