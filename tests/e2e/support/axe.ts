// axe-core against WCAG 2.1 A and AA on the page as it is now (the context must bypass the CSP to inject it). The same
// check accessibility.spec.ts runs, for specs of their own screens.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
	readonly id: string;
	readonly impact: string | null;
	readonly help: string;
	readonly targets: string[];
}

export async function violations(page: Page): Promise<Violation[]> {
	await page.evaluate(axeSource);
	return page.evaluate(async () => {
		const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
		const result = await axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }
		});
		return result.violations.map((violation) => ({
			id: violation.id,
			impact: violation.impact ?? null,
			help: violation.help,
			targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' '))
		}));
	});
}
