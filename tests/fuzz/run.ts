// `npm run fuzz -- --seeds 1000 --ops 200`: the long convergence fuzz (S145-S149). Seeds run one after another from
// --from (default 1); --seed N runs one; --process runs them through the real server process instead (slower).
// Prints every failing seed with the command that reruns it, and a summary (seeds, ops, failures, wall time).
import { parseArgs } from 'node:util';
import { startInProcessWorld } from './in-process';
import { runSchedule, rerunHint, type ScheduleResult } from './schedule';
import { startProcessWorld } from './process';

const { values } = parseArgs({
	options: {
		seeds: { type: 'string', default: '1000' },
		ops: { type: 'string', default: '200' },
		from: { type: 'string', default: '1' },
		seed: { type: 'string' },
		process: { type: 'boolean', default: false },
		/** At most this many relay restarts (SIGKILLs with --process) per seed; default 3 (1 with --process). */
		restarts: { type: 'string' },
		/** S16: the in-process relay compacts after this many commits (default 25); small values stress snapshots. */
		'compact-every': { type: 'string' },
		verbose: { type: 'boolean', default: false }
	}
});
const positive = (text: string, name: string): number => {
	const n = Number(text);
	if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a positive integer, not ${text}`);
	return n;
};
const ops = positive(values.ops, 'ops');
const seeds =
	values.seed === undefined
		? Array.from({ length: positive(values.seeds, 'seeds') }, (_, i) => positive(values.from, 'from') + i)
		: [positive(values.seed, 'seed')];
const worldName = values.process ? 'process' : 'in-process';
const maxRestarts = values.restarts === undefined ? (values.process ? 1 : 3) : Number(values.restarts);
const compactEvery =
	values['compact-every'] === undefined ? undefined : positive(values['compact-every'], 'compact-every');

// y-websocket adds a process 'exit' listener per open provider: 5 peers x 3 documents (and readers) are more than 10.
process.setMaxListeners(64);
const started = performance.now();
const failures: ScheduleResult[] = [];
const totals: Record<string, number> = {};
const processWorld = values.process ? await startProcessWorld() : null;
try {
	for (const seed of seeds) {
		const world =
			processWorld ??
			(await startInProcessWorld({ tenantId: `fuzz${seed}`, ...(compactEvery ? { compactEvery } : {}) }));
		let result: ScheduleResult;
		try {
			result = await runSchedule(world, {
				seed,
				ops,
				maxRestarts,
				...(values.process ? { maxBackoffMs: 200 } : {})
			});
		} finally {
			if (!processWorld) await world.close();
		}
		for (const [what, n] of Object.entries(result.counts)) totals[what] = (totals[what] ?? 0) + n;
		if (result.problems.length > 0) {
			failures.push(result);
			console.log(`FAILED ${rerunHint(result, worldName)}\n  ${result.problems.join('\n  ')}`);
		} else if (values.verbose) {
			console.log(`ok seed=${seed} peers=${result.peers} ${JSON.stringify(result.counts)}`);
		}
		const done = seeds.indexOf(seed) + 1;
		if (!values.verbose && done % 100 === 0)
			console.log(`${done} seeds, ${failures.length} failed, ${((performance.now() - started) / 1000).toFixed(0)} s`);
	}
} finally {
	await processWorld?.close();
}
const seconds = (performance.now() - started) / 1000;
console.log(
	`fuzz (${worldName}): ${seeds.length} seeds x ${ops} ops, ${failures.length} failed, ${seconds.toFixed(1)} s` +
		` (${((seconds * 1000) / seeds.length).toFixed(0)} ms per seed)\n  steps: ${JSON.stringify(totals)}`
);
if (failures.length > 0) {
	console.log(`failing seeds: ${failures.map((f) => f.seed).join(', ')}`);
	process.exitCode = 1;
}
