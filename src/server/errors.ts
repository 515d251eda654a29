import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { StorageError } from '../storage/index.ts';
import { DatasetError, RandomisationError, RecordValidationError, TrialConfigError } from '../trial/index.ts';

/** One problem with a request: where (`path`, e.g. `age` or `exclusions.0`) and what. */
export interface RequestIssue {
  readonly path: string;
  readonly message: string;
  readonly code?: string;
}

/** The body of every error response: `{ error: { code, message, issues? } }`. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly issues?: readonly RequestIssue[];
  };
}

/**
 * An error a route raises on purpose, answered with `status` and `{ error: { code, message, issues? } }`
 * (`extra` adds top-level keys, e.g. the contract's `issues` for an ineligible participant).
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: readonly RequestIssue[] | undefined;
  readonly extra: Readonly<Record<string, unknown>> | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;
  constructor(
    status: number,
    code: string,
    message: string,
    options: {
      issues?: readonly RequestIssue[];
      extra?: Readonly<Record<string, unknown>>;
      headers?: Readonly<Record<string, string>>;
    } = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.issues = options.issues;
    this.extra = options.extra;
    this.headers = options.headers;
  }
}

/** Every error code the server itself answers with (docs/reference/errors.md lists them). */
export const SERVER_ERROR_CODES = [
  { code: 'request_invalid', status: 400, when: 'a body, parameter or query that fails the route schema' },
  { code: 'authentication_required', status: 401, when: 'no valid session cookie or bearer token' },
  { code: 'login_failed', status: 401, when: 'a wrong username or password' },
  { code: 'session_expired', status: 401, when: 'a session unused for longer than the inactivity timeout' },
  {
    code: 'csrf_token_invalid',
    status: 403,
    when: 'a cookie-authenticated change without the x-csrf-token header or with a wrong one',
  },
  { code: 'forbidden', status: 403, when: 'the access policy refuses the action' },
  {
    code: 'not_found',
    status: 404,
    when: 'an unknown route, trial or participant, or a participant outside your sites',
  },
  {
    code: 'conflict',
    status: 409,
    when: 'an id already taken, a second randomisation, a locked trial or a stale version',
  },
  {
    code: 'fidelity_index_in_use',
    status: 409,
    when: 'a fidelity index change that removes, moves, narrows or rescales items that already have ratings',
  },
  { code: 'participant_ineligible', status: 422, when: 'a participant who fails an eligibility rule' },
  { code: 'unprocessable', status: 422, when: 'a well-formed request the trial rules refuse' },
  {
    code: 'withdrawal_scope_intervention',
    status: 422,
    when: 'a study withdrawal with scope intervention (that is its own record: .../intervention-withdrawal)',
  },
  {
    code: 'sae_relatedness_blinded',
    status: 422,
    when: 'an SAE follow-up that sends relatedness from a caller blinded to allocation',
  },
  { code: 'login_rate_limited', status: 429, when: 'too many failed logins for the account or the address' },
  {
    code: 'internal_error',
    status: 500,
    when: 'an unexpected fault (logged with the request id; nothing revealed)',
  },
  { code: 'service_unavailable', status: 503, when: 'the database cannot be reached' },
] as const;

const STORAGE_STATUS: Readonly<Record<StorageError['code'], number>> = {
  store_unavailable: 503,
  store_not_found: 404,
  store_conflict: 409,
  store_record_invalid: 422,
  store_reason_required: 422,
  store_trial_locked: 409,
  store_settings_locked: 409,
  store_forbidden: 403,
  store_randomisation_refused: 422,
  store_already_randomised: 409,
  store_version_conflict: 409,
};

function pathOf(instancePath: string, property: unknown): string {
  const parts = instancePath.split('/').filter((part) => part !== '');
  if (typeof property === 'string') parts.push(property);
  return parts.join('.');
}

/** The issues of a fastify schema validation error, one per failed rule, with a readable path. */
function validationIssues(error: FastifyError): RequestIssue[] {
  const context = (error as { validationContext?: string }).validationContext ?? 'body';
  const prefix = context === 'body' ? '' : `${context === 'querystring' ? 'query' : context}.`;
  return (error.validation ?? []).map((item) => {
    const params = item.params as Record<string, unknown>;
    const extra = params.missingProperty ?? params.additionalProperty;
    const path = `${prefix}${pathOf(item.instancePath, extra)}` || context;
    let message = item.message ?? 'is invalid';
    if (params.additionalProperty !== undefined) message = 'is not a known field';
    else if (params.missingProperty !== undefined) message = 'is required';
    else if (Array.isArray(params.allowedValues))
      message = `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    return { path, message };
  });
}

/** The status and body for an error, and whether it is an unexpected fault to log. */
export function describeError(error: unknown): {
  status: number;
  body: Record<string, unknown>;
  headers?: Readonly<Record<string, string>>;
  unexpected: boolean;
} {
  const body = (code: string, message: string, issues?: readonly RequestIssue[]) => ({
    error: issues === undefined ? { code, message } : { code, message, issues },
  });
  if (error instanceof HttpError) {
    return {
      status: error.status,
      body: { ...body(error.code, error.message, error.issues), ...error.extra },
      ...(error.headers === undefined ? {} : { headers: error.headers }),
      unexpected: false,
    };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError?.validation !== undefined) {
    const issues = validationIssues(fastifyError);
    return {
      status: 400,
      body: body(
        'request_invalid',
        `request requires a valid ${(fastifyError as { validationContext?: string }).validationContext ?? 'body'} (got ${issues.length} problem${issues.length === 1 ? '' : 's'})`,
        issues,
      ),
      unexpected: false,
    };
  }
  if (error instanceof StorageError) {
    const status = STORAGE_STATUS[error.code] ?? 500;
    if (status === 503) {
      return { status, body: body('service_unavailable', 'the database is unavailable'), unexpected: true };
    }
    return { status, body: body(error.code, error.message), unexpected: false };
  }
  if (
    error instanceof RecordValidationError ||
    error instanceof TrialConfigError ||
    error instanceof DatasetError
  ) {
    const issues = error.problems.map((problem) => ({
      path: problem.path,
      code: problem.code,
      message: problem.message,
    }));
    return { status: 422, body: body(error.code, error.message, issues), unexpected: false };
  }
  if (error instanceof RandomisationError && error.code !== 'randomisation_state_invalid') {
    return { status: 422, body: body(error.code, error.message), unexpected: false };
  }
  // fastify's own client errors (malformed JSON, wrong content type, body too large ...).
  const statusCode = fastifyError?.statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return {
      status: statusCode,
      body: body(statusCode === 404 ? 'not_found' : 'request_invalid', fastifyError.message),
      unexpected: false,
    };
  }
  return { status: 500, body: body('internal_error', 'internal server error'), unexpected: true };
}

/** The one error handler: maps error classes to status codes; logs unexpected faults with the request id. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const described = describeError(error);
  if (described.unexpected) {
    request.log.error({ err: error, reqId: request.id }, 'request failed');
  }
  if (described.headers !== undefined) reply.headers(described.headers);
  void reply.status(described.status).send(described.body);
}
