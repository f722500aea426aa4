import { existsSync } from 'node:fs';

/** Debian's Chromium, which the browser tests drive through `playwright-core`. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * The Chromium executable for browser tests: `CHROMIUM_PATH`, else Debian's. Tests install
 * nothing: `.ci/run` installs the `chromium` package when it is missing.
 *
 * @throws Error saying how to install Chromium (or point `CHROMIUM_PATH` at one) when it is absent.
 */
export function requireChromium(env: NodeJS.ProcessEnv = process.env): string {
  const executable = env.CHROMIUM_PATH?.trim() || DEFAULT_CHROMIUM_PATH;
  if (existsSync(executable)) return executable;
  throw new Error(
    `Chromium not found at ${executable}: the GraphiQL browser test needs it. Install it with \`apt-get install -y chromium\` (Debian; .ci/run does this), or set CHROMIUM_PATH to a Chromium or Chrome executable`,
  );
}
