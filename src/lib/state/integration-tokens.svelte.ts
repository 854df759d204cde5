// P4, P5: the integration tokens section's state: the tenant's tokens from the server (online only), a new token's secret
// shown once until dismissed, and revocation.
import { createIntegrationToken, fetchIntegrationTokens, revokeIntegrationToken } from '$lib/api/integrations';
import { tokenNameSchema, type IntegrationToken } from '$lib/schema/integrations';
import { m } from '$lib/paraglide/messages.js';
import { errorMessage } from './labels';

export type TokensStatus = 'loading' | 'ready' | 'failed';

export class IntegrationTokensState {
	name = $state('');
	#tokens = $state<IntegrationToken[]>([]);
	#status = $state<TokensStatus>('loading');
	#loadError = $state<string | null>(null);
	#nameError = $state<string | null>(null);
	#formError = $state<string | null>(null);
	#busy = $state(false);
	/** The secret of the token just created: shown once, gone when dismissed (the server keeps only its hash). */
	#created = $state<{ readonly token: IntegrationToken; readonly secret: string } | null>(null);

	get tokens(): readonly IntegrationToken[] {
		return this.#tokens;
	}
	get status(): TokensStatus {
		return this.#status;
	}
	get loadError(): string | null {
		return this.#loadError;
	}
	get nameError(): string | null {
		return this.#nameError;
	}
	get formError(): string | null {
		return this.#formError;
	}
	get busy(): boolean {
		return this.#busy;
	}
	get created(): { readonly token: IntegrationToken; readonly secret: string } | null {
		return this.#created;
	}

	async load(): Promise<void> {
		this.#status = 'loading';
		try {
			this.#tokens = sortTokens(await fetchIntegrationTokens());
			this.#status = 'ready';
		} catch (error) {
			this.#loadError = errorMessage(error);
			this.#status = 'failed';
		}
	}

	async create(): Promise<boolean> {
		this.#formError = null;
		const parsed = tokenNameSchema.safeParse(this.name);
		if (!parsed.success) {
			this.#nameError = m.tokens_name_invalid();
			return false;
		}
		this.#nameError = null;
		this.#busy = true;
		try {
			const created = await createIntegrationToken(parsed.data);
			this.#created = created;
			this.#tokens = sortTokens([created.token, ...this.#tokens.filter((token) => token.id !== created.token.id)]);
			this.name = '';
			return true;
		} catch (error) {
			this.#formError = errorMessage(error);
			return false;
		} finally {
			this.#busy = false;
		}
	}

	/** The secret was copied or read: it is not kept on the device. */
	dismissSecret(): void {
		this.#created = null;
	}

	async revoke(id: string): Promise<boolean> {
		this.#formError = null;
		this.#busy = true;
		try {
			await revokeIntegrationToken(id);
			// The list is read again: the server says when it was revoked.
			this.#tokens = sortTokens(await fetchIntegrationTokens());
			if (this.#created?.token.id === id) this.#created = null;
			return true;
		} catch (error) {
			this.#formError = errorMessage(error);
			return false;
		} finally {
			this.#busy = false;
		}
	}
}

/** Active tokens first, newest first. */
function sortTokens(tokens: readonly IntegrationToken[]): IntegrationToken[] {
	return [...tokens].sort(
		(a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null) || b.createdAt.localeCompare(a.createdAt)
	);
}
