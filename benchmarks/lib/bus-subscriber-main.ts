/**
 * The subscriber side of `pnpm bench:bus`, in its own process as a gateway would be:
 * `bus-subscriber-main.ts <transport> <topic> <count>`. Prints `ready` once subscribed, then,
 * after `count` messages (or 10 s without one), `result {"lagsUs":[…]}`: for each message, the
 * time from its publish call to its arrival here, in microseconds (both sides read
 * CLOCK_MONOTONIC through `process.hrtime.bigint()`, which is shared by the processes of a machine).
 */
import { TRANSPORTS, type TransportName, createSubscriber } from './bus-transports.js';

const [transport, topic, countText] = process.argv.slice(2);
if (!TRANSPORTS.includes(transport as TransportName) || !topic || !countText) {
  process.stderr.write(`usage: bus-subscriber-main.ts <${TRANSPORTS.join('|')}> <topic> <count>\n`);
  process.exit(2);
}
const count = Number(countText);
const lagsUs: number[] = new Array(count).fill(-1);
let received = 0;
let idle: NodeJS.Timeout | undefined;

const finish = async () => {
  clearTimeout(idle);
  process.stdout.write(`result ${JSON.stringify({ lagsUs: lagsUs.filter((l) => l >= 0), received })}\n`);
  // Outside the delivery callback: closing a channel from inside it races its own ack.
  setImmediate(
    () =>
      void subscriber
        .close()
        .catch(() => undefined)
        .finally(() => process.exit(0)),
  );
};
const subscriber = await createSubscriber(transport as TransportName, topic, (message) => {
  const arrived = process.hrtime.bigint();
  const seq = message.readUInt32BE(0);
  lagsUs[seq] = Number(arrived - message.readBigUInt64BE(4)) / 1000;
  received++;
  clearTimeout(idle);
  if (received >= count) void finish();
  else idle = setTimeout(() => void finish(), 10_000);
});
process.stdout.write(`ready ${transport}\n`);
