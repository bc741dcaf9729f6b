#!/usr/bin/env node
// Entry point of the `lotse` command. Runs the TypeScript sources through tsx, so the checkout
// needs no build step.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli.ts');
await run();
