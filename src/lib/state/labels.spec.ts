// Inline form errors: a value parsed on its own (empty path) is named by the caller, so its message fits the field.
import { describe, expect, it } from 'vitest';
import { passwordSchema } from '$lib/schema/api';
import { fieldErrors } from './labels';

describe('fieldErrors', () => {
	it('names a password parsed on its own: too short reads as too short, not as missing', () => {
		const parsed = passwordSchema.safeParse('short');
		if (parsed.success) throw new Error('a 5-character password passed');
		expect(fieldErrors(parsed.error, 'password')).toEqual({ password: 'A password needs at least 10 characters.' });
	});

	it('without a name, a value parsed on its own keeps the empty key', () => {
		const parsed = passwordSchema.safeParse('');
		if (parsed.success) throw new Error('an empty password passed');
		expect(Object.keys(fieldErrors(parsed.error))).toEqual(['']);
	});
});
