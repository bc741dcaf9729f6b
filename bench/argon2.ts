/**
 * Password hashing benchmark: argon2id hashes/s and verifications/s with the parameters of
 * src/identity/passwords.ts, one at a time and with 2 and 4 concurrent promises (@node-rs/argon2 runs
 * each hash on a libuv thread-pool thread, 4 by default), plus the OWASP minimum profile for comparison.
 * Then what that means for login capacity and the login rate limits.
 *
 * `BENCH_ARGON2_SECONDS` (default 3) is the time spent per row.
 */
import os from 'node:os';
import { hash } from '@node-rs/argon2';
import { ARGON2_PARAMS, hashPassword, verifyPassword } from '../src/identity/passwords.js';
import { median, percentile, printEnvironment, printTable, round, writeResult } from './common.js';

const SECONDS = Number(process.env.BENCH_ARGON2_SECONDS ?? 3);
const CONCURRENCY = [1, 2, 4];
/** Login rate limits the figures are related to (attempts per minute). */
const LIMIT_PER_IP = 10;
const LIMIT_PER_ACCOUNT = 5;
/** OWASP Password Storage Cheat Sheet minimum for argon2id, as a reference row. */
const OWASP_MIN = { ...ARGON2_PARAMS, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

interface Row {
  op: string;
  params: string;
  concurrency: number;
  ops: number;
  seconds: number;
  perSecond: number;
  medianMs: number;
  p95Ms: number;
  /** CPU time of this process (all threads) per operation: the cost, unlike ops/s hardly affected by other load. */
  cpuMsPerOp: number;
}

/** Run `fn` with `concurrency` concurrent loops for `seconds` and collect the latencies. */
async function measure(
  op: string,
  params: string,
  concurrency: number,
  fn: (i: number) => Promise<unknown>,
): Promise<Row> {
  const latencies: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + SECONDS * 1000;
  let n = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const s = performance.now();
      await fn(n++);
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    op,
    params,
    concurrency,
    ops: latencies.length,
    seconds: round(seconds, 2),
    perSecond: round(latencies.length / seconds, 1),
    medianMs: round(median(latencies), 1),
    p95Ms: round(percentile(latencies, 95), 1),
    cpuMsPerOp: round((cpu.user + cpu.system) / 1000 / latencies.length, 1),
  };
}

const label = (p: { memoryCost: number; timeCost: number; parallelism: number }) =>
  `m=${round(p.memoryCost / 1024, 0)}MiB t=${p.timeCost} p=${p.parallelism}`;

export async function benchArgon2(): Promise<void> {
  printEnvironment('argon2id password hashing');
  const chosen = label(ARGON2_PARAMS);
  console.log(`  chosen parameters: argon2id ${chosen}; ${SECONDS} s per row`);
  console.log(`  UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`);

  const stored = await hashPassword('Drei Eulen tanzen im Rathaus');
  await verifyPassword(stored, 'warm-up, wrong password'); // warm up the thread pool and the allocator

  const rows: Row[] = [];
  for (const c of CONCURRENCY) rows.push(await measure('hash', chosen, c, (i) => hashPassword(`bench password ${i}`)));
  for (const c of CONCURRENCY) {
    rows.push(await measure('verify (wrong pw)', chosen, c, (i) => verifyPassword(stored, `wrong password ${i}`)));
  }
  const owasp = label(OWASP_MIN);
  for (const c of [1, 2])
    rows.push(await measure('hash', `${owasp} (OWASP min)`, c, (i) => hash(`pw ${i}`, OWASP_MIN)));

  printTable(
    'Throughput (ops/s = completed operations / wall time; CPU ms/op = CPU time of all threads per operation)',
    rows.map((r) => ({
      operation: r.op,
      parameters: r.params,
      concurrent: r.concurrency,
      ops: r.ops,
      'ops/s': r.perSecond,
      'median ms': r.medianMs,
      'p95 ms': r.p95Ms,
      'CPU ms/op': r.cpuMsPerOp,
    })),
  );

  // ------------------------------------------------------------------------------------------
  // What it means. A login costs one verification (known account) or one dummy verification
  // (unknown account: verifyAgainstDummy), so logins/s = verifications/s.
  const verify = rows.filter((r) => r.op.startsWith('verify'));
  const cores = os.availableParallelism();
  const single = verify.find((r) => r.concurrency === 1)!;
  const parallel = verify.find((r) => r.concurrency === Math.min(cores, 2)) ?? single;
  // Capacity from the CPU cost per verification (with `cores` running at once, so memory-bandwidth
  // contention is included): robust against other load on the machine, unlike ops/s.
  const cpuMsPerLogin = parallel.cpuMsPerOp;
  const perCore = round(1000 / single.cpuMsPerOp, 1);
  const machine = round((cores * 1000) / cpuMsPerLogin, 1);
  const measured = Math.max(...verify.map((r) => r.perSecond));
  const perIpPerSecond = LIMIT_PER_IP / 60;
  const ipsToSaturate = Math.ceil(machine / perIpPerSecond);
  const accountsToSaturate = Math.ceil(machine / (LIMIT_PER_ACCOUNT / 60));
  const shareOfOneIp = round((perIpPerSecond / machine) * 100, 2);
  const memoryMiB = (ARGON2_PARAMS.memoryCost / 1024) * Math.max(...CONCURRENCY);
  const capacity = {
    cores,
    cpuMsPerLogin,
    loginsPerSecondPerCore: perCore,
    loginsPerSecondMachine: machine,
    loginsPerSecondMeasured: measured,
    loginsPerMinuteMachine: Math.round(machine * 60),
    rateLimitPerIpPerMinute: LIMIT_PER_IP,
    rateLimitPerAccountPerMinute: LIMIT_PER_ACCOUNT,
    cpuShareOfOneIpAtLimitPercent: shareOfOneIp,
    ipsAtLimitToSaturateCpu: ipsToSaturate,
    accountsAtLimitToSaturateCpu: accountsToSaturate,
    failedAttemptsPerAccountPerHour: LIMIT_PER_ACCOUNT * 60,
    hashMemoryMiBAtThreadPoolSize: memoryMiB,
  };

  const lines = [
    `One login = one argon2id verification (also for an unknown e-mail: dummy hash) ≈ ${cpuMsPerLogin} ms CPU.`,
    `Capacity: ≈ ${perCore} logins/s per core, ≈ ${machine} logins/s = ${capacity.loginsPerMinuteMachine}/min on ${cores} cores`,
    `  if the machine did nothing else (measured now, with the load above: ≤ ${measured}/s).`,
    '  Normal use, a few hundred logins a day, costs nothing measurable.',
    `Per IP ${LIMIT_PER_IP}/min: one client at the limit uses ${shareOfOneIp} % of the machine;`,
    `  ≈ ${ipsToSaturate} addresses at the limit together saturate the CPU (a botnet can, one IP cannot).`,
    `Per account ${LIMIT_PER_ACCOUNT}/min: ${accountsToSaturate} accounts attacked at the limit also saturate the CPU, so this limit`,
    `  protects accounts, not the CPU. It allows ${capacity.failedAttemptsPerAccountPerHour} failures per account and hour; ASVS 2.2.1 asks`,
    '  for ≤ 100/hour: add an hourly cap or an increasing delay after repeated failures.',
    `So: cap concurrent verifications (≈ ${cores}, short queue, then 429/503) so that a login flood cannot`,
    '  starve the rest of the server, and check the per-IP limit before hashing.',
    `Hashes run on the libuv thread pool (shared with fs, zlib, dns); ${Math.max(...CONCURRENCY)} at once hold ≈ ${memoryMiB} MiB.`,
  ];
  console.log(`\nWhat this means for logins (${cores} cores)`);
  for (const l of lines) console.log(`  ${l}`);

  writeResult('argon2', {
    params: { ...ARGON2_PARAMS, algorithm: 'argon2id', version: 19, reference: label(OWASP_MIN) },
    secondsPerRow: SECONDS,
    threadPoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    rows,
    capacity,
  });
}
