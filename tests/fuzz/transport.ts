// The fuzz's one transport function: the WebSocket class a peer's replica opens its sockets with: the relay's in-memory
// socket pair (S141) when the world runs the relay in this process, `ws` over 127.0.0.1 for the real server process.
import NodeWebSocket from 'ws';
import type { Relay } from '../../server/src/relay/types';
import { memoryWebSocketClass } from '../../server/src/relay/memory-socket';
import * as decoding from 'lib0/decoding';
import { MESSAGE_ACK, readAckBody } from '../../src/lib/data/sync/protocol';

/** Where the relay is now, for one peer. */
export interface Target {
	/** `ws://host:port/sync`: the socket keeps the document path y-websocket asked for and takes this base. */
	readonly base: string;
	readonly headers: Record<string, string>;
	/** The relay in this process: sockets are in-memory pairs to it (no network). */
	readonly relay?: Relay;
}

/** What a peer's sockets tell the harness, and how it finds the relay again after a restart. */
export interface Link {
	/** Null while the relay is down: the socket then fails at once and y-websocket tries again later (S17). */
	target(): Target | null;
	/** S5: the relay's ack on a socket of `docName` (wire name), with the server's state vector after the commit. */
	onAck(docName: string, stateVector: Uint8Array): void;
	/** Every socket the replica opens, so the schedule can cut it mid-stream (partial delivery). */
	onSocket(socket: CuttableSocket): void;
}

export interface CuttableSocket {
	readonly docName: string;
	/** Drops the connection without a close handshake: frames in flight either way are lost (1006 for both sides). */
	cut(): void;
	isOpen(): boolean;
}

/** Nothing listens on port 1: a socket opened while the relay is down is refused at once. */
const DOWN_BASE = 'ws://127.0.0.1:1/sync';

const bytesOf = (data: unknown): Uint8Array | null => {
	if (data instanceof ArrayBuffer) return new Uint8Array(data);
	if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
	return null;
};

/** The ack's state vector when `frame` is an ack, else null (the replica parses every frame itself too). */
function ackIn(frame: Uint8Array): Uint8Array | null {
	try {
		const decoder = decoding.createDecoder(frame);
		if (decoding.readVarUint(decoder) !== MESSAGE_ACK) return null;
		return readAckBody(decoder).stateVector;
	} catch {
		return null;
	}
}

export function socketClass(link: Link): typeof WebSocket {
	const overWs = (url: string | URL, protocols: string | string[] | undefined, target: Target | null): object => {
		const path = new URL(url).pathname.replace(/^\/sync/, '');
		const socket = new NodeWebSocket(`${target?.base ?? DOWN_BASE}${path}`, protocols, {
			headers: target?.headers ?? {}
		});
		const docName = decodeURIComponent(path.slice(1));
		socket.on('message', (data: unknown) => {
			const frame = bytesOf(data);
			const stateVector = frame ? ackIn(frame) : null;
			if (stateVector) link.onAck(docName, stateVector);
		});
		link.onSocket({ docName, cut: () => socket.terminate(), isOpen: () => socket.readyState === NodeWebSocket.OPEN });
		return socket;
	};
	const inMemory = (url: string | URL, target: Target & { relay: Relay }): object => {
		const docName = decodeURIComponent(new URL(url).pathname.replace(/^\/sync\//, ''));
		const Memory = memoryWebSocketClass(target.relay, {
			headers: target.headers,
			// Acks are read as the relay sends them: it sends one only after the commit (S5).
			fate: (frame, direction) => {
				if (direction === 'toClient') {
					const stateVector = ackIn(frame);
					if (stateVector) link.onAck(docName, stateVector);
				}
				return 'deliver';
			},
			onOpen: (memoryLink) => link.onSocket({ docName, cut: () => memoryLink.cut(), isOpen: () => !memoryLink.closed })
		});
		return new Memory(url);
	};
	// A constructor that returns the socket it made: y-websocket only calls `new` and uses the instance.
	function FuzzSocket(url: string | URL, protocols?: string | string[]): object {
		const target = link.target();
		return target?.relay ? inMemory(url, { ...target, relay: target.relay }) : overWs(url, protocols, target);
	}
	Object.assign(FuzzSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
	return FuzzSocket as unknown as typeof WebSocket;
}
