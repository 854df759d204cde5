// The root types of a customer document `customer:<id>` (repositories, the server's writers and the relay's validator use
// these names): contacts and notes (people), services and service requests with their notes (people and integrations),
// jobs, job days and backup requests (the server only, from integrations).
export const CUSTOMER_ROOTS = {
	contacts: 'contacts',
	notes: 'notes',
	services: 'services',
	serviceRequests: 'serviceRequests',
	requestNotes: 'requestNotes',
	jobs: 'jobs',
	jobDays: 'jobDays',
	backupRequests: 'backupRequests'
} as const;
