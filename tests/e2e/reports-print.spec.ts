// P8: the print layout: a report printed to PDF through chromium (print media), its pages turned into images (attached to
// the test report) and read back as text: every page names the report, the tenant and the period, and the table is there.
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { CONTEXT_OPTIONS } from './support/fixtures';
import { openReport, signIn, test } from './support/reports-tenant';

/** The text of one PDF page (pdftotext keeps the reading order with -layout off). */
function pageText(pdf: string, pageNumber: number): string {
	return execFileSync('pdftotext', ['-f', String(pageNumber), '-l', String(pageNumber), pdf, '-'], {
		encoding: 'utf8'
	});
}

function pageCount(pdf: string): number {
	const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
	return Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0);
}

// Whitespace and line breaks differ between the screen and pdftotext: compare words only.
const flat = (text: string): string => text.replace(/\s+/g, ' ').trim();

for (const { slug, title, row } of [
	{ slug: 'storage', title: 'Storage consumption', row: 'Fabrikam S.A.' },
	{ slug: 'operations', title: 'Customer operations', row: 'Exchange backup' },
	{ slug: 'licenses', title: 'License usage', row: 'Endpoint Security' }
]) {
	test(`P8: the print layout of the ${slug} report: a PDF whose every page has the title, the tenant and the period, with the table`, async ({
		reports,
		browser
	}, testInfo) => {
		const { server, seed } = reports;
		const context = await browser.newContext(CONTEXT_OPTIONS);
		try {
			const page = await context.newPage();
			await signIn(page, server.url, seed.owner);
			await openReport(page, slug);
			const period = flat((await page.getByTestId(`report-${slug}-period`).textContent()) ?? '');
			expect(period).not.toBe('');
			await expect(page.getByTestId(`report-${slug}`).locator('table.table tbody tr').first()).toBeVisible();

			// On screen the print header is hidden; the PDF is made with print media.
			await expect(page.getByTestId(`report-${slug}-print-meta`)).toBeHidden();
			const pdf = testInfo.outputPath(`${slug}.pdf`);
			writeFileSync(
				pdf,
				await page.pdf({ format: 'A4', printBackground: true, margin: { top: '12mm', bottom: '12mm' } })
			);
			await testInfo.attach(`${slug}.pdf`, { path: pdf, contentType: 'application/pdf' });

			const pages = pageCount(pdf);
			expect(pages).toBeGreaterThanOrEqual(1);
			execFileSync('pdftoppm', ['-png', '-r', '60', pdf, testInfo.outputPath(`${slug}-page`)]);
			const images = readdirSync(testInfo.outputPath())
				.filter((name) => name.startsWith(`${slug}-page`))
				.sort();
			expect(images).toHaveLength(pages);
			for (const image of images)
				await testInfo.attach(image, { path: join(testInfo.outputPath(), image), contentType: 'image/png' });

			let all = '';
			for (let n = 1; n <= pages; n++) {
				const text = flat(pageText(pdf, n));
				all += ` ${text}`;
				expect(text, `page ${n}`).toContain(title);
				expect(text, `page ${n}`).toContain(seed.tenantName);
				expect(text, `page ${n}`).toContain(period);
				expect(text, `page ${n}`).toMatch(/Printed /);
				// Nothing of the app around the report: no navigation, no buttons.
				expect(text, `page ${n}`).not.toContain('Export CSV');
				expect(text, `page ${n}`).not.toContain('Sign out');
			}
			expect(all).toContain(row);
		} finally {
			await context.close();
		}
	});
}
