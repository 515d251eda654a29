import type { FastifyInstance } from 'fastify';
import {
  addDays,
  CONTACT_ACTIVITIES,
  CONTACT_MODES,
  CONTACT_PHASES,
  CONTACT_SETTINGS,
  type ContactRecord,
  can,
  daysBetween,
  type PeerWorkerAssignment,
  type User,
} from '../../trial/index.ts';
import { authorizeParticipant } from '../access.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { loadParticipant } from '../participant-view.ts';
import { idParams, participantParamsWith, reasonProperty, trialParams } from '../schemas.ts';
import { randomId } from '../secrets.ts';
import {
  DATE_SCHEMA,
  loadSnapshot,
  recordBody,
  recordNotFound,
  recordSchema,
  recordsOf,
  requireParticipantRole,
  requireRandomised,
  resourceIn,
  saveVersioned,
  type TrialSnapshot,
  todayOf,
  versionProperty,
} from '../workflow.ts';

/** Weekly community contact is expected after discharge, for this many days (4 months). */
export const CONTACT_PERIOD_DAYS = 122;
/** A contact is due this many days after the last one (or after discharge). */
export const CONTACT_INTERVAL_DAYS = 7;

const contactProperties = {
  contact_date: DATE_SCHEMA,
  phase: { type: 'string', enum: [...CONTACT_PHASES] },
  setting: { type: 'string', enum: [...CONTACT_SETTINGS] },
  mode: { type: 'string', enum: [...CONTACT_MODES] },
  minutes: { type: 'integer', minimum: 1, maximum: 1440 },
  activities: {
    type: 'array',
    items: { type: 'string', enum: CONTACT_ACTIVITIES.map((activity) => activity.id) },
    uniqueItems: true,
  },
  peer_worker_id: { type: 'string', minLength: 1, maxLength: 64 },
} as const;

interface ContactBody {
  contact_date: string;
  phase: ContactRecord['phase'];
  setting: ContactRecord['setting'];
  mode: ContactRecord['mode'];
  minutes: number;
  activities: ContactRecord['activities'];
  peer_worker_id?: string;
  version?: number;
  reason?: string;
}

/** One caseload row: a participant with an assignment, their contacts and when the next contact is due. */
function caseloadRow(snapshot: TrialSnapshot, participantId: string, today: string) {
  const records = snapshot.records.get(participantId);
  if (records === undefined) return undefined;
  const screening = snapshot.screenings.find((entry) => entry.data.participantId === participantId);
  const current = records.assignments.filter((assignment) => assignment.endDate === undefined);
  const contacts = [...records.contacts].sort((a, b) => a.contactDate.localeCompare(b.contactDate));
  const last = contacts.at(-1)?.contactDate;
  const discharge = records.discharge?.dischargeDate;
  const withdrawn =
    records.withdrawal !== undefined ||
    records.interventionWithdrawal !== undefined ||
    records.death !== undefined;
  let due: string | null = null;
  let reason: string | null = null;
  if (!withdrawn && current.length > 0) {
    if (discharge === undefined) {
      if (contacts.length === 0) {
        due = current[0]?.startDate ?? today;
        reason = 'first contact on the ward';
      }
    } else if (daysBetween(discharge, today) <= CONTACT_PERIOD_DAYS) {
      const from = last !== undefined && last > discharge ? last : discharge;
      due = addDays(from, CONTACT_INTERVAL_DAYS);
      reason = 'weekly contact after discharge';
    }
  }
  return {
    id: screening?.recordId ?? null,
    participant_id: participantId,
    site_id: records.participant.site,
    peer_worker_ids: current.map((assignment) => assignment.peerWorkerId),
    discharge_date: discharge ?? null,
    contacts: contacts.length,
    contacts_before_discharge: contacts.filter((contact) => contact.phase === 'before_discharge').length,
    contacts_after_discharge: contacts.filter((contact) => contact.phase === 'after_discharge').length,
    last_contact_date: last ?? null,
    next_contact_due: due,
    due_reason: reason,
    days_overdue: due === null ? null : Math.max(0, daysBetween(due, today)),
  };
}

const caseloadRowSchema = {
  type: 'object',
  properties: {
    id: { type: ['string', 'null'] },
    participant_id: { type: 'string' },
    site_id: { type: 'string' },
    peer_worker_ids: { type: 'array', items: { type: 'string' } },
    discharge_date: { type: ['string', 'null'] },
    contacts: { type: 'integer' },
    contacts_before_discharge: { type: 'integer' },
    contacts_after_discharge: { type: 'integer' },
    last_contact_date: { type: ['string', 'null'] },
    next_contact_due: { type: ['string', 'null'] },
    due_reason: { type: ['string', 'null'] },
    days_overdue: { type: ['integer', 'null'] },
  },
} as const;

/** The participants with an assignment whose contacts `user` may see (`view_contacts`), optionally one PW's. */
function visibleCaseload(snapshot: TrialSnapshot, user: User, peerWorkerId: string | undefined) {
  const ids: string[] = [];
  for (const screening of snapshot.screenings) {
    const participantId = screening.data.participantId;
    if (participantId === undefined) continue;
    const workers = snapshot.peerWorkers.get(participantId) ?? [];
    if (workers.length === 0) continue;
    if (peerWorkerId !== undefined && !workers.includes(peerWorkerId)) continue;
    if (!can(user, 'view_contacts', resourceIn(snapshot, screening.data))) continue;
    ids.push(participantId);
  }
  return ids;
}

/** The caseload rows the caller may see (own caseload, or own sites; optionally one peer worker), on `today`. */
function caseloadRows(snapshot: TrialSnapshot, user: User, peerWorkerId: string | undefined, today: string) {
  return visibleCaseload(snapshot, user, peerWorkerId)
    .map((participantId) => caseloadRow(snapshot, participantId, today))
    .filter((row) => row !== undefined);
}

/**
 * Peer support: assignments (coordinators), contacts (peer workers and coordinators), caseloads and the
 * contacts due. Only unblinded roles reach them (`assign_peer_worker`, `view_contacts`, `log_contact`):
 * their existence reveals the arm.
 */
export function registerPeerSupportRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store, clock, random } = context;

  async function participantFor(
    request: Parameters<typeof requireUser>[0],
    id: string,
    action: 'assign_peer_worker' | 'view_contacts' | 'log_contact',
  ) {
    const user = requireUser(request);
    const participant = await loadParticipant(store, id);
    authorizeParticipant(user, action, participant.resource, id);
    return { user, participant };
  }

  async function requirePeerWorker(peerWorkerId: string): Promise<void> {
    const worker = await store.findUserById(peerWorkerId);
    if (worker === undefined || worker.role !== 'peer_worker') {
      throw new HttpError(
        422,
        'unprocessable',
        `peer_worker_id requires a peer worker's user id (got "${peerWorkerId}")`,
        {
          issues: [{ path: 'peer_worker_id', message: 'is not a peer worker' }],
        },
      );
    }
  }

  // ---- assignments ----------------------------------------------------------------------------------
  app.post<{ Params: { id: string }; Body: { peer_worker_id: string; start_date: string } }>(
    '/api/participants/:id/assignments',
    {
      schema: {
        summary: 'Assign a peer worker to a randomised participant (coordinators)',
        tags: ['peer support'],
        params: idParams,
        body: {
          type: 'object',
          required: ['peer_worker_id', 'start_date'],
          additionalProperties: false,
          properties: {
            peer_worker_id: { type: 'string', minLength: 1, maxLength: 64 },
            start_date: DATE_SCHEMA,
          },
        },
        response: { 201: recordSchema() },
      },
    },
    async (request, reply) => {
      const { user, participant } = await participantFor(request, request.params.id, 'assign_peer_worker');
      const participantId = requireRandomised(participant, 'a peer worker assignment');
      await requirePeerWorker(request.body.peer_worker_id);
      const record: PeerWorkerAssignment = {
        assignmentId: randomId(random, 'A-'),
        participantId,
        peerWorkerId: request.body.peer_worker_id,
        startDate: request.body.start_date,
      };
      const saved = await saveVersioned(store, participant.trial, 'assignment', record, user, {});
      return reply.status(201).send(recordBody(saved));
    },
  );

  app.patch<{
    Params: { id: string; assignmentId: string };
    Body: { end_date: string; version: number; reason: string };
  }>(
    '/api/participants/:id/assignments/:assignmentId',
    {
      schema: {
        summary: 'End a peer worker assignment (version and reason required)',
        tags: ['peer support'],
        params: participantParamsWith('assignmentId', 100),
        body: {
          type: 'object',
          required: ['end_date', 'version', 'reason'],
          additionalProperties: false,
          properties: { end_date: DATE_SCHEMA, version: versionProperty, reason: reasonProperty },
        },
        response: { 200: recordSchema() },
      },
    },
    async (request) => {
      const { user, participant } = await participantFor(request, request.params.id, 'assign_peer_worker');
      const participantId = requireRandomised(participant, 'a peer worker assignment');
      const existing = await store.findRecord(
        participant.trial.trialId,
        'assignment',
        request.params.assignmentId,
      );
      if (existing === undefined || existing.data.participantId !== participantId) {
        throw recordNotFound('assignment', request.params.assignmentId);
      }
      const record = { ...existing.data, endDate: request.body.end_date };
      const saved = await saveVersioned(store, participant.trial, 'assignment', record, user, request.body);
      return recordBody(saved);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/participants/:id/assignments',
    {
      schema: {
        summary: "A participant's peer worker assignments (unblinded roles)",
        tags: ['peer support'],
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['assignments'],
            properties: { assignments: { type: 'array', items: recordSchema() } },
          },
        },
      },
    },
    async (request) => {
      const { participant } = await participantFor(request, request.params.id, 'view_contacts');
      const participantId = participant.screening.data.participantId;
      if (participantId === undefined) return { assignments: [] };
      const assignments = await recordsOf(store, participant.trial.trialId, 'assignment', participantId);
      return { assignments: assignments.map((record) => recordBody(record)) };
    },
  );

  // ---- contacts -------------------------------------------------------------------------------------
  app.post<{ Params: { id: string }; Body: ContactBody }>(
    '/api/participants/:id/contacts',
    {
      schema: {
        summary:
          'Log a peer worker contact (peer workers for their caseload; coordinators name the peer worker)',
        description:
          'A peer worker logs their own contacts (peer_worker_id must be absent or their own id). Others default to the current assignment.',
        tags: ['peer support'],
        params: idParams,
        body: {
          type: 'object',
          required: ['contact_date', 'phase', 'setting', 'mode', 'minutes', 'activities'],
          additionalProperties: false,
          properties: contactProperties,
        },
        response: { 201: recordSchema() },
      },
    },
    async (request, reply) => {
      const { user, participant } = await participantFor(request, request.params.id, 'log_contact');
      const participantId = requireRandomised(participant, 'a contact');
      const body = request.body;
      let peerWorkerId = body.peer_worker_id;
      if (user.role === 'peer_worker') {
        if (peerWorkerId !== undefined && peerWorkerId !== user.userId) {
          throw new HttpError(
            403,
            'forbidden',
            'log_contact requires your own peer_worker_id (got another peer worker)',
          );
        }
        peerWorkerId = user.userId;
      }
      if (peerWorkerId === undefined) {
        const current = (
          await recordsOf(store, participant.trial.trialId, 'assignment', participantId)
        ).filter((record) => record.data.endDate === undefined);
        peerWorkerId = current[0]?.data.peerWorkerId;
        if (peerWorkerId === undefined) {
          throw new HttpError(
            422,
            'unprocessable',
            'a contact requires peer_worker_id or a current assignment (got neither)',
            {
              issues: [{ path: 'peer_worker_id', message: 'is required: no current assignment' }],
            },
          );
        }
      } else if (peerWorkerId !== user.userId) {
        await requirePeerWorker(peerWorkerId);
      }
      const record: ContactRecord = {
        contactId: randomId(random, 'C-'),
        participantId,
        peerWorkerId,
        contactDate: body.contact_date,
        phase: body.phase,
        setting: body.setting,
        mode: body.mode,
        minutes: body.minutes,
        activities: body.activities,
      };
      const saved = await saveVersioned(store, participant.trial, 'contact', record, user, {});
      return reply.status(201).send(recordBody(saved));
    },
  );

  app.put<{ Params: { id: string; contactId: string }; Body: ContactBody }>(
    '/api/participants/:id/contacts/:contactId',
    {
      schema: {
        summary: 'Correct a contact (version and reason required)',
        tags: ['peer support'],
        params: participantParamsWith('contactId', 100),
        body: {
          type: 'object',
          required: [
            'contact_date',
            'phase',
            'setting',
            'mode',
            'minutes',
            'activities',
            'version',
            'reason',
          ],
          additionalProperties: false,
          properties: { ...contactProperties, version: versionProperty, reason: reasonProperty },
        },
        response: { 200: recordSchema() },
      },
    },
    async (request) => {
      const { user, participant } = await participantFor(request, request.params.id, 'log_contact');
      const participantId = requireRandomised(participant, 'a contact');
      const existing = await store.findRecord(participant.trial.trialId, 'contact', request.params.contactId);
      if (existing === undefined || existing.data.participantId !== participantId) {
        throw recordNotFound('contact', request.params.contactId);
      }
      if (user.role === 'peer_worker' && existing.data.peerWorkerId !== user.userId) {
        throw new HttpError(
          403,
          'forbidden',
          "log_contact requires a contact you logged (got another peer worker's)",
        );
      }
      const body = request.body;
      const record: ContactRecord = {
        ...existing.data,
        contactDate: body.contact_date,
        phase: body.phase,
        setting: body.setting,
        mode: body.mode,
        minutes: body.minutes,
        activities: body.activities,
      };
      const saved = await saveVersioned(store, participant.trial, 'contact', record, user, body);
      return recordBody(saved);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/participants/:id/contacts',
    {
      schema: {
        summary: "A participant's peer worker contacts, by date (unblinded roles)",
        tags: ['peer support'],
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['contacts'],
            properties: { contacts: { type: 'array', items: recordSchema() } },
          },
        },
      },
    },
    async (request) => {
      const { participant } = await participantFor(request, request.params.id, 'view_contacts');
      const participantId = participant.screening.data.participantId;
      if (participantId === undefined) return { contacts: [] };
      const contacts = await recordsOf(store, participant.trial.trialId, 'contact', participantId);
      contacts.sort((a, b) => a.data.contactDate.localeCompare(b.data.contactDate));
      return { contacts: contacts.map((record) => recordBody(record)) };
    },
  );

  const caseloadQuery = {
    type: 'object',
    additionalProperties: false,
    properties: {
      peer_worker_id: { type: 'string', minLength: 1, maxLength: 64 },
      on: DATE_SCHEMA,
    },
  } as const;

  app.get<{ Params: { trialId: string }; Querystring: { peer_worker_id?: string } }>(
    '/api/trials/:trialId/contacts',
    {
      schema: {
        summary:
          "Every contact on the caller's caseload (peer workers) or sites (coordinators); ?peer_worker_id= for one",
        tags: ['peer support'],
        params: trialParams,
        querystring: caseloadQuery,
        response: {
          200: {
            type: 'object',
            required: ['contacts'],
            properties: {
              contacts: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const snapshot = await loadSnapshot(store, request.params.trialId);
      requireParticipantRole(user, 'view_contacts', snapshot.locked);
      const contacts: Record<string, unknown>[] = [];
      for (const participantId of visibleCaseload(snapshot, user, request.query.peer_worker_id)) {
        const records = snapshot.records.get(participantId);
        for (const contact of records?.contacts ?? []) {
          contacts.push({
            contact_id: contact.contactId,
            participant_id: contact.participantId,
            site_id: records?.participant.site,
            peer_worker_id: contact.peerWorkerId,
            contact_date: contact.contactDate,
            phase: contact.phase,
            setting: contact.setting,
            mode: contact.mode,
            minutes: contact.minutes,
            activities: [...contact.activities],
          });
        }
      }
      contacts.sort((a, b) => String(a.contact_date).localeCompare(String(b.contact_date)));
      return { contacts };
    },
  );

  app.get<{ Params: { trialId: string }; Querystring: { peer_worker_id?: string; on?: string } }>(
    '/api/trials/:trialId/caseload',
    {
      schema: {
        summary:
          'The caseload: participants with a peer worker, contact counts and when the next contact is due',
        description:
          'Peer workers see their own caseload, coordinators their sites; ?peer_worker_id= narrows to one peer worker, ?on= sets the day (default today).',
        tags: ['peer support'],
        params: trialParams,
        querystring: caseloadQuery,
        response: {
          200: {
            type: 'object',
            required: ['on', 'participants'],
            properties: { on: { type: 'string' }, participants: { type: 'array', items: caseloadRowSchema } },
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const snapshot = await loadSnapshot(store, request.params.trialId);
      requireParticipantRole(user, 'view_contacts', snapshot.locked);
      const today = request.query.on ?? todayOf(clock);
      return { on: today, participants: caseloadRows(snapshot, user, request.query.peer_worker_id, today) };
    },
  );

  app.get<{ Params: { trialId: string }; Querystring: { peer_worker_id?: string; on?: string } }>(
    '/api/trials/:trialId/contacts/due',
    {
      schema: {
        summary:
          'Contacts due on or before the day: a first ward contact, then weekly for 4 months after discharge',
        tags: ['peer support'],
        params: trialParams,
        querystring: caseloadQuery,
        response: {
          200: {
            type: 'object',
            required: ['on', 'due'],
            properties: { on: { type: 'string' }, due: { type: 'array', items: caseloadRowSchema } },
          },
        },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const snapshot = await loadSnapshot(store, request.params.trialId);
      requireParticipantRole(user, 'view_contacts', snapshot.locked);
      const today = request.query.on ?? todayOf(clock);
      const due = caseloadRows(snapshot, user, request.query.peer_worker_id, today)
        .filter((row) => row.next_contact_due !== null && row.next_contact_due <= today)
        .sort((a, b) => String(a.next_contact_due).localeCompare(String(b.next_contact_due)));
      return { on: today, due };
    },
  );
}
