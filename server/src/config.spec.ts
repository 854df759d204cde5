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

	it('S54: the demo keeps its data in ./data-demo unless DATA_DIR says otherwise', () => {
		expect(loadConfig({}, ['--demo'], '/srv/portal').dataDir).toBe('/srv/portal/data-demo');
		expect(loadConfig({ DATA_DIR: '/var/lib/demo' }, ['--demo'], '/srv').dataDir).toBe('/var/lib/demo');
		expect(loadConfig({}, [], '/srv/portal').dataDir).toBe('/srv/portal/data');
	});

	it('S52: TRUSTED_PROXIES takes addresses and CIDR ranges, IPv4 and IPv6, and refuses anything else', () => {
		expect(loadConfig({}, [], '/').trustedProxies).toEqual([]);
		expect(loadConfig({ TRUSTED_PROXIES: ' 10.0.0.0/8, 192.0.2.7,fd00::/8 ' }, [], '/').trustedProxies).toEqual([
			'10.0.0.0/8',
			'192.0.2.7',
			'fd00::/8'
		]);
		for (const bad of ['10.0.0.0/33', 'proxy.example', '10.0.0.1/8/8', '::1/129', '10.0.0.0/x']) {
			expect(() => loadConfig({ TRUSTED_PROXIES: bad }, [], '/')).toThrow(ConfigError);
			expect(() => loadConfig({ TRUSTED_PROXIES: bad }, [], '/')).toThrow(/TRUSTED_PROXIES.*not an IP address/);
		}
	});

	it('refuses bad values with a message naming them', () => {
		expect(() => loadConfig({ PORT: 'eighty' }, [], '/')).toThrow(ConfigError);
		expect(() => loadConfig({ PORT: '70000' }, [], '/')).toThrow(/PORT/);
		expect(() => loadConfig({ ALLOWED_ORIGINS: 'https://a.example/path' }, [], '/')).toThrow(/not an origin/);
		expect(() => loadConfig({ LOG_LEVEL: 'loud' }, [], '/')).toThrow(/LOG_LEVEL/);
		expect(() => loadConfig({}, ['--demo', '--fast'], '/')).toThrow(/--fast/);
	});
});
