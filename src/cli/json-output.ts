/**
 * Converts a result object to the JSON the CLI prints: camelCase keys become snake_case (`pValue` ->
 * `p_value`, `nDropped` -> `n_dropped`); keys that are statistical symbols (`I2`, `H2`) stay as they are;
 * non-finite numbers become null (as R's NA); undefined fields are left out.
 */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (ArrayBuffer.isView(value))
    return Array.from(value as unknown as ArrayLike<number>, (item) => toJsonValue(item));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined) continue;
      out[toSnakeCase(key)] = toJsonValue(item);
    }
    return out;
  }
  return value;
}

/** `pValue` -> `p_value`; `ciLower` -> `ci_lower`; `I2` stays `I2`. */
export function toSnakeCase(key: string): string {
  if (/^[A-Z][A-Za-z0-9]*$/.test(key)) return key;
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** The one JSON document a command prints with --json, with a trailing newline. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(toJsonValue(value), null, 2)}\n`;
}
