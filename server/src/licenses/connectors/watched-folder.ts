// The watched folder of the file connector: DATA_DIR/imports/<tenantId>/. Files are picked up by the scheduler; an imported
// file moves to done/, a refused one to failed/ with a readable <name>.errors.txt beside it.
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, existsSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FileFormat } from '../../../../src/lib/data/licenses/export-reader';
import type { ImportIssue } from '../../../../src/lib/schema/license-export';
import { tenantIdSchema } from '../../../../src/lib/schema/ids';

export const IMPORTS_DIR = 'imports';
export const DONE_DIR = 'done';
export const FAILED_DIR = 'failed';

export interface DroppedFile {
	readonly tenantId: string;
	readonly name: string;
	readonly path: string;
	readonly format: FileFormat;
	readonly size: number;
	readonly modifiedMs: number;
}

const FORMATS: Readonly<Record<string, FileFormat>> = { '.json': 'json', '.csv': 'csv' };

/** The import folder of each tenant that has one (a folder named like a tenant id), with its files newest first. */
export function droppedFiles(dataDir: string): Map<string, DroppedFile[]> {
	const root = join(dataDir, IMPORTS_DIR);
	const found = new Map<string, DroppedFile[]>();
	if (!existsSync(root)) return found;
	for (const tenantId of readdirSync(root)) {
		const dir = join(root, tenantId);
		if (!tenantIdSchema.safeParse(tenantId).success || !lstatSync(dir).isDirectory()) continue;
		const files: DroppedFile[] = [];
		for (const name of readdirSync(dir)) {
			// A file still being written should be named otherwise (`x.json.part`) and renamed when complete.
			const format = FORMATS[extname(name).toLowerCase()];
			if (name.startsWith('.') || format === undefined) continue;
			const path = join(dir, name);
			const stat = lstatSync(path);
			// Regular files only: a symbolic link could make the server read (and move) a file elsewhere.
			if (!stat.isFile()) continue;
			files.push({ tenantId, name, path, format, size: stat.size, modifiedMs: stat.mtimeMs });
		}
		files.sort((a, b) => b.modifiedMs - a.modifiedMs || (a.name < b.name ? 1 : -1));
		if (files.length > 0) found.set(tenantId, files);
	}
	return found;
}

export function readDroppedFile(file: DroppedFile): string {
	return readFileSync(file.path, 'utf8');
}

/** Moves a file into done/ or failed/ beside it (a name already there gets the time in front); answers the new name. */
function moveInto(file: DroppedFile, folder: string, now: Date): string {
	const dir = join(file.path, '..', folder);
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	const name = existsSync(join(dir, file.name)) ? `${now.toISOString().replaceAll(':', '-')}-${file.name}` : file.name;
	renameSync(file.path, join(dir, name));
	return name;
}

export function markImported(file: DroppedFile, now: Date): void {
	moveInto(file, DONE_DIR, now);
}

/** Moves a refused file to failed/ and writes why beside it, one problem a line. */
export function markFailed(file: DroppedFile, now: Date, message: string, details: readonly ImportIssue[]): void {
	const name = moveInto(file, FAILED_DIR, now);
	const lines = [
		`${file.name} was not imported (${now.toISOString()}): ${message}`,
		'Nothing was changed. Correct the file and put it into the folder again.',
		...(details.length > 0 ? ['', ...details.map((issue) => `${issue.where}: ${issue.message}`)] : [])
	];
	writeFileSync(join(file.path, '..', FAILED_DIR, `${name}.errors.txt`), `${lines.join('\n')}\n`, { mode: 0o600 });
}
