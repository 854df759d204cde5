// P9: the check in `npm test` over the real messages/*.json: every message in all five languages, with the same
// parameters, Polish plurals complete, and no English copied into a translation.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import settings from '../../project.inlang/settings.json' with { type: 'json' };
import { checkMessages, describeIssue, type MessageFile } from './message-check';

/** The same in every language: abbreviations, product and brand names, and words the vendors' portals keep in English. */
const SAME_WORDS = new Set(
	[
		'ok csv pdf api id ids msp msps url ip ipv4 ipv6 cidr iso utc json smtp eml status e-mail email online offline',
		'dashboard backup login admin tag tags token portal partner eset sophos carbonite protect central microsoft google',
		'kb mb gb tb min h s x pm am',
		// Words German, Spanish, Polish or Italian share with English, as the translators found them (2026-12-02).
		'distributor normal name pool business problem super help desk helpdesk server details jobs general no password',
		'orange pink filter total subtotal account',
		// Sample values of the template preview: a company and a person's name and address.
		'northwind it ana ruiz ana.ruiz contoso.example'
	].flatMap((line) => line.split(' '))
);

function read(locale: string): MessageFile {
	return JSON.parse(readFileSync(new URL(`../../messages/${locale}.json`, import.meta.url), 'utf8')) as MessageFile;
}

describe('messages', () => {
	it('P9: every message exists in en, de, es, pl and it with the same parameters, Polish plurals complete, nothing copied from English', () => {
		const files = Object.fromEntries(settings.locales.map((locale) => [locale, read(locale)]));
		const issues = checkMessages(files, {
			base: settings.baseLocale,
			pluralForms: { pl: ['one', 'few', 'many', '*'] },
			sameWords: SAME_WORDS
		});
		expect(issues.map(describeIssue)).toEqual([]);
	});
});
