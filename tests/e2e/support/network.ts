// Takes one browser context off the network for real: its /sync websockets are cut (setOffline leaves open sockets alone)
// and HTTP goes offline, so the service worker and IndexedDB must carry the app.
import type { BrowserContext, Route, WebSocketRoute } from '@playwright/test';
import { BATCH_PATH, decodeBatchRequest } from '../../../src/lib/data/sync/batch';

/** A close code y-websocket treats as transient (44xx would be final, S9), like a dropped connection. */
const DROPPED = 1001;

export class NetworkSwitch {
	readonly #context: BrowserContext;
	readonly #live = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
	#offline = false;
	#held: RegExp | null = null;

	private constructor(context: BrowserContext) {
		this.#context = context;
	}

	/** Install before the first page opens, so that every websocket of the context goes through the switch. */
	static async install(context: BrowserContext): Promise<NetworkSwitch> {
		const net = new NetworkSwitch(context);
		await context.routeWebSocket(/\/sync\//, (ws) => net.#route(ws));
		// S126: the batched catch-up reaches documents over HTTP; a held document does not get through that way either.
		await context.route(`**${BATCH_PATH}`, (route) => net.#routeBatch(route));
		return net;
	}

	get offline(): boolean {
		return this.#offline;
	}

	/**
	 * Sockets whose URL matches never get through (as behind a proxy that drops them), nor catch-up batches naming a
	 * matching document; null lets all through again.
	 */
	holdSockets(pattern: RegExp | null): void {
		this.#held = pattern;
	}

	#route(ws: WebSocketRoute): void {
		if (this.#offline || this.#held?.test(ws.url())) {
			// The page's socket never reaches the server; y-websocket sees a close and backs off.
			void ws.close({ code: DROPPED, reason: 'e2e: offline' });
			return;
		}
		// No onMessage/onClose handlers: Playwright forwards frames and closes between page and server by itself.
		const server = ws.connectToServer();
		this.#live.add({ page: ws, server });
	}

	async #routeBatch(route: Route): Promise<void> {
		const body = route.request().postDataBuffer();
		const held = this.#held;
		if (
			held !== null &&
			body !== null &&
			decodeBatchRequest(new Uint8Array(body)).some((entry) => held.test(entry.docName))
		)
			await route.abort('connectionfailed');
		else await route.continue();
	}

	async goOffline(): Promise<void> {
		this.#offline = true;
		await this.#context.setOffline(true);
		const live = [...this.#live];
		this.#live.clear();
		// Both sides: the page sees a dropped connection and the relay forgets this client, as when a cable is pulled.
		await Promise.all(
			live.flatMap(({ page, server }) => [
				page.close({ code: DROPPED, reason: 'e2e: offline' }),
				server.close({ code: DROPPED, reason: 'e2e: offline' })
			])
		);
	}

	async goOnline(): Promise<void> {
		this.#offline = false;
		await this.#context.setOffline(false);
	}
}
