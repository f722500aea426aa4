/**
 * `pnpm bench:bus`: publish-to-receive lag of the invalidation-event transports, p50/p99/max in
 * ms, for Redis pub/sub (what Tributary uses), RabbitMQ (transient and durable with confirms)
 * and NATS (core and JetStream), with the same message sizes and rate.
 *
 * One publisher in this process (the change feed's role) awaits each publish as the change feed
 * does; one subscriber in a child process (a gateway's role) timestamps each arrival. Messages
 * go out at a steady rate (`--rate` per second, default 500) so that the lag measured is the
 * transport's, not a queue built by a burst; the first `--warmup` messages are not counted.
 * The machine is shared, so the transports take turns: `--rounds` rounds, each running every
 * transport and size once in a rotated order, and each row pools the lags of all rounds.
 *
 * Brokers: REDIS_URL, RABBITMQ_URL, NATS_URL (defaults: the development machine's
 * 127.0.0.1:6379, :5672 with guest/guest, :4222 with JetStream). Options: `--transports a,b`,
 * `--sizes 256,4096` (bytes), `--count 1000` (per round), `--rounds 3`, `--rate 500`,
 * `--warmup 200`.
 * Writes benchmarks/results/bus.json and prints a markdown table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { REPO_ROOT } from '@tributary/database';
import { GUARANTEES, TRANSPORTS, type TransportName, createPublisher, prepare, topicFor } from './lib/bus-transports.js';
import { startProcess } from './lib/processes.js';

const options = new Command()
  .option('--transports <list>', 'comma-separated transports', TRANSPORTS.join(','))
  .option('--sizes <bytes>', 'comma-separated message sizes in bytes', '256,4096')
  .option('--count <n>', 'messages measured per transport, size and round', '1000')
  .option('--rounds <n>', 'rounds over every transport and size, in rotated order', '3')
  .option('--rate <perSecond>', 'messages published per second', '500')
  .option('--warmup <n>', 'messages sent first and not counted', '200')
  .parse()
  .opts<{ transports: string; sizes: string; count: string; rounds: string; rate: string; warmup: string }>();

/** One transport × size measurement, lags in ms. */
interface Row {
  transport: TransportName;
  sizeBytes: number;
  sent: number;
  received: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One round of one transport and size: the lags of the counted messages in ms, and how many arrived. */
async function measure(transport: TransportName, sizeBytes: number): Promise<{ lagsMs: number[]; sent: number; received: number }> {
  const warmup = Number(options.warmup);
  const count = Number(options.count);
  const periodNs = BigInt(Math.round(1e9 / Number(options.rate)));
  const topic = topicFor(transport);
  const cleanUp = await prepare(transport, topic);
  const subscriber = await startProcess('benchmarks/lib/bus-subscriber-main.ts', [transport, topic, String(warmup + count)], {}, 30_000);
  const result = new Promise<{ lagsUs: number[]; received: number }>((resolve, reject) => {
    let output = '';
    let errors = '';
    subscriber.child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^result (.*)$/m.exec(output);
      if (match) resolve(JSON.parse(match[1]!));
    });
    subscriber.child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    subscriber.child.once('exit', (code) => code !== 0 && reject(new Error(`${transport} subscriber exited with ${code}:\n${errors}`)));
  });
  const publisher = await createPublisher(transport, topic);
  try {
    const message = Buffer.alloc(sizeBytes, 0x61); // 'a'…: the bytes of a JSON change event do not matter here
    const start = process.hrtime.bigint();
    for (let seq = 0; seq < warmup + count; seq++) {
      const due = start + BigInt(seq) * periodNs;
      const wait = Number(due - process.hrtime.bigint()) / 1e6;
      if (wait > 0) await sleep(wait);
      message.writeUInt32BE(seq, 0);
      message.writeBigUInt64BE(process.hrtime.bigint(), 4);
      await publisher.publish(message);
    }
    const { lagsUs, received } = await result;
    return { lagsMs: lagsUs.slice(warmup).map((us) => us / 1000), sent: warmup + count, received };
  } finally {
    await publisher.close();
    await subscriber.stop();
    await cleanUp();
  }
}

const transports = options.transports.split(',') as TransportName[];
for (const t of transports) if (!TRANSPORTS.includes(t)) throw new Error(`--transports: unknown ${t}; one of ${TRANSPORTS.join(', ')}`);
const cases = transports.flatMap((transport) => options.sizes.split(',').map((size) => ({ transport, sizeBytes: Number(size) })));
const pooled = new Map(cases.map((c) => [`${c.transport} ${c.sizeBytes}`, { ...c, lagsMs: [] as number[], sent: 0, received: 0 }]));
for (let round = 0; round < Number(options.rounds); round++) {
  for (let i = 0; i < cases.length; i++) {
    const { transport, sizeBytes } = cases[(i + round) % cases.length]!;
    const one = await measure(transport, sizeBytes);
    const into = pooled.get(`${transport} ${sizeBytes}`)!;
    into.lagsMs.push(...one.lagsMs);
    into.sent += one.sent;
    into.received += one.received;
    process.stderr.write(`round ${round + 1}: ${transport} ${sizeBytes} B: ${one.received}/${one.sent} received\n`);
  }
}
const rows: Row[] = [...pooled.values()].map(({ transport, sizeBytes, lagsMs, sent, received }) => {
  const lags = lagsMs.sort((a, b) => a - b);
  return { transport, sizeBytes, sent, received, p50Ms: quantile(lags, 0.5), p99Ms: quantile(lags, 0.99), maxMs: lags.at(-1) ?? NaN };
});

const lines = [
  `| transport | message | p50 ms | p99 ms | max ms | received | what it promises |`,
  `|---|---:|---:|---:|---:|---:|---|`,
  ...rows.map((r) => `| ${r.transport} | ${r.sizeBytes} B | ${r.p50Ms.toFixed(3)} | ${r.p99Ms.toFixed(3)} | ${r.maxMs.toFixed(2)} | ${r.received}/${r.sent} | ${GUARANTEES[r.transport]} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
const dir = path.join(REPO_ROOT, 'benchmarks/results');
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'bus.json'), `${JSON.stringify({ at: new Date().toISOString(), options, rows }, null, 2)}\n`);
