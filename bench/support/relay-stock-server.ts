// Child process of the relay benchmark's baseline: the stock y-websocket server (@y/websocket-server 0.1.1, its
// setupWSConnection as its bin/server.js wires it) on 127.0.0.1:0, no persistence, no auth; answers the same IPC as
// relay-server.ts so the benchmark drives both alike.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
import { parentMessageSchema, type ChildMessage } from './relay-protocol';

function send(message: ChildMessage): void {
	process.send?.(message);
}

const wss = new WebSocketServer({ noServer: true });
const server = createServer((_request, response) => {
	response.writeHead(200, { 'content-type': 'text/plain' });
	response.end('okay');
});
wss.on('connection', setupWSConnection);
server.on('upgrade', (request, socket, head) => {
	wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});

let stopping = false;
const stop = (): void => {
	if (stopping) return;
	stopping = true;
	for (const client of wss.clients) client.terminate();
	server.close(() => {
		if (process.connected) process.disconnect();
	});
};
process.on('message', (raw: unknown) => {
	const message = parentMessageSchema.safeParse(raw);
	if (!message.success) return;
	if (message.data.type === 'memory') {
		(globalThis as { gc?: () => void }).gc?.();
		const usage = process.memoryUsage();
		const { rss, heapUsed, heapTotal, external, arrayBuffers } = usage;
		send({ type: 'memory', rss, heapUsed, heapTotal, external, arrayBuffers });
	} else stop();
});
process.once('disconnect', stop);
server.listen(0, '127.0.0.1', () => {
	const { port } = server.address() as AddressInfo;
	send({ type: 'ready', url: `http://127.0.0.1:${port}` });
});
