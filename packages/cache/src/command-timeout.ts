import type { Command } from 'ioredis';

/**
 * Fails `command` with `Command timed out after <ms> ms` when Redis has not answered it within
 * `ms` (ms), judged after pending I/O is read (`setImmediate` after the timer): a stalled event
 * loop does not fail a command whose reply is already in the socket. `onTimeout` runs after the
 * rejection. The timer is unref'd and cleared when the command settles.
 */
export function armCommandTimeout(command: Command, ms: number, onTimeout?: () => void): void {
  const timer = setTimeout(
    () =>
      setImmediate(() => {
        if (command.isResolved) return;
        command.reject(new Error(`Command timed out after ${ms} ms`));
        onTimeout?.();
      }),
    ms,
  );
  timer.unref();
  const clear = () => clearTimeout(timer);
  command.promise.then(clear, clear);
}
