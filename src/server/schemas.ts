/** JSON schema pieces shared by the routes. Every body schema sets `additionalProperties: false`. */

/** A trial id, site id or username: 1-64 letters, digits, `_` or `-`. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';

export const trialParams = {
  type: 'object',
  required: ['trialId'],
  properties: { trialId: { type: 'string', pattern: ID_PATTERN } },
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

/**
 * `{ id, <name> }`: a participant route's params with one more path segment (a visit, an event, an
 * assignment), both required, the second at most `maxLength` characters.
 */
export const participantParamsWith = (name: string, maxLength: number) =>
  ({
    type: 'object',
    required: ['id', name],
    properties: {
      id: { type: 'string', minLength: 1, maxLength: 64 },
      [name]: { type: 'string', minLength: 1, maxLength },
    },
  }) as const;

/** `{ id }`: the answer of a create. */
export const createdId = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' } },
} as const;

/** An optional reason, recorded in the audit (required to change a record after first entry). */
export const reasonProperty = { type: 'string', minLength: 1, maxLength: 2000 } as const;
