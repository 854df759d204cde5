// Local company, person, city and street names for the demo tenant, per country.

export const DEMO_COUNTRIES = ['DE', 'ES', 'PL', 'IT', 'AT', 'FR'] as const;
export type DemoCountry = (typeof DEMO_COUNTRIES)[number];

export interface CountryNames {
	readonly stems: readonly string[];
	readonly trades: readonly string[];
	readonly forms: readonly string[];
	readonly firstNames: readonly string[];
	readonly lastNames: readonly string[];
	readonly cities: readonly { readonly name: string; readonly postcode: string }[];
	readonly streets: readonly string[];
	readonly phonePrefix: string;
	readonly domain: string;
	/** How the company name is put together from stem, trade and legal form. */
	readonly pattern: 'stemTrade' | 'tradeStem';
	readonly sites: readonly string[];
}

export const NAMES: Readonly<Record<DemoCountry, CountryNames>> = {
	DE: {
		stems: [
			'Müller',
			'Schneider',
			'Becker',
			'Hoffmann',
			'Wagner',
			'Krüger',
			'Rheinland',
			'Elbtal',
			'Nordsee',
			'Schwarzwald',
			'Hansa',
			'Weser'
		],
		trades: [
			'Maschinenbau',
			'Logistik',
			'Steuerberatung',
			'Bäckerei',
			'Elektrotechnik',
			'Zahnarztpraxis',
			'Architekten',
			'Autohaus'
		],
		forms: ['GmbH', 'GmbH & Co. KG', 'AG', 'e.K.'],
		firstNames: ['Anna', 'Lukas', 'Julia', 'Jonas', 'Katrin', 'Matthias', 'Sabine', 'Tobias'],
		lastNames: ['Fischer', 'Weber', 'Meyer', 'Schulz', 'Koch', 'Richter', 'Klein', 'Wolf'],
		cities: [
			{ name: 'Hamburg', postcode: '20095' },
			{ name: 'München', postcode: '80331' },
			{ name: 'Köln', postcode: '50667' },
			{ name: 'Leipzig', postcode: '04109' },
			{ name: 'Stuttgart', postcode: '70173' },
			{ name: 'Bremen', postcode: '28195' }
		],
		streets: ['Hauptstraße', 'Bahnhofstraße', 'Industriestraße', 'Lindenallee', 'Gartenweg'],
		phonePrefix: '+49',
		domain: 'de',
		pattern: 'stemTrade',
		sites: ['Hauptsitz', 'Lager', 'Filiale']
	},
	AT: {
		stems: ['Alpen', 'Donau', 'Tiroler', 'Gruber', 'Huber', 'Steiner', 'Wachau', 'Salzach'],
		trades: ['Holzbau', 'Tischlerei', 'Hotelbetrieb', 'Installateur', 'Notariat', 'Spedition', 'Weinbau'],
		forms: ['GmbH', 'KG', 'OG'],
		firstNames: ['Florian', 'Theresa', 'Stefan', 'Magdalena', 'Andreas', 'Elisabeth'],
		lastNames: ['Pichler', 'Moser', 'Hofer', 'Leitner', 'Berger', 'Eder'],
		cities: [
			{ name: 'Wien', postcode: '1010' },
			{ name: 'Graz', postcode: '8010' },
			{ name: 'Linz', postcode: '4020' },
			{ name: 'Salzburg', postcode: '5020' },
			{ name: 'Innsbruck', postcode: '6020' }
		],
		streets: ['Mariahilfer Straße', 'Landstraße', 'Herrengasse', 'Ringstraße'],
		phonePrefix: '+43',
		domain: 'at',
		pattern: 'stemTrade',
		sites: ['Zentrale', 'Werk', 'Außenstelle']
	},
	ES: {
		stems: ['García', 'Martínez', 'Ibérica', 'Mediterráneo', 'Levante', 'Castilla', 'Cantábrico', 'Sevillana'],
		trades: [
			'Construcciones',
			'Asesoría',
			'Transportes',
			'Distribuciones',
			'Clínica Dental',
			'Inmobiliaria',
			'Talleres'
		],
		forms: ['S.L.', 'S.A.', 'S.L.U.'],
		firstNames: ['Lucía', 'Javier', 'Carmen', 'Alejandro', 'Marta', 'Pablo'],
		lastNames: ['López', 'Sánchez', 'Fernández', 'Romero', 'Navarro', 'Torres'],
		cities: [
			{ name: 'Madrid', postcode: '28001' },
			{ name: 'Barcelona', postcode: '08001' },
			{ name: 'Valencia', postcode: '46001' },
			{ name: 'Sevilla', postcode: '41001' },
			{ name: 'Bilbao', postcode: '48001' }
		],
		streets: ['Calle Mayor', 'Avenida de la Constitución', 'Calle del Carmen', 'Paseo de Gracia'],
		phonePrefix: '+34',
		domain: 'es',
		pattern: 'tradeStem',
		sites: ['Sede central', 'Almacén', 'Delegación']
	},
	PL: {
		stems: ['Kowalski', 'Nowak', 'Mazowsze', 'Bałtyk', 'Wisła', 'Tatry', 'Pomorze', 'Śląsk'],
		trades: ['Budownictwo', 'Transport', 'Biuro Rachunkowe', 'Meble', 'Drukarnia', 'Serwis', 'Handel'],
		forms: ['Sp. z o.o.', 'S.A.', 'Sp.k.'],
		firstNames: ['Katarzyna', 'Piotr', 'Agnieszka', 'Tomasz', 'Magdalena', 'Krzysztof'],
		lastNames: ['Wiśniewski', 'Wójcik', 'Kamińska', 'Lewandowski', 'Zielińska', 'Szymański'],
		cities: [
			{ name: 'Warszawa', postcode: '00-001' },
			{ name: 'Kraków', postcode: '30-001' },
			{ name: 'Gdańsk', postcode: '80-001' },
			{ name: 'Wrocław', postcode: '50-001' },
			{ name: 'Poznań', postcode: '60-001' }
		],
		streets: ['ul. Marszałkowska', 'ul. Długa', 'ul. Piotrkowska', 'ul. Floriańska'],
		phonePrefix: '+48',
		domain: 'pl',
		pattern: 'stemTrade',
		sites: ['Siedziba', 'Magazyn', 'Oddział']
	},
	IT: {
		stems: ['Rossi', 'Bianchi', 'Lombarda', 'Adriatica', 'Toscana', 'Veneta', 'Ferrari', 'Colombo'],
		trades: ['Costruzioni', 'Studio Legale', 'Trasporti', 'Meccanica', 'Farmacia', 'Alimentari', 'Ceramiche'],
		forms: ['S.r.l.', 'S.p.A.', 'S.n.c.'],
		firstNames: ['Giulia', 'Marco', 'Francesca', 'Alessandro', 'Chiara', 'Luca'],
		lastNames: ['Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti'],
		cities: [
			{ name: 'Milano', postcode: '20121' },
			{ name: 'Roma', postcode: '00184' },
			{ name: 'Torino', postcode: '10121' },
			{ name: 'Bologna', postcode: '40121' },
			{ name: 'Firenze', postcode: '50122' }
		],
		streets: ['Via Roma', 'Corso Italia', 'Via Garibaldi', 'Via Dante'],
		phonePrefix: '+39',
		domain: 'it',
		pattern: 'tradeStem',
		sites: ['Sede', 'Magazzino', 'Filiale']
	},
	FR: {
		stems: ['Dubois', 'Lefèvre', 'Provence', 'Bretagne', 'Lyonnaise', 'Normandie', 'Garonne', 'Moreau'],
		trades: [
			'Bâtiment',
			'Expertise Comptable',
			'Transports',
			'Boulangerie',
			'Cabinet Médical',
			'Imprimerie',
			'Menuiserie'
		],
		forms: ['SARL', 'SAS', 'SA'],
		firstNames: ['Camille', 'Julien', 'Chloé', 'Nicolas', 'Élodie', 'Thomas'],
		lastNames: ['Martin', 'Bernard', 'Durand', 'Petit', 'Laurent', 'Girard'],
		cities: [
			{ name: 'Paris', postcode: '75001' },
			{ name: 'Lyon', postcode: '69001' },
			{ name: 'Marseille', postcode: '13001' },
			{ name: 'Toulouse', postcode: '31000' },
			{ name: 'Nantes', postcode: '44000' }
		],
		streets: ['Rue de la République', 'Avenue Jean Jaurès', 'Rue Victor Hugo', 'Boulevard Pasteur'],
		phonePrefix: '+33',
		domain: 'fr',
		pattern: 'tradeStem',
		sites: ['Siège', 'Entrepôt', 'Agence']
	}
};
