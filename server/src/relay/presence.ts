// S30, S43: what the relay lets a connection announce as its presence: a state the app can parse, as the signed-in person.
import { presenceStateSchema, type PresenceAnnouncement } from '../../../src/lib/schema/presence';
import type { Principal } from './types';

/**
 * The awareness state (JSON text) to relay for `state` sent by `principal`'s connection, or null when it is dropped: it does
 * not parse with the app's presence schema, or it claims another person's email. The state is written anew from the parsed
 * fields, so unknown fields never reach the others, and the person is the account's: the email of the session, and no name
 * (a name a client sent is not checked by anyone; the account has none yet).
 */
export function presenceFor(state: string, principal: Principal): string | null {
	let json: unknown;
	try {
		json = JSON.parse(state);
	} catch {
		return null;
	}
	const parsed = presenceStateSchema.safeParse(json);
	if (!parsed.success) return null;
	const email = principal.email.toLowerCase();
	if (parsed.data.user.email.toLowerCase() !== email) return null;
	const announced: PresenceAnnouncement = { user: { email }, editing: parsed.data.editing ?? null };
	return JSON.stringify(announced);
}
