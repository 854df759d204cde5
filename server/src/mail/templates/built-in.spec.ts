// P14: every built-in template, each kind in each language, names only its kind's placeholders and renders with none left.
import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate, templateIssues } from '../../../../src/lib/domain/templates';
import { LOCALES } from '../../../../src/lib/schema/locale';
import { TEMPLATE_KINDS, TEMPLATE_PLACEHOLDERS } from '../../../../src/lib/schema/templates';
import { BUILT_IN_TEMPLATES, builtInTemplate } from './built-in';
import {
	formatMoment,
	invitationValues,
	userCount,
	type InvitationFacts
} from '../../../../src/lib/domain/template-values';

const facts = (kind: (typeof TEMPLATE_KINDS)[number]): InvitationFacts => {
	const common = {
		tenantName: 'Acme IT',
		email: 'ana@contoso.example',
		invitedBy: 'owner@acme.example',
		link: 'https://portal.acme.example/invitations/accept?token=abc',
		expiresAt: new Date('2026-03-09T09:00:00Z')
	};
	return kind === 'userInvitation'
		? { kind, ...common }
		: {
				kind,
				...common,
				organization: 'Contoso',
				contactName: 'Ana Ruiz',
				services: ['exchangeBackup', 'teamsBackup'],
				license: { billingType: 'trial', product: 'Backup for Office 365', units: 5, expiresOn: '2027-03-10' }
			};
};

describe('built-in templates', () => {
	it('P14: there is one for each kind in each of the five languages', () => {
		expect(BUILT_IN_TEMPLATES).toHaveLength(TEMPLATE_KINDS.length * LOCALES.length);
		for (const kind of TEMPLATE_KINDS)
			for (const locale of LOCALES) expect(builtInTemplate(kind, locale)).toMatchObject({ kind, locale });
	});

	for (const kind of TEMPLATE_KINDS)
		for (const locale of LOCALES)
			it(`P14: the built-in ${kind} template in ${locale} is valid and renders with no placeholder left`, () => {
				const template = builtInTemplate(kind, locale);
				expect(templateIssues(kind, template)).toEqual([]);
				const values = invitationValues(facts(kind), locale, 'Europe/Berlin');
				// Every placeholder the kind offers has a value, and the template uses the link and the expiry.
				for (const name of TEMPLATE_PLACEHOLDERS[kind]) expect(values[name], name).toBeTypeOf('string');
				expect(parseTemplate(template.body).placeholders.map((p) => p.name)).toEqual(
					expect.arrayContaining(['link', 'expiresAt', 'tenantName'])
				);
				const mail = renderTemplate(template, values);
				expect(mail.subject).not.toMatch(/\{\{|\}\}|\n/);
				expect(mail.text).not.toMatch(/\{\{|\}\}/);
				expect(mail.subject).toContain('Acme IT');
				expect(mail.text).toContain('https://portal.acme.example/invitations/accept?token=abc');
				expect(mail.text).toContain(formatMoment(new Date('2026-03-09T09:00:00Z'), locale, 'Europe/Berlin'));
			});

	it('P14: the values speak the language: Polish plurals, dates in the tenant time zone', () => {
		expect([1, 2, 5, 22, 25].map((n) => userCount(n, 'pl'))).toEqual([
			'1 użytkownik',
			'2 użytkownicy',
			'5 użytkowników',
			'22 użytkownicy',
			'25 użytkowników'
		]);
		expect(userCount(1, 'en')).toBe('1 user');
		expect(userCount(1500, 'de')).toBe('1.500 Benutzer');
		const values = invitationValues(facts('customerInvitation'), 'de', 'Europe/Berlin');
		expect(values.expiresAt).toBe('9. März 2026 um 10:00 MEZ');
		expect(values.services).toBe('Exchange-Backup und Teams-Backup');
		expect(values.licenseExpiresOn).toBe('10. März 2027');
	});
});
