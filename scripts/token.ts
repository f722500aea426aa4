/**
 * `pnpm run token --customer 5` / `pnpm run token --employee 3` (`pnpm token` alone is a pnpm 12 built-in): prints a bearer token the gateway
 * accepts, signed with `GATEWAY_JWT_SECRET` (outside production, the development secret when it
 * is not set). Refuses in production without a secret.
 */
import { readJwtConfig, signClientToken } from '@tributary/gateway';
import { Command, InvalidArgumentError } from 'commander';

const id = (value: string) => {
  if (!/^[1-9]\d{0,9}$/.test(value)) throw new InvalidArgumentError('expected a positive integer id');
  return Number(value);
};

const program = new Command('pnpm run token')
  .description('Print a bearer token for a Chinook customer or employee')
  .option('--customer <id>', 'customer id (sub customer:<id>)', id)
  .option('--employee <id>', 'employee id (sub employee:<id>)', id)
  .option('--ttl <seconds>', 'lifetime in seconds', id, 3600)
  .action(async (options: { customer?: number; employee?: number; ttl: number }) => {
    if ((options.customer === undefined) === (options.employee === undefined)) program.error('error: give exactly one of --customer <id> or --employee <id>');
    if (process.env.NODE_ENV === 'production' && !process.env.GATEWAY_JWT_SECRET?.trim()) {
      program.error('error: NODE_ENV=production and GATEWAY_JWT_SECRET is not set: refusing to sign with the development secret');
    }
    try {
      const principal = options.customer !== undefined ? ({ kind: 'customer', id: options.customer } as const) : ({ kind: 'employee', id: options.employee! } as const);
      process.stdout.write(`${await signClientToken(principal, readJwtConfig(process.env), options.ttl)}\n`);
    } catch (error) {
      program.error(`error: ${(error as Error).message}`);
    }
  });

await program.parseAsync();
