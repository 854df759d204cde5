// `npm run load -- --sockets 500 --docs 50 --seconds 60`: the load proof (S155-S159) as a command; prints the figures and
// fails when an update was lost or the server's memory grew beyond the bound after the warm-up.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { runLoad, type LoadReport } from './load-run';

const argsSchema = z.object({
	sockets: z.coerce.number().int().min(2).max(2000),
	docs: z.coerce.number().int().min(1).max(500),
	seconds: z.coerce.number().min(1).max(60),
	'warm-up': z.coerce.number().min(1).max(60),
	rate: z.coerce.number().positive().max(20),
	'max-growth-mib': z.coerce.number().positive(),
	store: z.enum(['sqlite', 'memory'])
});

const { values } = parseArgs({
	options: {
		sockets: { type: 'string', default: '500' },
		docs: { type: 'string', default: '50' },
		seconds: { type: 'string', default: '60' },
		'warm-up': { type: 'string', default: '10' },
		rate: { type: 'string', default: '0.5' },
		'max-growth-mib': { type: 'string', default: '24' },
		store: { type: 'string', default: 'sqlite' }
	}
});
const parsed = argsSchema.safeParse(values);
if (!parsed.success) {
	process.stderr.write(`load: ${z.prettifyError(parsed.error)}\n`);
	process.exit(2);
}
const args = parsed.data;
if (args.sockets < args.docs * 2) {
	process.stderr.write('load: needs at least two sockets per document (a writer and a receiver)\n');
	process.exit(2);
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const mib = (value: number): string => `${value.toFixed(1)} MiB`;

function print(report: LoadReport): void {
	const m = report.memory;
	const lines = [
		`load: ${report.sockets} sockets on ${report.docs} documents (${report.users} users, ${report.addresses} source addresses), ${args.rate} edit/s per socket, ${args['warm-up']} s warm-up + ${args.seconds} s measured`,
		`edits: ${report.sent} sent in all, ${report.measuredEdits} measured (${report.editsPerSecond.toFixed(0)} edits/s)`,
		`edit → ack: p50 ${ms(report.editToAck.p50)}, p99 ${ms(report.editToAck.p99)} (${report.editToAck.samples} edits)`,
		`edit → ack of the last 10 s: p50 ${ms(report.editToAckLast10s.p50)}, p99 ${ms(report.editToAckLast10s.p99)}`,
		`CPU over the measured window: server ${report.serverCpu.toFixed(2)} s/s, clients ${report.clientCpu.toFixed(2)} s/s`,
		`fan-out (send → another socket's receipt): p50 ${ms(report.fanOut.p50)}, p99 ${ms(report.fanOut.p99)} (${report.fanOut.samples} deliveries)`,
		`server RSS after warm-up: start ${mib(m.startMiB)}, end ${mib(m.endMiB)}, max ${mib(m.maxMiB)}, slope ${m.slopeMiBPerMinute.toFixed(2)} MiB/min (${m.samples} samples; fitted growth ${mib(m.growthMiB)}, bound ${mib(args['max-growth-mib'])})`,
		`server after a full GC: heap ${mib(m.heapStartMiB)} → ${mib(m.heapEndMiB)}, RSS ${mib(m.rssAfterGcStartMiB)} → ${mib(m.rssAfterGcEndMiB)}, V8 heap reserved ${mib(m.heapTotalStartMiB)} → ${mib(m.heapTotalEndMiB)}, external ${mib(m.externalStartMiB)} → ${mib(m.externalEndMiB)} (after warm-up → after the last edit)`,
		report.failures.length === 0
			? `no lost update: every edit acked, on every socket of its document${report.storeChecked ? ' and in the store' : ' (in-memory store: not read after the stop)'}`
			: `FAILED: ${report.failures.length} problems:\n  ${report.failures.slice(0, 20).join('\n  ')}`
	];
	process.stdout.write(`${lines.join('\n')}\n`);
}

const report = await runLoad({
	sockets: args.sockets,
	docs: args.docs,
	seconds: args.seconds,
	warmUpSeconds: args['warm-up'],
	rate: args.rate,
	store: args.store,
	log: (line) => process.stderr.write(`load: ${line}\n`)
});
print(report);
if (report.failures.length > 0) process.exitCode = 1;
else if (!(report.memory.growthMiB <= args['max-growth-mib'])) {
	process.stdout.write('FAILED: the server memory grew beyond the bound after the warm-up (S158)\n');
	process.exitCode = 1;
}
