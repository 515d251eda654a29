import { readFileSync, writeFileSync } from 'node:fs';

/** Peak and current resident memory of this process in MiB, from /proc (Linux). */
export function memoryMiB(): { peak: number; current: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const read = (field: string) =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) / 1024;
  return { peak: read('VmHWM'), current: read('VmRSS') };
}

/** Resets the kernel's peak-RSS mark (VmHWM), so the next peak reading covers only what follows. */
export function resetPeakMemory(): void {
  writeFileSync('/proc/self/clear_refs', '5');
}
