// S60: the client of POST /api/commands; the answer is parsed with the shared schema.
import { commandsResponseSchema, type Command, type CommandResult } from '$lib/schema/commands';
import { parseJson, request } from './client';

export async function postCommands(commands: Command[]): Promise<CommandResult[]> {
	return (await parseJson(await request('POST', '/api/commands', { commands }), commandsResponseSchema)).results;
}
