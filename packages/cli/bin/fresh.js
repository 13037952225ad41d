/**
 * Whether the compiled command in `dist` (see build.mjs) still matches its sources: every file that
 * went into it has the size and modification time it had then. Any doubt (no build, a file gone or
 * changed, an unreadable list) answers false, and the launcher runs the sources instead.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

/** @param {string} dist the build's directory @returns {boolean} */
export const isBuildFresh = (dist) => {
  try {
    const inputs = JSON.parse(readFileSync(resolve(dist, 'inputs.json'), 'utf8'));
    if (!Array.isArray(inputs) || inputs.length === 0) return false;
    for (const [file, size, mtimeMs] of inputs) {
      const s = statSync(resolve(dist, file));
      if (s.size !== size || s.mtimeMs !== mtimeMs) return false;
    }
    return true;
  } catch {
    return false;
  }
};
