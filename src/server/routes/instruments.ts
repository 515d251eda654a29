import type { FastifyInstance } from 'fastify';
import { type InstrumentDefinition, InstrumentResponseError, scoreInstrument } from '../../trial/index.ts';
import { requireUser, type ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { trialParams } from '../schemas.ts';
import { anyObject, toSnake } from '../workflow.ts';

const instrumentParams = {
  type: 'object',
  required: ['trialId', 'instrumentId'],
  properties: {
    trialId: trialParams.properties.trialId,
    instrumentId: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

/** An instrument definition in snake_case (items, ranges, reverse scoring, subscales, scoring, threshold). */
export function instrumentBody(instrument: InstrumentDefinition) {
  return toSnake(instrument) as Record<string, unknown>;
}

/**
 * The trial's instruments as data (what the forms render) and the visit schedule, plus a score preview.
 * Any signed-in user may read them: they hold no participant data.
 */
export function registerInstrumentRoutes(app: FastifyInstance, context: ServerContext): void {
  const { store } = context;

  app.get<{ Params: { trialId: string } }>(
    '/api/trials/:trialId/instruments',
    {
      schema: {
        summary:
          'The instruments (items, ranges, reverse-scored items, subscales, scoring), baseline set and visits',
        tags: ['instruments'],
        params: trialParams,
        response: {
          200: {
            type: 'object',
            required: ['instruments', 'baseline_instruments', 'visits'],
            properties: {
              instruments: { type: 'array', items: anyObject },
              baseline_instruments: { type: 'array', items: { type: 'string' } },
              visits: { type: 'array', items: anyObject },
            },
          },
        },
      },
    },
    async (request) => {
      requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      return {
        instruments: trial.config.instruments.map(instrumentBody),
        baseline_instruments: [...trial.config.baselineInstruments],
        visits: trial.config.visits.map((visit) => toSnake(visit)),
      };
    },
  );

  app.get<{ Params: { trialId: string; instrumentId: string } }>(
    '/api/trials/:trialId/instruments/:instrumentId',
    {
      schema: {
        summary: 'One instrument definition',
        tags: ['instruments'],
        params: instrumentParams,
        response: { 200: anyObject },
      },
    },
    async (request) => {
      requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      return instrumentBody(findInstrument(trial.config.instruments, request.params.instrumentId));
    },
  );

  app.post<{
    Params: { trialId: string; instrumentId: string };
    Body: { responses: Record<string, number | null> };
  }>(
    '/api/trials/:trialId/instruments/:instrumentId/score',
    {
      schema: {
        summary:
          'Score item responses without saving them (a form preview): total, subscales, answered, prorated',
        tags: ['instruments'],
        params: instrumentParams,
        body: {
          type: 'object',
          required: ['responses'],
          additionalProperties: false,
          properties: {
            responses: {
              type: 'object',
              additionalProperties: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
            },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['total', 'subscales', 'answered', 'prorated'],
            properties: {
              total: { type: ['number', 'null'] },
              subscales: anyObject,
              answered: { type: 'integer' },
              items: { type: 'integer' },
              prorated: { type: 'boolean' },
            },
          },
        },
      },
    },
    async (request) => {
      requireUser(request);
      const trial = await store.getTrial(request.params.trialId);
      const instrument = findInstrument(trial.config.instruments, request.params.instrumentId);
      let score: ReturnType<typeof scoreInstrument>;
      try {
        score = scoreInstrument(instrument, request.body.responses);
      } catch (error) {
        if (!(error instanceof InstrumentResponseError)) throw error;
        throw new HttpError(422, error.code, error.message, {
          issues: error.problems.map((problem) => ({
            path: `responses.${problem.path.split('.').slice(1).join('.')}`,
            code: problem.code,
            message: problem.message,
          })),
        });
      }
      return {
        total: score.total ?? null,
        subscales: Object.fromEntries(
          Object.entries(score.subscales).map(([id, value]) => [id, value ?? null]),
        ),
        answered: score.answered,
        items: instrument.items.length,
        prorated: score.prorated,
      };
    },
  );
}

function findInstrument(instruments: readonly InstrumentDefinition[], id: string): InstrumentDefinition {
  const instrument = instruments.find((candidate) => candidate.id === id);
  if (instrument === undefined) {
    throw new HttpError(
      404,
      'not_found',
      `instrument "${id}" requires a configured instrument (got none; configured: ${instruments.map((item) => item.id).join(', ')})`,
    );
  }
  return instrument;
}
