/**
 * Invalid configuration: its message is the one line a process prints before exiting 1,
 * `Invalid configuration: <VARIABLE>: <what is wrong>`.
 *
 * @example
 * new ConfigError('GATEWAY_PORT', 'must be a port number 1-65535, got "http"').message
 * // 'Invalid configuration: GATEWAY_PORT: must be a port number 1-65535, got "http"'
 */
export class ConfigError extends Error {
  override name = 'ConfigError';

  /**
   * @param variable the environment variable at fault (the first one, when several are)
   * @param problem what is wrong with it, ending with the value that came when there is one
   */
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`Invalid configuration: ${variable}: ${problem}`);
  }
}
