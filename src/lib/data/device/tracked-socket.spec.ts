// S17: the socket wrapper opens the first connection at once and every reconnect after a random jitter; S6: it numbers frames.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { trackedSocketClass, type TrackedSocketInfo } from './tracked-socket';

/** Records what y-websocket's socket would be asked to do. */
class FakeSocket {
	static created: FakeSocket[] = [];
	readyState = 1;
	binaryType = 'blob';
	sent: unknown[] = [];
	onopen: ((event: Event) => void) | null = null;
	onmessage: ((event: MessageEvent) => void) | null = null;
	onclose: ((event: CloseEvent) => void) | null = null;
	onerror: ((event: Event) => void) | null = null;
	constructor(readonly url: string) {
		FakeSocket.created.push(this);
	}
	send(data: unknown): void {
		this.sent.push(data);
	}
	close(): void {
		this.readyState = 3;
	}
}

function build(delays: number[]) {
	const sent: Array<[number, number, boolean]> = [];
	const Socket = trackedSocketClass(FakeSocket as unknown as typeof WebSocket, {
		delayFor: (attempt) => (attempt === 0 ? 0 : delays[attempt - 1]!),
		onCreated: (_socket: TrackedSocketInfo) => undefined,
		onSent: (socket, frame, isStep2) => sent.push([socket.id, frame, isStep2])
	});
	return { Socket, sent };
}

beforeEach(() => {
	FakeSocket.created = [];
	vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('tracked socket', () => {
	it('S17: the first attempt opens at once, a reconnect only after its jitter', () => {
		const { Socket } = build([700]);
		const first = new Socket('ws://relay/sync/tenant:a');
		expect(FakeSocket.created).toHaveLength(1);
		first.binaryType = 'arraybuffer';
		expect(FakeSocket.created[0]!.binaryType).toBe('arraybuffer');

		const second = new Socket('ws://relay/sync/tenant:a');
		expect(FakeSocket.created).toHaveLength(1);
		expect(second.readyState).toBe(0);
		vi.advanceTimersByTime(699);
		expect(FakeSocket.created).toHaveLength(1);
		vi.advanceTimersByTime(1);
		expect(FakeSocket.created).toHaveLength(2);
		expect(second.readyState).toBe(1);
	});

	it('S17: closing while the jitter runs cancels the attempt', () => {
		const { Socket } = build([500]);
		new Socket('ws://relay/sync/tenant:a');
		const waiting = new Socket('ws://relay/sync/tenant:a');
		waiting.close();
		vi.advanceTimersByTime(1000);
		expect(FakeSocket.created).toHaveLength(1);
		expect(waiting.readyState).toBe(3);
	});

	it('S6: frames are numbered per socket and a sync step 2 is recognized', () => {
		const { Socket, sent } = build([]);
		const socket = new Socket('ws://relay/sync/tenant:a');
		socket.send(new Uint8Array([0, 0, 1, 0]));
		socket.send(new Uint8Array([0, 1, 2, 0, 0]));
		expect(sent).toEqual([
			[1, 1, false],
			[1, 2, true]
		]);
	});
});
