#!/usr/bin/env node
/**
 * Launcher of the `msp-billing` package bin: registers tsx's ESM loader, then runs the TypeScript
 * entry point. Kept tiny so that the command has one implementation, src/bin.ts.
 */
import { register } from 'tsx/esm/api';

register();
await import('../src/bin.ts');
