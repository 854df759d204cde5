// Grants as the stores keep them (a JSON column in SQLite), read back through the schema.
import { grantsSchema, type Grant } from '../../../src/lib/schema/access';

/** The grant of every user created before grants existed, and the default of a new one. */
export const TENANT_WIDE: readonly Grant[] = [{ scope: 'tenant' }];

/** Grants read from storage; a value that does not parse grants nothing rather than everything. */
export function parseStoredGrants(json: string): readonly Grant[] {
	try {
		const parsed = grantsSchema.safeParse(JSON.parse(json));
		return parsed.success ? parsed.data : [];
	} catch {
		return [];
	}
}
