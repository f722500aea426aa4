import { unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { SupergraphManager, SupergraphSdlUpdateFunction } from '@apollo/gateway';
import type { Logger } from 'pino';

/** How long the file must be quiet before it is read again, in ms (editors write in bursts). */
export const RELOAD_DEBOUNCE_MS = 100;
/** How often the file is checked for a change, in ms. */
export const POLL_INTERVAL_MS = 250;

/** Where a {@link FileSupergraphManager} is in its life. */
export type FileSupergraphPhase = { phase: 'initialized' } | { phase: 'watching'; sdl: string; loadedAt: Date; reloads: number } | { phase: 'stopped' };

/**
 * A supergraph source for `@apollo/gateway`: reads the supergraph SDL from a file and hands the
 * gateway every new version written there: saved in place, renamed over it, behind a symlink
 * that is repointed (Kubernetes ConfigMap volumes), or in a folder deleted and made again. The
 * file is polled (`fs.watchFile`, which follows symlinks), because an `fs.watch` on a path
 * stops hearing when its inode or folder is replaced. A version the
 * gateway rejects is logged and the previous one keeps serving. Requests already executing
 * finish on the query plan they started with.
 */
export class FileSupergraphManager implements SupergraphManager {
  private state: FileSupergraphPhase = { phase: 'initialized' };
  /** This manager's own listener: `unwatchFile` without it would stop every watcher of the file in the process. */
  private listener?: () => void;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly filePath: string,
    private readonly logger: Pick<Logger, 'info' | 'error'>,
  ) {}

  /** The current phase, for `/readyz` and tests. */
  get status(): FileSupergraphPhase {
    return this.state;
  }

  async initialize({ update }: { update: SupergraphSdlUpdateFunction }): Promise<{ supergraphSdl: string; cleanup: () => Promise<void> }> {
    const supergraphSdl = await readFile(this.filePath, 'utf8');
    this.state = { phase: 'watching', sdl: supergraphSdl, loadedAt: new Date(), reloads: 0 };
    this.listener = () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.reload(update), RELOAD_DEBOUNCE_MS);
    };
    watchFile(this.filePath, { interval: POLL_INTERVAL_MS, persistent: false }, this.listener);
    return { supergraphSdl, cleanup: async () => this.stop() };
  }

  private async reload(update: SupergraphSdlUpdateFunction): Promise<void> {
    if (this.state.phase !== 'watching') return;
    let sdl: string;
    try {
      sdl = await readFile(this.filePath, 'utf8');
    } catch (error) {
      this.logger.error({ err: (error as Error).message, path: this.filePath }, 'supergraph file unreadable; keeping the current supergraph');
      return;
    }
    if (this.state.phase !== 'watching' || sdl === this.state.sdl || sdl.trim() === '') return;
    try {
      update(sdl);
      this.state = { phase: 'watching', sdl, loadedAt: new Date(), reloads: this.state.reloads + 1 };
      this.logger.info({ path: this.filePath }, 'supergraph reloaded');
    } catch (error) {
      this.logger.error({ err: (error as Error).message, path: this.filePath }, 'supergraph rejected; keeping the current supergraph');
    }
  }

  private stop(): void {
    clearTimeout(this.timer);
    if (this.listener) unwatchFile(this.filePath, this.listener);
    this.listener = undefined;
    this.state = { phase: 'stopped' };
  }
}
