// The message check's own tests, over small fixtures: each kind of problem is found and named with its key and language.
import { describe, expect, it } from 'vitest';
import { checkMessages, describeIssue, type MessageFile } from './message-check';

const plural = (inputs: string[], match: Record<string, string>) => [
	{
		declarations: [...inputs.map((input) => `input ${input}`), 'local countPlural = count: plural'],
		selectors: ['countPlural'],
		match
	}
];

const en: MessageFile = {
	$schema: 'https://inlang.com/schema/inlang-message-format',
	title: 'Customers',
	hello: 'Hello {name}',
	export: 'CSV',
	pending: plural(['count'], { 'countPlural=one': '{count} change', 'countPlural=*': '{count} changes' })
};
const de: MessageFile = {
	$schema: 'https://inlang.com/schema/inlang-message-format',
	title: 'Kunden',
	hello: 'Hallo {name}',
	export: 'CSV',
	pending: plural(['count'], { 'countPlural=one': '{count} Änderung', 'countPlural=*': '{count} Änderungen' })
};
const pl: MessageFile = {
	title: 'Klienci',
	hello: 'Witaj {name}',
	export: 'CSV',
	pending: plural(['count'], {
		'countPlural=one': '{count} zmiana',
		'countPlural=few': '{count} zmiany',
		'countPlural=many': '{count} zmian',
		'countPlural=*': '{count} zmiany'
	})
};
const OPTIONS = { base: 'en', pluralForms: { pl: ['one', 'few', 'many', '*'] }, sameWords: new Set(['csv', 'ok']) };

const check = (files: Record<string, MessageFile>) => checkMessages(files, OPTIONS).map(describeIssue);

describe('message check', () => {
	it('P9: complete, consistent translations pass', () => {
		expect(check({ en, de, pl })).toEqual([]);
	});

	it('P9: a message missing in a language is named with its key and language', () => {
		const { hello: _hello, ...rest } = de;
		expect(check({ en, de: rest, pl })).toEqual(['de hello: missing: not translated']);
	});

	it('P9: a key the base language does not have is refused', () => {
		expect(check({ en, de: { ...de, goodbye: 'Tschüss' }, pl })).toEqual(['de goodbye: extra: not a message of en']);
	});

	it('P9: a parameter renamed, added or dropped in a translation is found, in texts and plural declarations', () => {
		expect(
			check({
				en,
				de: { ...de, hello: 'Hallo {nom}' },
				pl: { ...pl, pending: plural(['count', 'extra'], (pl.pending as [{ match: Record<string, string> }])[0].match) }
			})
		).toEqual([
			'de hello: parameters: {nom} where en has {name}',
			'pl pending: parameters: {count, extra} where en has {count}'
		]);
		// A plain text with the same placeholder is the same parameter set as a plural with that input.
		expect(
			check({ en: { ...en, hello: 'Hello {count}' }, de: { ...de, hello: plural([], { 'countPlural=*': '{count}' }) } })
		).toEqual([]);
	});

	it('P9: a Polish plural without one of one, few, many and * is found (a wording without a count needs none)', () => {
		const match = { 'countPlural=one': '{count} zmiana', 'countPlural=*': '{count} zmiany' };
		expect(check({ en, de, pl: { ...pl, pending: plural(['count'], match) } })).toEqual([
			'pl pending: pluralForms: countPlural lacks few, many'
		]);
		expect(check({ en, de, pl: { ...pl, pending: 'Zmiany: {count}' } })).toEqual([]);
	});

	it('P9: English copied into a translation is found; words that are the same everywhere are allowed', () => {
		expect(check({ en, de: { ...de, title: 'Customers', hello: 'Hello {name}' }, pl })).toEqual([
			'de title: copied: the en text: "Customers"',
			'de hello: copied: the en text: "Hello {name}"'
		]);
		expect(check({ en: { ...en, code: 'OK ({count})' }, de: { ...de, code: 'OK ({count})' } })).toEqual([]);
	});

	it('P9: a message that is neither a text nor variants is reported, not thrown', () => {
		expect(check({ en, de: { ...de, title: 42 }, pl: { ...pl, title: [{ match: 'x' }] } })).toEqual([
			'de title: invalid: neither a text nor a list of variants',
			'pl title: invalid: neither a text nor a list of variants'
		]);
	});
});
