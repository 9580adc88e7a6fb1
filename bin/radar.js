#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx radar` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
