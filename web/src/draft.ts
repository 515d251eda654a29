/**
 * Drafts: what a user has typed into a form, kept in this tab's sessionStorage on every change, so a
 * session that expires in the middle of a form loses nothing (sign in again: the entry is still there).
 * Keyed by user and form; cleared when the server accepts the form or the user signs out.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

const PREFIX = 'enrich.draft.';
let draftOwner = '';

/** Whose drafts the forms read and write (the signed-in username). */
export function setDraftOwner(username: string): void {
  draftOwner = username;
}

/** Forgets every draft of this tab (on sign-out, or when another user signs in). */
export function clearAllDrafts(): void {
  for (let index = sessionStorage.length - 1; index >= 0; index--) {
    const key = sessionStorage.key(index);
    if (key?.startsWith(PREFIX)) sessionStorage.removeItem(key);
  }
}

function storageKey(form: string): string {
  return `${PREFIX}${draftOwner}.${form}`;
}

/** Form values that survive a reload or a new sign-in; `clear()` after the server accepted them. */
export function useDraft<T extends object>(
  form: string,
  initial: T,
): [T, (update: Partial<T> | ((previous: T) => T)) => void, () => void] {
  const key = storageKey(form);
  const initialRef = useRef(initial);
  const read = useCallback((): T => {
    const stored = sessionStorage.getItem(key);
    if (stored === null) return initialRef.current;
    try {
      return { ...initialRef.current, ...(JSON.parse(stored) as Partial<T>) };
    } catch {
      return initialRef.current;
    }
  }, [key]);
  const [values, setValues] = useState<T>(read);
  const keyRef = useRef(key);
  useEffect(() => {
    if (keyRef.current !== key) {
      keyRef.current = key;
      setValues(read());
    }
  }, [key, read]);
  const update = useCallback(
    (change: Partial<T> | ((previous: T) => T)) => {
      setValues((previous) => {
        const next = typeof change === 'function' ? change(previous) : { ...previous, ...change };
        sessionStorage.setItem(key, JSON.stringify(next));
        return next;
      });
    },
    [key],
  );
  const clear = useCallback(() => {
    sessionStorage.removeItem(key);
    setValues(initialRef.current);
  }, [key]);
  return [values, update, clear];
}
