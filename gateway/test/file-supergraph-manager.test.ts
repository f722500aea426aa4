import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSupergraphManager, POLL_INTERVAL_MS, RELOAD_DEBOUNCE_MS } from '../src/supergraph/file-supergraph-manager.js';

const logger = pino({ level: 'silent' });
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('FileSupergraphManager', () => {
  it('stopping one manager leaves the other managers of the same file watching (no process-wide unwatchFile)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'supergraph-'));
    dirs.push(dir);
    const file = path.join(dir, 'supergraph.graphql');
    writeFileSync(file, 'type Query { a: Int }');
    const heard: string[][] = [[], []];
    const managers = [new FileSupergraphManager(file, logger), new FileSupergraphManager(file, logger)];
    const handles = await Promise.all(managers.map((manager, i) => manager.initialize({ update: (sdl: string) => void heard[i]!.push(sdl) } as never)));
    await handles[0]!.cleanup();
    expect(managers[0]!.status.phase).toBe('stopped');
    writeFileSync(file, 'type Query { b: Int }');
    const deadline = Date.now() + 20 * (POLL_INTERVAL_MS + RELOAD_DEBOUNCE_MS);
    while (heard[1]!.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(heard).toEqual([[], ['type Query { b: Int }']]);
    await handles[1]!.cleanup();
  });
});
