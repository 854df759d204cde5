// S140: the `ws` adapter of the relay's socket seam (transport.ts), and the one place the relay uses `ws`: accepting an
// HTTP upgrade, S11's frame cap (1009 becomes 4413) and closing the websocket server.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { CLOSE } from '../../../src/lib/data/sync/protocol';
import type { TransportSocket, TransportState } from './transport';

/** S11: ws closes frames above maxPayload with 1009 itself; the relay's sockets turn that into 4413, final for y-websocket. */
class RelaySocket extends WebSocket {
	override close(code?: number, data?: string | Buffer): void {
		if (code === 1009) super.close(CLOSE.tooLarge, 'frame too large');
		else super.close(code, data);
	}
}

const STATES: readonly TransportState[] = ['connecting', 'open', 'closing', 'closed'];

/** A private copy of the frame that owns its whole ArrayBuffer (ws hands out views into pooled buffers). */
function copyFrame(data: RawData): Uint8Array {
	if (Array.isArray(data)) {
		const total = data.reduce((sum, part) => sum + part.byteLength, 0);
		const out = new Uint8Array(total);
		let offset = 0;
		for (const part of data) {
			out.set(part, offset);
			offset += part.byteLength;
		}
		return out;
	}
	return data instanceof ArrayBuffer ? new Uint8Array(data.slice(0)) : new Uint8Array(data);
}

export function wsTransport(socket: WebSocket, onError: (error: Error) => void): TransportSocket {
	// Without a listener, ws would throw a socket's error; it closes the socket after it anyway.
	socket.on('error', onError);
	return {
		get state() {
			return STATES[socket.readyState] ?? 'closed';
		},
		get bufferedAmount() {
			return socket.bufferedAmount;
		},
		send: (frame) => socket.send(frame),
		close: (code, reason) => socket.close(code, reason),
		terminate: () => socket.terminate(),
		pause: () => socket.pause(),
		resume: () => socket.resume(),
		ping: () => socket.ping(),
		onMessage: (listener) => socket.on('message', (data, isBinary) => listener(copyFrame(data), isBinary)),
		onClose: (listener) => socket.once('close', () => listener()),
		onPong: (listener) => socket.on('pong', () => listener())
	};
}

export interface WsAcceptor {
	/** Completes the upgrade and hands the adapted socket over. */
	upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, accepted: (socket: TransportSocket) => void): void;
	close(): Promise<void>;
}

export function createWsAcceptor(maxPayload: number, onError: (error: Error) => void): WsAcceptor {
	const wss = new WebSocketServer<typeof RelaySocket>({ noServer: true, maxPayload, WebSocket: RelaySocket });
	return {
		upgrade(req, socket, head, accepted) {
			wss.handleUpgrade(req, socket, head, (ws) => accepted(wsTransport(ws, onError)));
		},
		close: () => new Promise<void>((resolve) => wss.close(() => resolve()))
	};
}
