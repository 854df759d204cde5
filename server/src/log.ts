// The structured logger (pino, JSON lines on stdout); secrets and personal data are redacted wherever they would appear.
import pino from 'pino';

/** Paths that may carry user data or secrets; they never reach the log. */
export const REDACT_PATHS = [
	'req.headers.cookie',
	'req.headers.authorization',
	'res.headers["set-cookie"]',
	'headers.cookie',
	'headers.authorization',
	'cookie',
	'password',
	'email',
	'token',
	'*.password',
	'*.email',
	'*.token',
	'*.cookie',
	'*.tenantName',
	'*.name'
];

export function createLogger(level: pino.LevelWithSilent = 'info', destination?: pino.DestinationStream): pino.Logger {
	const options: pino.LoggerOptions = {
		level,
		base: { service: 'msp-portal' },
		redact: { paths: REDACT_PATHS, censor: '[redacted]' }
	};
	return destination ? pino(options, destination) : pino(options);
}
