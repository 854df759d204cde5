// Starting the relay benchmark's server child processes (ours: relay-server.ts; the stock y-websocket server:
// relay-stock-server.ts) and talking to them over IPC; every wait is bounded, so a broken server fails the run.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
	CHILD_CONFIG_ENV,
	childMessageSchema,
	type ChildConfig,
	type ChildMessage,
	type ParentMessage
} from './relay-protocol';

/** A bound on every wait, so a broken relay fails the benchmark instead of hanging it. */
export const CASE_TIMEOUT_MS = 60_000;

/** USER_HZ on Linux (sysconf(_SC_CLK_TCK)): 100 on every common kernel build. */
const CLOCK_TICKS_PER_SECOND = 100;

export type MemoryUsage = Omit<Extract<ChildMessage, { type: 'memory' }>, 'type'>;

export interface ServerChild {
	readonly url: string;
	readonly pid: number;
	/** Heap after a full collection and RSS, as the child reports them. */
	memory(): Promise<MemoryUsage>;
	/** The child's resident set size in bytes, read from /proc without disturbing it (null where /proc is missing). */
	rss(): number | null;
	/** CPU seconds (user + system) the child has used so far, from /proc (null where /proc is missing). */
	cpuSeconds(): number | null;
	stop(): Promise<void>;
}

export function withTimeout<T>(promise: Promise<T>, what: string, ms = CASE_TIMEOUT_MS): Promise<T> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`relay bench: ${what} took more than ${ms} ms`)), ms);
		promise.then(
			(value) => {
				clearTimeout(timer);
				resolve(value);
			},
			(error: unknown) => {
				clearTimeout(timer);
				reject(error instanceof Error ? error : new Error(String(error)));
			}
		);
	});
}

/** Our server (createServer on SQLite or memory), seeded as `config` says. */
export function startRelayChild(config: ChildConfig, execArgv: readonly string[] = []): Promise<ServerChild> {
	return startChild('./relay-server.ts', { [CHILD_CONFIG_ENV]: JSON.stringify(config) }, execArgv);
}

/** The stock y-websocket server, without persistence. */
export function startStockChild(execArgv: readonly string[] = []): Promise<ServerChild> {
	return startChild('./relay-stock-server.ts', {}, execArgv);
}

async function startChild(
	relativeScript: string,
	env: Record<string, string>,
	execArgv: readonly string[]
): Promise<ServerChild> {
	const script = fileURLToPath(new URL(relativeScript, import.meta.url));
	const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
	// The stock server would persist to LevelDB if this were set in the caller's environment.
	delete childEnv['YPERSISTENCE'];
	const child: ChildProcess = fork(script, [], {
		execArgv: ['--import', 'tsx', '--expose-gc', ...execArgv],
		env: childEnv,
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const waiters: Array<(message: ChildMessage) => boolean> = [];
	child.on('message', (raw: unknown) => {
		const parsed = childMessageSchema.safeParse(raw);
		if (!parsed.success) return;
		const index = waiters.findIndex((waiter) => waiter(parsed.data));
		if (index >= 0) waiters.splice(index, 1);
	});
	const next = <T extends ChildMessage['type']>(type: T): Promise<Extract<ChildMessage, { type: T }>> =>
		withTimeout(
			new Promise((resolve, reject) => {
				waiters.push((message) => {
					if (message.type === 'failed') reject(new Error(`relay bench server failed: ${message.message}`));
					else if (message.type === type) resolve(message as Extract<ChildMessage, { type: T }>);
					else return false;
					return true;
				});
				void exited.then(() => reject(new Error('relay bench server exited')));
			}),
			`the server's ${type} message`
		);
	const post = (message: ParentMessage): void => void child.send(message);

	let ready: { url: string };
	try {
		ready = await next('ready');
	} catch (error) {
		child.kill('SIGKILL');
		throw error;
	}
	const pid = child.pid!;
	return {
		url: ready.url,
		pid,
		async memory() {
			const answer = next('memory');
			post({ type: 'memory' });
			const { type: _type, ...usage } = await answer;
			return usage;
		},
		rss() {
			try {
				const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
				return match ? Number(match[1]) * 1024 : null;
			} catch {
				return null;
			}
		},
		cpuSeconds() {
			try {
				// Fields after the command name (which may hold spaces, so split after its closing parenthesis): utime, stime are 14, 15.
				const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
				const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
				return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
			} catch {
				return null;
			}
		},
		async stop() {
			if (child.exitCode !== null || child.signalCode !== null) return;
			post({ type: 'stop' });
			try {
				await withTimeout(exited, 'stopping the server', 10_000);
			} catch {
				child.kill('SIGKILL');
				await exited;
			}
		}
	};
}
