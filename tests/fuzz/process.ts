export async function startProcessWorld(): Promise<never> { throw new Error("todo"); }
