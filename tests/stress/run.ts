// `npm run stress -- crash --kills 20 --writes 1000` and `npm run stress -- input --cases 100000`: the long runs of the
// crash and bad-input proofs (docs/sync.md S150-S154); `npm test` runs a bounded share of each. Prints figures; exits 1
// when a property failed.
import { parseArgs } from 'node:util';
import { runCrash } from './crash';
import { runInput } from './input';

const USAGE = `usage: npm run stress -- crash [--kills 20] [--writes 1000] [--clients 3] [--customers 2] [--seed N]
       npm run stress -- input [--cases 100000] [--workers 4] [--seed N]`;

function count(value: string | undefined, fallback: number, name: string): number {
	if (value === undefined) return fallback;
	const n = Number(value);
	if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} takes a whole number, not ${value}`);
	return n;
}

async function main(): Promise<number> {
	const [command, ...rest] = process.argv.slice(2);
	const { values } = parseArgs({
		args: rest,
		options: {
			kills: { type: 'string' },
			writes: { type: 'string' },
			clients: { type: 'string' },
			customers: { type: 'string' },
			cases: { type: 'string' },
			workers: { type: 'string' },
			seed: { type: 'string' }
		},
		strict: true
	});
	const seed = count(values.seed, Date.now() % 2 ** 31, 'seed');
	const print = (line: string): void => void process.stdout.write(`${line}\n`);
	if (command === 'crash') {
		const kills = count(values.kills, 20, 'kills');
		const writes = count(values.writes, 1000, 'writes');
		const clients = count(values.clients, 3, 'clients');
		const customers = count(values.customers, 2, 'customers');
		print(
			`crash: seed ${seed}, ${kills} kills, ${writes} writes per round, ${clients} clients x ${customers + 1} documents`
		);
		const figures = await runCrash({ kills, writes, clients, customers, seed, log: print });
		const bad = figures.rounds.filter((r) => r.integrity !== 'ok').length;
		print(
			`crash: ${figures.rounds.length} kills, ${figures.sent} writes sent, ${figures.acked} acked, ${figures.lost} lost, ` +
				`integrity_check ok ${figures.rounds.length - bad}/${figures.rounds.length}, ` +
				`kept unacked ${figures.rounds.reduce((sum, r) => sum + r.keptUnacked, 0)}, ${figures.seconds.toFixed(1)} s`
		);
		return figures.lost === 0 && bad === 0 ? 0 : 1;
	}
	if (command === 'input') {
		const cases = count(values.cases, 100_000, 'cases');
		print(`input: seed ${seed}, ${cases} cases`);
		const workers = count(values.workers, 4, 'workers');
		// Ctrl-C (or SIGTERM) ends the run early with the figures of the cases done so far.
		const stop = new AbortController();
		const abort = (): void => {
			print('input: stopping after the cases in flight');
			stop.abort();
		};
		process.once('SIGINT', abort);
		process.once('SIGTERM', abort);
		const figures = await runInput({ cases, seed, workers, log: print, signal: stop.signal });
		for (const line of figures.summary) print(line);
		return figures.failures.length === 0 ? 0 : 1;
	}
	process.stderr.write(`${USAGE}\n`);
	return 2;
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exitCode = 1;
	}
);
