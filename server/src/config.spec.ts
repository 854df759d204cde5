// Configuration from env and argv: defaults, port 0, origins, and clear errors for bad values.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('config', () => {
	it('defaults: port 3000 on every interface, ./data, no demo', () => {
		const config = loadConfig({}, [], '/srv/portal');
		expect(config).toMatchObject({
			port: 3000,
			host: '0.0.0.0',
			dataDir: '/srv/portal/data',
			publicUrl: null,
			allowedOrigins: [],
			logLevel: 'info',
			demo: false
		});
	});

	it('reads PORT=0, --demo, PUBLIC_URL and ALLOWED_ORIGINS', () => {
		const config = loadConfig(
			{
				PORT: '0',
				DATA_DIR: '/var/lib/msp',
				PUBLIC_URL: 'https://portal.example.com/',
				ALLOWED_ORIGINS: 'https://a.example, http://b.example:8080'
			},
			['--demo'],
			'/srv'
		);
		expect(config).toMatchObject({
			port: 0,
			dataDir: '/var/lib/msp',
			publicUrl: 'https://portal.example.com',
			demo: true
		});
		expect(config.allowedOrigins).toEqual(['https://portal.example.com', 'https://a.example', 'http://b.example:8080']);
	});

	it('the demo, whose password is printed, listens on loopback unless HOST says otherwise', () => {
		expect(loadConfig({}, ['--demo'], '/').host).toBe('127.0.0.1');
		expect(loadConfig({ HOST: '0.0.0.0' }, ['--demo'], '/').host).toBe('0.0.0.0');
		expect(loadConfig({ HOST: '192.168.1.20' }, [], '/').host).toBe('192.168.1.20');
	});

	it('refuses bad values with a message naming them', () => {
		expect(() => loadConfig({ PORT: 'eighty' }, [], '/')).toThrow(ConfigError);
		expect(() => loadConfig({ PORT: '70000' }, [], '/')).toThrow(/PORT/);
		expect(() => loadConfig({ ALLOWED_ORIGINS: 'https://a.example/path' }, [], '/')).toThrow(/not an origin/);
		expect(() => loadConfig({ LOG_LEVEL: 'loud' }, [], '/')).toThrow(/LOG_LEVEL/);
		expect(() => loadConfig({}, ['--demo', '--fast'], '/')).toThrow(/--fast/);
	});
});
